package dev.lambdaproxy.servlet;

import dev.lambdaproxy.invoke.event.Header;
import dev.lambdaproxy.pipeline.ProxyRequest;
import dev.lambdaproxy.pipeline.ServerResponse;
import dev.lambdaproxy.pipeline.Upstream;
import dev.lambdaproxy.pipeline.UpstreamFailure;
import dev.lambdaproxy.runtime.Telemetry;
import io.micrometer.core.instrument.Counter;
import java.io.EOFException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.AbstractConnectionPool;
import org.eclipse.jetty.client.ByteBufferRequestContent;
import org.eclipse.jetty.client.Destination;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpResponseException;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Content;

/**
 * The servlet world's {@link Upstream}: Jetty's {@code HttpClient}, as Jetty's ProxyServlet built
 * and configured it (the container's threads, the pool, the header limit), sending the calls the
 * pipeline prepared and translating Jetty's failures into {@link UpstreamFailure}s. A call whose
 * pooled connection the endpoint had just closed is sent once more on a new one ({@link JettyCall}).
 */
final class JettyUpstream implements Upstream {

  private final HttpClient client;
  private final Counter retries;

  JettyUpstream(HttpClient client, Telemetry telemetry) {
    this.client = client;
    this.retries = Counter.builder("lambda_proxy_upstream_retries")
        .description("calls sent again on a new connection because a pooled one had been closed by the endpoint")
        .register(telemetry.registry());
    // Pool usage, read at scrape time from the client's connection pools.
    telemetry.upstreamConnections(client, c -> poolCount(c, true), c -> poolCount(c, false));
  }

  private static double poolCount(HttpClient client, boolean active) {
    int count = 0;
    for (Destination destination : client.getDestinations()) {
      if (destination.getConnectionPool() instanceof AbstractConnectionPool pool) {
        count += active ? pool.getActiveConnectionCount() : pool.getIdleConnectionCount();
      }
    }
    return count;
  }

  @Override
  public CompletableFuture<ServerResponse> exchange(ProxyRequest proxyRequest) {
    CompletableFuture<ServerResponse> answer = new CompletableFuture<>();
    JettyCall call = new JettyCall(this, proxyRequest, new BufferingListener(answer));
    answer.whenComplete((response, failure) -> {
      if (answer.isCancelled()) {
        call.abort(new java.util.concurrent.CancellationException("the answer is no longer wanted"));
      }
    });
    call.send();
    return answer;
  }

  @Override
  public Call stream(ProxyRequest proxyRequest, StreamListener listener) {
    JettyCall call = new JettyCall(this, proxyRequest, new Response.Listener() {
      @Override
      public void onHeaders(Response serverResponse) {
        if (serverResponse.getStatus() < 200) {
          serverResponse.abort(informational(serverResponse.getStatus()));
          return;
        }
        listener.onHead(new ServerResponse(serverResponse.getStatus(), headers(serverResponse.getHeaders()), new byte[0]));
      }

      @Override
      public void onContent(Response serverResponse, Content.Chunk chunk, Runnable demander) {
        chunk.retain();
        listener.onContent(chunk.getByteBuffer(), () -> {
          chunk.release();
          demander.run();
        });
      }

      @Override
      public void onComplete(Result result) {
        if (result.isFailed()) {
          listener.onFailure(translate(result.getFailure()));
        } else {
          listener.onEnd();
        }
      }
    });
    call.send();
    return call;
  }

  /**
   * A new Jetty request for the call, as the pipeline prepared it; {@code timeoutMillis} is the
   * whole call's or, for a call on an idle timeout, the most the endpoint may stay silent.
   */
  Request newRequest(ProxyRequest proxyRequest, long timeoutMillis) {
    Request request = client.newRequest(proxyRequest.uri()).method(proxyRequest.method()).version(HttpVersion.HTTP_1_1);
    if (proxyRequest.idleTimeout()) {
      request.timeout(0, TimeUnit.MILLISECONDS).idleTimeout(timeoutMillis, TimeUnit.MILLISECONDS);
    } else {
      request.timeout(timeoutMillis, TimeUnit.MILLISECONDS);
    }
    request.headers(headers -> {
      // The client put its own User-Agent on the new request: what is sent is what the pipeline prepared.
      headers.remove(HttpHeader.USER_AGENT);
      for (Header header : proxyRequest.headers()) {
        headers.add(header.name(), header.value());
      }
    });
    if (!proxyRequest.body().isEmpty()) {
      String contentType = proxyRequest.header("Content-Type");
      // Views of the pipeline's buffers: a resent call finds them whole, whatever the first send read.
      ByteBuffer[] body = new ByteBuffer[proxyRequest.body().size()];
      for (int i = 0; i < body.length; i++) {
        body[i] = proxyRequest.body().get(i).duplicate();
      }
      request.body(new ByteBufferRequestContent(contentType, body));
    }
    return request;
  }

  /** Counts a call sent again on a new connection. */
  void resent() {
    retries.increment();
  }

  private static List<Header> headers(HttpFields fields) {
    List<Header> headers = new ArrayList<>(fields.size());
    for (HttpField field : fields) {
      headers.add(new Header(field.getName(), field.getValue()));
    }
    return headers;
  }

  private static UpstreamFailure informational(int status) {
    return new UpstreamFailure(UpstreamFailure.Kind.INFORMATIONAL, null, status, null);
  }

  /** Jetty's failure in the pipeline's words. */
  static Throwable translate(Throwable failure) {
    return UpstreamFailure.translate(failure, JETTY_KINDS);
  }

  /** Jetty's own exceptions: a parser's refusal of the answer, and how its client reports a broken connection. */
  private static final UpstreamFailure.EngineKinds JETTY_KINDS = new UpstreamFailure.EngineKinds() {
    @Override
    public boolean isTimeout(Throwable failure) {
      return false;
    }

    @Override
    public UpstreamFailure classify(Throwable failure, Throwable root) {
      if (root instanceof org.eclipse.jetty.http.HttpException invalid) {
        return new UpstreamFailure(UpstreamFailure.Kind.INVALID_HTTP, invalid.getReason(), failure);
      }
      if (failure instanceof HttpResponseException) {
        return new UpstreamFailure(UpstreamFailure.Kind.INVALID_HTTP, null, failure);
      }
      return null;
    }

    @Override
    public boolean isBroken(Throwable failure, Throwable root) {
      // A plain IOException is how the JDK reports a broken pipe: the endpoint went away while we wrote.
      return root instanceof EOFException || root instanceof SocketException
          || root instanceof java.nio.channels.ClosedChannelException || root.getClass() == java.io.IOException.class;
    }
  };

  /**
   * Gathers a buffered answer into one array sized by its Content-Length, handed on without a copy
   * (a 4.6 MB answer allocated 72 MB per request through Jetty's buffering listener; 9.6 MB so);
   * doubling, and one copy at the end, only when no length is declared.
   */
  static final class BufferingListener implements Response.Listener {
    private final CompletableFuture<ServerResponse> answer;
    private byte[] body;
    private int length;

    BufferingListener(CompletableFuture<ServerResponse> answer) {
      this.answer = answer;
    }

    @Override
    public void onHeaders(Response serverResponse) {
      if (serverResponse.getStatus() < 200) {
        serverResponse.abort(informational(serverResponse.getStatus()));
      }
    }

    @Override
    public void onContent(Response serverResponse, ByteBuffer content) {
      if (!append(content, serverResponse.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH))) {
        serverResponse.abort(new UpstreamFailure(UpstreamFailure.Kind.TOO_LARGE, null, null));
      }
    }

    /** False when the answer has grown past {@link Upstream#MAX_BUFFERED_ANSWER_BYTES}. */
    boolean append(ByteBuffer content, long declaredLength) {
      int piece = content.remaining();
      long needed = length + (long) piece;
      if (needed > MAX_BUFFERED_ANSWER_BYTES) {
        return false;
      }
      if (body == null || needed > body.length) {
        long grown = body == null ? (declaredLength > 0 ? declaredLength : 256) : body.length * 2L;
        int capacity = (int) Math.min(MAX_BUFFERED_ANSWER_BYTES, Math.max(needed, grown));
        body = body == null ? new byte[capacity] : Arrays.copyOf(body, capacity);
      }
      content.get(body, length, piece);
      length += piece;
      return true;
    }

    /** The answer as received; the buffer itself when it is exactly full. */
    byte[] body() {
      if (body == null) {
        return new byte[0];
      }
      return body.length == length ? body : Arrays.copyOf(body, length);
    }

    @Override
    public void onComplete(Result result) {
      if (result.isFailed()) {
        answer.completeExceptionally(translate(result.getFailure()));
      } else {
        Response serverResponse = result.getResponse();
        answer.complete(new ServerResponse(serverResponse.getStatus(), headers(serverResponse.getHeaders()), body()));
      }
    }
  }
}

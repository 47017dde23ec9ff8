package dev.lambdaproxy.eventloop;

import dev.lambdaproxy.invoke.event.Header;
import dev.lambdaproxy.pipeline.ProxyRequest;
import dev.lambdaproxy.pipeline.UpstreamFailure;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One call on its way through a pool: its request, its timeout, its connection, and the one retry
 * it may make when a pooled connection turns out to have been closed by the endpoint. Confined to
 * its event loop; {@link #abort} may come from anywhere and hops onto it.
 */
abstract class UpstreamExchange {

  final NettyUpstream upstream;
  final ProxyRequest request;
  final EventLoop loop;
  private final UpstreamPools loopPools;
  private UpstreamPool pool;
  private HttpHeaders headers;
  private UpstreamConnection connection;
  private boolean reusedConnection;
  private boolean answerStarted;
  private boolean retried;
  private boolean done;
  private long lastByteNanos;
  private ScheduledFuture<?> timer;

  private static final io.netty.handler.codec.http.HttpHeadersFactory UNVALIDATED =
      io.netty.handler.codec.http.DefaultHttpHeadersFactory.headersFactory().withValidation(false);

  UpstreamExchange(NettyUpstream upstream, ProxyRequest request, UpstreamPools loopPools) {
    this.upstream = upstream;
    this.request = request;
    this.loopPools = loopPools;
    this.loop = loopPools.loop();
  }

  /** On the loop: arms the timeout and asks the pool for a connection. */
  final void start() {
    if (done) {
      return; // aborted before it started
    }
    try {
      headers = headers(request);
      pool = loopPools.pool(UpstreamPools.Origin.of(request.uri()));
    } catch (RuntimeException e) {
      fail(new UpstreamFailure(UpstreamFailure.Kind.OTHER, e.getClass().getSimpleName(), e));
      return;
    }
    lastByteNanos = System.nanoTime();
    timer = loop.schedule(this::timerFired, request.timeout().toNanos(), TimeUnit.NANOSECONDS);
    pool.acquire(this);
  }

  /** The headers as given, with framing: the body's length, and a Host when the pipeline set none. */
  private static HttpHeaders headers(ProxyRequest request) {
    // Not validated again: every name and value is the pipeline's own or a client's that the server's
    // decoder has validated on the way in (a saving measured by bench/floor.sh on every request).
    HttpHeaders headers = UNVALIDATED.newHeaders();
    boolean host = false;
    for (Header header : request.headers()) {
      if (header.name().equalsIgnoreCase("content-length") || header.name().equalsIgnoreCase("transfer-encoding")) {
        continue; // framing is the upstream's, from the body it sends
      }
      host |= header.name().equalsIgnoreCase("host");
      headers.add(header.name(), header.value());
    }
    if (!host) {
      URI uri = request.uri();
      headers.add(HttpHeaderNames.HOST, uri.getPort() > 0 ? uri.getHost() + ":" + uri.getPort() : uri.getHost());
    }
    long length = 0;
    for (ByteBuffer piece : request.body()) {
      length += piece.remaining();
    }
    String method = request.method();
    if (length > 0 || method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
      headers.set(HttpHeaderNames.CONTENT_LENGTH, length);
    }
    return headers;
  }

  private DefaultFullHttpRequest newRequest() {
    URI uri = request.uri();
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String target = uri.getRawQuery() == null ? path : path + '?' + uri.getRawQuery();
    List<ByteBuffer> body = request.body();
    ByteBuf content;
    if (body.isEmpty()) {
      content = Unpooled.EMPTY_BUFFER;
    } else if (body.size() == 1) {
      content = Unpooled.wrappedBuffer(body.get(0)); // a view: the pipeline's buffers are neither copied nor moved
    } else {
      ByteBuf[] pieces = new ByteBuf[body.size()];
      for (int i = 0; i < pieces.length; i++) {
        pieces[i] = Unpooled.wrappedBuffer(body.get(i));
      }
      content = Unpooled.wrappedBuffer(pieces);
    }
    return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(request.method()), target, content,
        headers, EmptyHttpHeaders.INSTANCE);
  }

  /** The pool's connection for this call: the request goes out on it. */
  final void connected(UpstreamConnection given) {
    connection = given;
    reusedConnection = given.reused();
    answerStarted = false;
    given.send(this, newRequest());
  }

  /** The connection could not be opened: never retried, the endpoint said so itself. */
  final void connectFailed(Throwable cause) {
    fail(NettyUpstream.translate(cause));
  }

  final void answerBytes() {
    answerStarted = true;
    lastByteNanos = System.nanoTime();
  }

  /** Waiting on the endpoint again after a pause of this side's: the idle clock starts now. */
  final void resumeWaiting() {
    lastByteNanos = System.nanoTime();
  }

  /**
   * The connection closed or failed before the answer was complete. Sent again once, on a new
   * connection, when it was a pooled one and not a byte of the answer had come: the endpoint had
   * closed it while it was idle. A new connection's failure is the endpoint's answer.
   */
  final void connectionLost(UpstreamConnection lost, Throwable cause) {
    if (lost != connection || done) {
      pool.discard(lost);
      return;
    }
    connection = null;
    lost.detach();
    pool.discard(lost);
    if (reusedConnection && !answerStarted && !retried) {
      retried = true;
      upstream.retried();
      pool.connect(this);
      return;
    }
    fail(cause != null ? NettyUpstream.translate(cause)
        : new UpstreamFailure(UpstreamFailure.Kind.BROKEN, null, new ClosedChannelException()));
  }

  /** The whole answer was read, and the connection gone back to the pool (or closed). */
  final void answerRead() {
    connection = null;
    done = true;
    cancelTimer();
    answerComplete();
  }

  /** Ends the call with {@code failure}, closing its connection; nothing more reaches the caller. */
  final void fail(Throwable failure) {
    if (done) {
      return;
    }
    done = true;
    cancelTimer();
    if (pool != null) {
      pool.cancelWaiting(this);
    }
    UpstreamConnection current = connection;
    if (current != null) {
      connection = null;
      current.detach();
      pool.discard(current);
      pool.serveWaiting();
    }
    failed(failure);
  }

  /** Aborts the call from any thread. */
  public final void abort(Throwable why) {
    if (loop.inEventLoop()) {
      aborted(why);
    } else {
      loop.execute(() -> aborted(why));
    }
  }

  void aborted(Throwable why) {
    fail(NettyUpstream.translate(why));
  }

  final boolean isDone() {
    return done;
  }

  /** Asks the connection for more of the answer, if the call still has one. */
  final void readMore() {
    UpstreamConnection current = connection;
    if (current != null) {
      resumeWaiting();
      current.read();
    }
  }

  private void timerFired() {
    timer = null;
    if (done) {
      return;
    }
    long timeout = request.timeout().toNanos();
    if (request.idleTimeout()) {
      long now = System.nanoTime();
      if (!waitingOnEndpoint()) {
        lastByteNanos = now; // this side holds the answer back: the endpoint is not the silent one
      }
      long silent = now - lastByteNanos;
      if (silent < timeout) {
        timer = loop.schedule(this::timerFired, timeout - silent, TimeUnit.NANOSECONDS);
        return;
      }
    }
    String what = request.idleTimeout() ? "no byte for " : "no answer in ";
    fail(new UpstreamFailure(UpstreamFailure.Kind.TIMEOUT, null,
        new TimeoutException(what + request.timeout().toMillis() + " ms")));
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  static List<Header> headersOf(HttpResponse head) {
    List<Header> headers = new ArrayList<>(head.headers().size());
    for (Map.Entry<String, String> header : head.headers()) {
      headers.add(new Header(header.getKey(), header.getValue()));
    }
    return headers;
  }

  /** The final answer's head (interim ones are skipped). May {@link #fail} the call. */
  abstract void head(HttpResponse head);

  /** A piece of the body, now this call's to release. May {@link #fail} the call. */
  abstract void content(HttpContent piece);

  /** Whether the connection may read on after the pieces it has handed over. */
  abstract boolean wantsRead();

  /** Whether the call is waiting for the endpoint's next byte (not holding an answer back). */
  abstract boolean waitingOnEndpoint();

  abstract void answerComplete();

  abstract void failed(Throwable failure);
}

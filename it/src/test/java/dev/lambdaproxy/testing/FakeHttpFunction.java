package dev.lambdaproxy.testing;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A function behind its own HTTP endpoint, as an API Gateway stage or a Lambda Function URL is:
 * checks the caller the way AWS would (an {@code x-api-key}, or a SigV4 signature for
 * {@code execute-api} or {@code lambda} verified by the AWS SDK's signer), records what arrived, and
 * answers with a fixed status and body, optionally in timed chunks.
 */
public final class FakeHttpFunction implements AutoCloseable {

  /** How the endpoint checks its callers. */
  public enum Auth { NONE, APIKEY, IAM }

  /** One request that arrived, with whether the endpoint let it through. */
  public record Received(String method, String rawPath, String rawQuery, Headers headers, byte[] body, boolean accepted) {
    public String bodyAsString() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final Server server;
  private final ServerConnector connector;
  private final List<Received> received = new ArrayList<>();

  private FakeHttpFunction(Builder builder) throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool(32, 2);
    threads.setName("fake-http-function");
    server = new Server(threads);
    connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    SigV4Verifier verifier = builder.auth == Auth.IAM
        ? new SigV4Verifier(Map.of(builder.accessKeyId, new Credential(builder.accessKeyId, builder.secret, null)),
            builder.service, Clock.systemUTC())
        : null;
    server.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) throws Exception {
        byte[] body = Content.Source.asInputStream(request).readAllBytes();
        Headers.Builder headers = Headers.builder();
        for (HttpField field : request.getHeaders()) {
          headers.add(field.getName(), field.getValue() == null ? "" : field.getValue());
        }
        Headers arrived = headers.build();
        HttpURI uri = request.getHttpURI();
        String rawPath = uri.getPath() == null ? "/" : uri.getPath();
        boolean accepted = switch (builder.auth) {
          case NONE -> true;
          case APIKEY -> builder.apiKey.equals(arrived.first("x-api-key").orElse(null));
          case IAM -> verifier.verify(request.getMethod(), rawPath, uri.getQuery(), arrived, body, builder.region).valid();
        };
        synchronized (received) {
          received.add(new Received(request.getMethod(), rawPath, uri.getQuery(), arrived, body, accepted));
        }
        if (!accepted) {
          // As API Gateway answers a missing key or a bad signature.
          response.setStatus(403);
          response.getHeaders().put("Content-Type", "application/json");
          response.getHeaders().put("x-amzn-ErrorType", builder.auth == Auth.IAM ? "InvalidSignatureException" : "ForbiddenException");
          Content.Sink.write(response, true, "{\"message\":\"Forbidden\"}", callback);
          return true;
        }
        response.setStatus(builder.status);
        builder.headers.forEach((name, value) -> response.getHeaders().add(name, value));
        writeChunks(response, builder.chunks, builder.gate, 0, callback);
        return true;
      }
    });
    server.start();
  }

  /** Writes the first chunk at once and the others once the gate opens, holding no thread while waiting. */
  private static void writeChunks(Response response, List<byte[]> chunks, CompletableFuture<Void> gate, int index, Callback callback) {
    if (index == chunks.size()) {
      response.write(true, ByteBuffer.allocate(0), callback);
      return;
    }
    Runnable next = () -> response.write(false, ByteBuffer.wrap(chunks.get(index)),
        Callback.from(() -> writeChunks(response, chunks, gate, index + 1, callback), callback::failed));
    if (index == 0) {
      next.run();
    } else {
      gate.thenRun(next);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + connector.getLocalPort());
  }

  public List<Received> received() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  public Received last() {
    synchronized (received) {
      return received.isEmpty() ? null : received.get(received.size() - 1);
    }
  }

  public void reset() {
    synchronized (received) {
      received.clear();
    }
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }

  /** What the endpoint checks and answers. */
  public static final class Builder {
    private Auth auth = Auth.NONE;
    private String apiKey;
    private String accessKeyId;
    private String secret;
    private String service;
    private String region;
    private int status = 200;
    private final Map<String, String> headers = new java.util.LinkedHashMap<>();
    private List<byte[]> chunks = List.of();
    private CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);

    public Builder apiKey(String apiKey) {
      this.auth = Auth.APIKEY;
      this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
      return this;
    }

    /** Requires SigV4 for {@code service} in {@code region}, signed by this key pair. */
    public Builder iam(String service, String region, String accessKeyId, String secret) {
      this.auth = Auth.IAM;
      this.service = service;
      this.region = region;
      this.accessKeyId = accessKeyId;
      this.secret = secret;
      return this;
    }

    public Builder answer(int status, String contentType, String body) {
      this.status = status;
      headers.put("Content-Type", contentType);
      chunks = List.of(body.getBytes(StandardCharsets.UTF_8));
      return this;
    }

    public Builder header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    /**
     * Answers in pieces: the first at once, the rest only when {@code gate} completes, so a test can
     * prove the first piece reached the client before the rest was even sent.
     */
    public Builder chunks(CompletableFuture<Void> gate, String... pieces) {
      chunks = java.util.Arrays.stream(pieces).map(p -> p.getBytes(StandardCharsets.UTF_8)).toList();
      this.gate = gate;
      return this;
    }

    public FakeHttpFunction start() throws Exception {
      return new FakeHttpFunction(this);
    }
  }
}

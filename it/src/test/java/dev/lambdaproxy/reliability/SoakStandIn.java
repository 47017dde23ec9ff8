package dev.lambdaproxy.reliability;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The Lambda stand-in of {@code bench/soak.sh}: answers Invoke calls for the soak's five functions
 * (fast, slow, error, large, timeout) on 127.0.0.1, holding no thread while a slow answer waits.
 *
 * <p>It runs from the proxy's own jar and {@code target/test-classes} (Jetty and the JDK only), so it
 * cannot use the AWS SDK to verify signatures as FakeLambda does: it checks that each call is a
 * SigV4-signed POST by the soak's key and counts those that are not. {@code GET /stats} gives its
 * counters as {@code name value} lines.
 *
 * <p>Usage: {@code java -cp target/test-classes:target/lambda-proxy.jar dev.lambdaproxy.reliability.SoakStandIn PORT};
 * prints {@code PORT n} once listening (0 picks a free port).
 */
public final class SoakStandIn {

  static final String KEY_ID = "AKIDSOAKSTANDIN";
  /** Body size of the large function's answer (inside its JSON result). */
  static final int LARGE_BYTES = 256 * 1024;

  private static final Pattern INVOKE = Pattern.compile("/2015-03-31/functions/([^/]+)/invocations");

  private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
  private final byte[] fast = result("fast", "fast");
  private final byte[] slow = result("slow", "slow");
  private final byte[] large = result("large", "x".repeat(LARGE_BYTES));
  private final byte[] late = result("timeout", "too late");
  private final byte[] error = "{\"errorType\":\"SoakError\",\"errorMessage\":\"a planned function error\",\"stackTrace\":[]}"
      .getBytes(StandardCharsets.UTF_8);

  private SoakStandIn() {}

  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
    SoakStandIn standIn = new SoakStandIn();
    QueuedThreadPool threads = new QueuedThreadPool(64, 4);
    threads.setName("soak-standin");
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    connector.setIdleTimeout(120_000);
    server.addConnector(connector);
    server.setHandler(standIn.new Invoke(server));
    server.start();
    System.out.println("PORT " + connector.getLocalPort());
    System.out.flush();
    server.join();
  }

  private static byte[] result(String kind, String body) {
    return ("{\"statusCode\":200,\"headers\":{\"Content-Type\":\"text/plain\",\"X-Soak-Kind\":\"" + kind + "\"},\"body\":\"" + body + "\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private void count(String name) {
    counters.computeIfAbsent(name, n -> new LongAdder()).increment();
  }

  private final class Invoke extends Handler.Abstract {
    private final Server server;

    Invoke(Server server) {
      this.server = server;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      String path = request.getHttpURI().getPath();
      if ("/stats".equals(path)) {
        StringBuilder stats = new StringBuilder();
        counters.forEach((name, value) -> stats.append(name).append(' ').append(value.sum()).append('\n'));
        answer(response, callback, 200, null, stats.toString().getBytes(StandardCharsets.UTF_8));
        return true;
      }
      Content.Source.asInputStream(request).readAllBytes();
      Matcher invoke = INVOKE.matcher(path == null ? "" : path);
      String authorization = request.getHeaders().get("Authorization");
      boolean signed = "POST".equals(request.getMethod()) && request.getHeaders().get("X-Amz-Date") != null
          && authorization != null && authorization.startsWith("AWS4-HMAC-SHA256 Credential=" + KEY_ID + "/")
          && authorization.contains("SignedHeaders=") && authorization.contains("Signature=");
      if (!invoke.matches() || !signed) {
        count("rejected");
        response.getHeaders().put("x-amzn-ErrorType", "InvalidSignatureException");
        answer(response, callback, 403, null, "{\"message\":\"not a signed Invoke call\"}".getBytes(StandardCharsets.UTF_8));
        return true;
      }
      String function = invoke.group(1);
      count("invoked_" + function);
      switch (function) {
        case "soak-fast" -> answer(response, callback, 200, null, fast);
        case "soak-slow" -> later(200, () -> answer(response, callback, 200, null, slow));
        case "soak-large" -> answer(response, callback, 200, null, large);
        case "soak-error" -> answer(response, callback, 200, "Unhandled", error);
        case "soak-timeout" -> later(1_500, () -> answer(response, callback, 200, null, late));
        default -> {
          response.getHeaders().put("x-amzn-ErrorType", "ResourceNotFoundException");
          answer(response, callback, 404, null, "{\"message\":\"Function not found\"}".getBytes(StandardCharsets.UTF_8));
        }
      }
      return true;
    }

    /** The scheduler thread only starts the write: a waiting answer holds no thread. */
    private void later(long millis, Runnable answer) {
      server.getScheduler().schedule(answer, millis, TimeUnit.MILLISECONDS);
    }

    private void answer(Response response, Callback callback, int status, String functionError, byte[] body) {
      response.setStatus(status);
      response.getHeaders().put("Content-Type", "application/json");
      response.getHeaders().put("x-amzn-RequestId", "soak");
      if (functionError != null) {
        response.getHeaders().put("X-Amz-Function-Error", functionError);
      }
      response.getHeaders().put("Content-Length", body.length);
      response.write(true, ByteBuffer.wrap(body), callback);
    }
  }
}

package dev.lambdaproxy.reliability;

import static dev.lambdaproxy.reliability.Fixtures.KEY;
import static dev.lambdaproxy.reliability.Fixtures.SECRET;
import static dev.lambdaproxy.reliability.Fixtures.message;
import static dev.lambdaproxy.reliability.Fixtures.millisSince;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lambdaproxy.testing.FakeLambda;
import dev.lambdaproxy.testing.Handlers;
import dev.lambdaproxy.testing.LambdaReply;
import dev.lambdaproxy.testing.ProxyHarness;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A function that hangs holds no proxy thread: hundreds of requests wait on it (asynchronously, all
 * the way), other routes keep answering, and every waiting request gets its 504 at the route timeout.
 */
class SlowFunctionTest {

  private static final int STUCK = 200;

  @Test
  void twoHundredRequestsStuckOnAHangingFunctionDoNotStarveAFastRoute() throws Exception {
    try (FakeLambda lambda = FakeLambda.builder().credentials(KEY, SECRET)
            .function("hangs", Handlers.replying(LambdaReply.delayed(Duration.ofSeconds(10), LambdaReply.json("\"too late\""))))
            .function("fast", Handlers.returning("\"fast\""))
            .start();
        ProxyHarness proxy = ProxyHarness.builder().lambda(lambda, KEY, SECRET).admin()
            .routes("/hangs = hangs ; timeout-ms=8000\n/fast = fast ; timeout-ms=3000\n").start()) {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
      long started = System.nanoTime();
      List<CompletableFuture<HttpResponse<String>>> stuck = new ArrayList<>(STUCK);
      for (int i = 0; i < STUCK; i++) {
        stuck.add(client.sendAsync(HttpRequest.newBuilder(proxy.uri("/hangs?i=" + i)).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString()));
      }
      awaitArrivals(lambda, STUCK, 15_000);
      int threadsWhileStuck = Fixtures.proxyThreadsInsideRequests();

      for (int i = 0; i < 5; i++) {
        long asked = System.nanoTime();
        HttpResponse<String> fast = proxy.get("/fast");
        assertEquals(200, fast.statusCode(), fast.body());
        assertEquals("fast", fast.body());
        assertTrue(millisSince(asked) < 3_000, "a fast route answers while " + STUCK + " wait: " + millisSince(asked) + " ms");
      }
      assertTrue(threadsWhileStuck < 10, "waiting requests hold no server thread: " + threadsWhileStuck + " threads inside requests for "
          + STUCK + " waiting (pool: " + Fixtures.proxyServerThreads() + ")");

      Map<Integer, Integer> statuses = new TreeMap<>();
      for (CompletableFuture<HttpResponse<String>> request : stuck) {
        HttpResponse<String> response = request.get(20, TimeUnit.SECONDS);
        statuses.merge(response.statusCode(), 1, Integer::sum);
        if (response.statusCode() == 504) {
          assertEquals("function hangs did not answer within 8000 ms", message(response));
        }
      }
      assertEquals(Map.of(504, STUCK), statuses);
      long total = millisSince(started);
      assertTrue(total >= 7_500 && total < 25_000, "every 504 came at the 8 s route timeout: " + total + " ms");

      // Nothing is left behind: no request in flight, no upstream connection held.
      String metrics = proxy.send(HttpRequest.newBuilder(proxy.adminUri("/metrics"))).body();
      assertEquals(0.0, gauge(metrics, "lambda_proxy_in_flight_requests", ""), metrics);
      assertEquals(0.0, gauge(metrics, "lambda_proxy_upstream_connections", "state=\"active\""));
    }
  }

  @Test
  void whenEveryPooledConnectionIsTakenOtherRoutesFailAtTheirOwnTimeoutNotLater() throws Exception {
    // All Lambda routes share one endpoint and so one pool (max-connections): a function that hangs
    // can take all of it. What the proxy promises then is a bounded wait, not an answer.
    try (FakeLambda lambda = FakeLambda.builder().credentials(KEY, SECRET)
            .function("hangs", Handlers.replying(LambdaReply.delayed(Duration.ofSeconds(4), LambdaReply.json("\"too late\""))))
            .function("fast", Handlers.returning("\"fast\""))
            .start();
        ProxyHarness proxy = ProxyHarness.builder().lambda(lambda, KEY, SECRET).settings("max-connections = 4\n")
            .routes("/hangs = hangs ; timeout-ms=2500\n/fast = fast ; timeout-ms=800\n").start()) {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      List<CompletableFuture<HttpResponse<String>>> stuck = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        stuck.add(client.sendAsync(HttpRequest.newBuilder(proxy.uri("/hangs")).build(), HttpResponse.BodyHandlers.ofString()));
      }
      awaitArrivals(lambda, 4, 10_000);
      long asked = System.nanoTime();
      HttpResponse<String> starved = proxy.get("/fast");
      assertEquals(504, starved.statusCode(), starved.body());
      assertTrue(millisSince(asked) < 2_400, "failed at its own 0.8 s timeout: " + millisSince(asked) + " ms");
      for (CompletableFuture<HttpResponse<String>> request : stuck) {
        assertEquals(504, request.get(20, TimeUnit.SECONDS).statusCode());
      }
      assertEquals(200, proxy.get("/fast").statusCode(), "the pool is free again once the hanging calls timed out");
    }
  }

  static void awaitArrivals(FakeLambda lambda, int count, long millis) {
    long started = System.nanoTime();
    while (lambda.requestCount() < count && millisSince(started) < millis) {
      Fixtures.sleep(20);
    }
    assertEquals(count, lambda.requestCount(), "calls that reached FakeLambda");
  }

  /** A gauge's value from Prometheus text; {@code labels} is a fragment of its label set (or empty). */
  static double gauge(String metrics, String name, String labels) {
    Matcher line = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(metrics);
    while (line.find()) {
      if (labels.isEmpty() || (line.group(1) != null && line.group(1).contains(labels))) {
        return Double.parseDouble(line.group(2));
      }
    }
    throw new AssertionError("no " + name + " {" + labels + "} in\n" + metrics);
  }
}

package dev.lambdaproxy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lambdaproxy.testing.FakeLambda;
import dev.lambdaproxy.testing.Handlers;
import dev.lambdaproxy.testing.LambdaReply;
import dev.lambdaproxy.testing.ProxyHarness;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The admin port and live reload, against a real proxy and the verifying fixture. */
class AdminAndReloadTest {

  private static final String KEY = "AKIDADMINTEST";
  private static final String SECRET = "admin/test+SECRET/9dK2mXq";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static FakeLambda lambda;

  @BeforeAll
  static void start() throws Exception {
    lambda = FakeLambda.builder().credentials(KEY, SECRET)
        .function("one", Handlers.returning("\"one\""))
        .function("two", Handlers.returning("\"two\""))
        .function("fails", Handlers.replying(LambdaReply.functionError("Unhandled", "Error", "x")))
        .start();
  }

  @AfterAll
  static void stop() throws Exception {
    lambda.close();
  }

  private static ProxyHarness.Builder proxy(String routes) {
    return ProxyHarness.builder().lambda(lambda, KEY, SECRET).routes(routes).admin();
  }

  private static HttpResponse<String> admin(ProxyHarness proxy, String method, String path) {
    return proxy.send(HttpRequest.newBuilder(proxy.adminUri(path)).method(method, HttpRequest.BodyPublishers.noBody()));
  }

  @Test
  void healthAndReadinessAnswer() throws Exception {
    try (ProxyHarness proxy = proxy("/one = one\n").start()) {
      assertEquals(200, admin(proxy, "GET", "/healthz").statusCode());
      HttpResponse<String> ready = admin(proxy, "GET", "/readyz");
      assertEquals(200, ready.statusCode());
      assertEquals(1, JSON.readTree(ready.body()).get("routes").asInt());
    }
    try (ProxyHarness noCredentials = proxy("/one = one\n").env("AWS_ACCESS_KEY_ID", null).start()) {
      HttpResponse<String> ready = admin(noCredentials, "GET", "/readyz");
      assertEquals(503, ready.statusCode());
      assertTrue(ready.body().contains("AWS_ACCESS_KEY_ID"), ready.body());
    }
  }

  @Test
  void metricsCountRequestsByRouteAndStatusAndErrorsByKind() throws Exception {
    try (ProxyHarness proxy = proxy("/one = one\n/users/{id} = one\n/fails = fails\n").start()) {
      proxy.get("/one");
      proxy.get("/one");
      proxy.get("/users/1");
      proxy.get("/users/2");
      proxy.get("/fails");
      proxy.get("/nowhere");
      HttpResponse<String> scrape = admin(proxy, "GET", "/metrics");
      assertEquals(200, scrape.statusCode());
      assertTrue(scrape.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));
      Map<String, Double> metrics = parsePrometheus(scrape.body());
      assertEquals(2.0, metrics.get("lambda_proxy_requests_total{route=\"/one\",status=\"200\"}"));
      assertEquals(2.0, metrics.get("lambda_proxy_requests_total{route=\"/users/{id}\",status=\"200\"}"), "by pattern, not path");
      assertEquals(1.0, metrics.get("lambda_proxy_requests_total{route=\"/fails\",status=\"502\"}"));
      assertEquals(1.0, metrics.get("lambda_proxy_requests_total{route=\"none\",status=\"404\"}"));
      assertEquals(1.0, metrics.get("lambda_proxy_errors_total{kind=\"function_error\"}"));
      assertEquals(1.0, metrics.get("lambda_proxy_errors_total{kind=\"no_route\"}"));
      assertEquals(2.0, metrics.get("lambda_proxy_upstream_duration_seconds_count{route=\"/one\"}"));
      assertTrue(metrics.keySet().stream().anyMatch(k -> k.startsWith("lambda_proxy_upstream_duration_seconds_bucket{")), "a histogram");
      assertEquals(0.0, metrics.get("lambda_proxy_in_flight_requests"));
      assertTrue(metrics.containsKey("lambda_proxy_upstream_connections{state=\"idle\"}"));
      assertTrue(metrics.get("lambda_proxy_payload_bytes_count{direction=\"out\"}") >= 5);
      assertFalse(scrape.body().contains(SECRET));
    }
  }

  /** Prometheus text format, one sample a line: {@code name{labels} value}. */
  static Map<String, Double> parsePrometheus(String text) {
    Map<String, Double> samples = new HashMap<>();
    // Label values are quoted and may hold '}' (a route like /users/{id}).
    Pattern line = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{(?:[^\"}]|\"(?:[^\"\\\\]|\\\\.)*\")*\\})?) (\\S+)$");
    for (String row : text.split("\n")) {
      if (row.startsWith("#") || row.isBlank()) {
        continue;
      }
      Matcher m = line.matcher(row);
      assertTrue(m.matches(), "not a Prometheus sample: " + row);
      samples.put(m.group(1), Double.parseDouble(m.group(2)));
    }
    return samples;
  }

  @Test
  void theRouteTableShowsWhatARouteAsksOfTheFrontDoor() throws Exception {
    try (ProxyHarness proxy = proxy("/open = one\n/guarded = one ; rate=5 ; burst=10 ; max-concurrency=4 ; cors=false\n").start()) {
      JsonNode table = JSON.readTree(admin(proxy, "GET", "/routes").body());
      assertTrue(table.get(0).path("frontDoor").isMissingNode(), "a route asking nothing shows nothing: " + table.get(0));
      JsonNode frontDoor = table.get(1).get("frontDoor");
      assertEquals(5.0, frontDoor.get("rate").asDouble());
      assertEquals(10, frontDoor.get("burst").asInt());
      assertEquals(4, frontDoor.get("maxConcurrency").asInt());
      assertFalse(frontDoor.get("cors").asBoolean());
      assertFalse(frontDoor.get("requireApiKey").asBoolean());
    }
  }

  @Test
  void theRouteTableShowsNoSecrets() throws Exception {
    try (ProxyHarness proxy = proxy("/one = one ; event=apigw-v2 ; timeout-ms=700\n/ext/* = https://example.com/p ; auth=apikey ; api-key=${KEY_VAR}\n")
        .env("KEY_VAR", "very-secret-api-key").start()) {
      HttpResponse<String> routes = admin(proxy, "GET", "/routes");
      assertEquals(200, routes.statusCode());
      JsonNode table = JSON.readTree(routes.body());
      assertEquals("/one", table.get(0).get("path").asText());
      assertEquals("apigw-v2", table.get(0).get("event").asText());
      assertEquals(700, table.get(0).get("timeoutMs").asInt());
      assertEquals("set", table.get(1).get("apiKey").asText());
      assertFalse(routes.body().contains("very-secret-api-key"));
      assertEquals(405, admin(proxy, "POST", "/routes").statusCode());
      assertEquals(404, admin(proxy, "GET", "/nothing").statusCode());
    }
  }

  @Test
  void aValidChangeIsSwappedInAndABadOneKeepsTheOldTable() throws Exception {
    try (ProxyHarness proxy = proxy("/a = one\n").start()) {
      assertEquals("one", proxy.get("/a").body());
      Files.writeString(proxy.confDir().resolve("routes.properties"), "/a = two\n/b = one\n");
      HttpResponse<String> reload = admin(proxy, "POST", "/reload");
      assertEquals(200, reload.statusCode(), reload.body());
      assertEquals(2, JSON.readTree(reload.body()).get("routes").asInt());
      assertEquals("two", proxy.get("/a").body());
      assertEquals("one", proxy.get("/b").body());

      Files.writeString(proxy.confDir().resolve("routes.properties"), "/a = one\n/b = one ; evnt=raw\n");
      HttpResponse<String> bad = admin(proxy, "POST", "/reload");
      assertEquals(422, bad.statusCode());
      assertEquals("routes.properties:2: unknown option 'evnt' (did you mean 'event'?)", JSON.readTree(bad.body()).get("error").asText());
      assertEquals("two", proxy.get("/a").body(), "the old table stays");
      assertEquals(200, proxy.get("/b").statusCode());
    }
  }

  @Test
  void aReloadOfARoutesFileWithNoRoutesIsRefusedAndTheOldTableStays() throws Exception {
    try (ProxyHarness proxy = proxy("/a = one\n").start()) {
      for (String empty : List.of("", "# every route commented out while it is edited\n# /a = one\n")) {
        Files.writeString(proxy.confDir().resolve("routes.properties"), empty);
        HttpResponse<String> refused = admin(proxy, "POST", "/reload");
        assertEquals(422, refused.statusCode(), refused.body());
        JsonNode result = JSON.readTree(refused.body());
        assertFalse(result.get("reloaded").asBoolean());
        assertEquals(1, result.get("routes").asInt(), "the count in force");
        assertTrue(result.get("error").asText().startsWith("routes.properties in " + proxy.confDir().toAbsolutePath().normalize()
            + " has no routes"), result.toString());
        assertEquals("one", proxy.get("/a").body(), "the old table stays");
      }
    }
  }

  @Test
  void aStartWithARoutesFileWithNoRoutesIsStillAllowed() throws Exception {
    try (ProxyHarness proxy = proxy("").start()) {
      assertEquals(404, proxy.get("/a").statusCode());
      Files.writeString(proxy.confDir().resolve("routes.properties"), "/a = one\n");
      assertEquals(200, admin(proxy, "POST", "/reload").statusCode());
      assertEquals("one", proxy.get("/a").body());
    }
  }

  @Test
  void aChangedFileIsPickedUpByTheWatcher() throws Exception {
    try (ProxyHarness proxy = proxy("/a = one\n").watch().start()) {
      assertEquals(404, proxy.get("/c").statusCode());
      Files.writeString(proxy.confDir().resolve("routes.properties"), "/a = one\n/c = two\n");
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      while (proxy.get("/c").statusCode() != 200 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertEquals("two", proxy.get("/c").body());
    }
  }

  @Test
  void reloadingUnderLoadFailsNoRequest() throws Exception {
    try (ProxyHarness proxy = proxy("/a = one\n").start()) {
      AtomicBoolean running = new AtomicBoolean(true);
      ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
      List<Thread> clients = new ArrayList<>();
      java.util.concurrent.atomic.AtomicInteger answered = new java.util.concurrent.atomic.AtomicInteger();
      for (int t = 0; t < 4; t++) {
        Thread client = new Thread(() -> {
          while (running.get()) {
            HttpResponse<String> response = proxy.get("/a");
            if (response.statusCode() != 200) {
              failures.add(response.statusCode() + " " + response.body());
            }
            answered.incrementAndGet();
          }
        });
        clients.add(client);
        client.start();
      }
      // At least 20 reloads, and on until requests have run between them (a loaded machine is slow to start the clients).
      int reloads = 0;
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
      while (reloads < 20 || (answered.get() <= 40 && System.nanoTime() < deadline)) {
        Files.writeString(proxy.confDir().resolve("routes.properties"),
            "/a = " + (reloads % 2 == 0 ? "two" : "one") + "\n/x" + reloads + " = one\n");
        assertEquals(200, admin(proxy, "POST", "/reload").statusCode());
        reloads++;
      }
      running.set(false);
      for (Thread client : clients) {
        client.join(20_000);
      }
      assertTrue(failures.isEmpty(), failures.toString());
      assertTrue(answered.get() > 40, "requests ran during the " + reloads + " reloads: " + answered.get());
    }
  }

  @Test
  void aChangeToARestartOnlySettingIsReported() throws Exception {
    try (ProxyHarness proxy = proxy("/a = one\n").start()) {
      Files.writeString(proxy.confDir().resolve("lambda-proxy.properties"), "max-connections = 3\ntimeout-ms = 900\n");
      JsonNode result = JSON.readTree(admin(proxy, "POST", "/reload").body());
      assertTrue(result.get("reloaded").asBoolean());
      assertEquals("max-connections", result.get("restartRequired").get(0).asText());
    }
  }

  static String body(HttpResponse<String> response) throws IOException {
    return response.body();
  }
}

package dev.lambdaproxy.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lambdaproxy.invoke.stream.EventStreamFrames;
import dev.lambdaproxy.runtime.Telemetry;
import dev.lambdaproxy.testing.FakeLambda;
import dev.lambdaproxy.testing.Handlers;
import dev.lambdaproxy.testing.Invocation;
import dev.lambdaproxy.testing.LambdaReply;
import dev.lambdaproxy.testing.ProxyHarness;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * The front door of issue 15 (CORS, API keys and usage plans, route rates, bulkheads, tracing)
 * through a real server on each engine, against the fake Lambda that verifies every signature.
 */
class FrontDoorEndToEndTest {

  private static final String KEY = "AKIDFRONTDOOR";
  private static final String SECRET = "front/door+SECRET/wJalrXUtnFEMI";
  private static final String MOBILE_KEY = "e2e-mobile-key-0123456789abcdef";
  private static final String QUOTA_KEY = "e2e-quota-key-fedcba9876543210";
  private static final String ORIGIN = "https://app.example.com";
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  private static final CountDownLatch narrowEntered = new CountDownLatch(1);
  private static final CountDownLatch narrowReleased = new CountDownLatch(1);

  private static FakeLambda lambda;
  private static ProxyHarness proxy;

  @BeforeAll
  static void start() throws Exception {
    lambda = FakeLambda.builder()
        .credentials(KEY, SECRET)
        .function("echo", Handlers.echo())
        .function("api", Handlers.returning("""
            {"statusCode":200,"headers":{"Content-Type":"text/plain","Access-Control-Allow-Origin":"*",
             "Access-Control-Allow-Methods":"PATCH","X-Request-Id":"r-1"},"body":"from the function"}"""))
        .function("held", invocation -> {
          narrowEntered.countDown();
          if (!narrowReleased.await(20, TimeUnit.SECONDS)) {
            throw new IllegalStateException("never released");
          }
          return LambdaReply.json("\"done\"");
        })
        .function("busy", Handlers.replying(LambdaReply.throttled(Duration.ofSeconds(7))))
        .function("streamer", Handlers.replying(LambdaReply.stream(EventStreamFrames.HTTP_INTEGRATION, List.of(
            EventStreamFrames.payloadChunk(EventStreamFrames.httpPrelude(200, Map.of("Content-Type", "text/plain",
                "Access-Control-Allow-Origin", "*"), List.of())),
            EventStreamFrames.payloadChunk("streamed"), EventStreamFrames.invokeComplete(null, null)), Duration.ZERO)))
        .start();
    proxy = ProxyHarness.builder()
        .lambda(lambda, KEY, SECRET)
        .env("MOBILE_API_KEY", MOBILE_KEY)
        .env("QUOTA_API_KEY", QUOTA_KEY)
        .admin()
        .settings("""
            # As the README shows them.
            cors.allow-origins = https://app.example.com, https://admin.example.com
            cors.allow-methods = GET, POST, PUT, DELETE
            cors.allow-headers = authorization, content-type, x-api-key
            cors.expose-headers = x-request-id
            cors.max-age = 600
            cors.allow-credentials = true
            usage-plan.basic.rate = 100
            usage-plan.basic.burst = 100
            usage-plan.tiny.quota = 2/DAY
            api-key.mobile.value = ${MOBILE_API_KEY}
            api-key.mobile.plan = basic
            api-key.quota.value = ${QUOTA_API_KEY}
            api-key.quota.plan = tiny
            tracing.sample-rate = 1
            """)
        .routes("""
            /echo = echo
            /api = api ; methods=GET
            /own = api ; cors=false
            /keyed = api ; event=apigw-v1 ; require-api-key=true
            /quota = echo ; require-api-key=true ; cors=false
            /limited = echo ; rate=0.001 ; burst=1 ; cors=false
            /narrow = held ; max-concurrency=1 ; cors=false
            /busy = busy ; event=apigw-v2
            /busy-stream = busy ; stream=true
            /stream = streamer ; stream=true
            """)
        .start();
  }

  @AfterAll
  static void stop() throws Exception {
    narrowReleased.countDown();
    proxy.close();
    lambda.close();
  }

  @BeforeEach
  void forgetEarlierRequests() {
    lambda.reset();
  }

  private static HttpResponse<String> send(String method, String path, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(proxy.uri(path)).method(method, HttpRequest.BodyPublishers.noBody());
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return proxy.send(request);
  }

  private static List<String> all(HttpResponse<?> response, String name) {
    return response.headers().allValues(name);
  }

  /** Preflights as browsers send them, header by header (Chrome 131 and Firefox 133, a fetch with a JSON body and an API key). */
  static Stream<Arguments> browsersPreflights() {
    return Stream.of(
        Arguments.of("Chrome", List.of(
            "Accept", "*/*",
            "Accept-Encoding", "gzip, deflate, br, zstd",
            "Accept-Language", "en-GB,en;q=0.9",
            "Access-Control-Request-Headers", "content-type,x-api-key",
            "Access-Control-Request-Method", "PUT",
            "Cache-Control", "no-cache",
            "Origin", ORIGIN,
            "Pragma", "no-cache",
            "Referer", ORIGIN + "/",
            "Sec-Fetch-Dest", "empty",
            "Sec-Fetch-Mode", "cors",
            "Sec-Fetch-Site", "cross-site",
            "User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36")),
        Arguments.of("Firefox", List.of(
            "User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
            "Accept", "*/*",
            "Accept-Language", "en-GB,en;q=0.5",
            "Accept-Encoding", "gzip, deflate, br, zstd",
            "Access-Control-Request-Method", "PUT",
            "Access-Control-Request-Headers", "content-type,x-api-key",
            "Referer", ORIGIN + "/",
            "Origin", ORIGIN,
            "Sec-Fetch-Dest", "empty",
            "Sec-Fetch-Mode", "cors",
            "Sec-Fetch-Site", "cross-site",
            "Priority", "u=4",
            "Pragma", "no-cache",
            "Cache-Control", "no-cache")));
  }

  @ParameterizedTest(name = "{0}''s preflight is answered by the proxy, even where the route takes GET only")
  @MethodSource("browsersPreflights")
  void aBrowsersPreflightIsAnsweredWithoutInvokingTheFunction(String browser, List<String> headers) {
    HttpResponse<String> response = send("OPTIONS", "/api", headers.toArray(String[]::new));
    assertEquals(204, response.statusCode(), response.body());
    assertEquals("", response.body());
    assertEquals(List.of(ORIGIN), all(response, "Access-Control-Allow-Origin"));
    assertEquals(List.of("true"), all(response, "Access-Control-Allow-Credentials"));
    assertEquals(List.of("GET, POST, PUT, DELETE"), all(response, "Access-Control-Allow-Methods"));
    assertEquals(List.of("authorization, content-type, x-api-key"), all(response, "Access-Control-Allow-Headers"));
    assertEquals(List.of("600"), all(response, "Access-Control-Max-Age"));
    assertEquals(List.of("Origin"), all(response, "Vary"));
    assertEquals(0, lambda.requestCount(), "a preflight never reaches Lambda");
  }

  @Test
  void aPreflightNeedsNoApiKeyAndAnOriginNotListedGetsNoPermission() {
    HttpResponse<String> keyed = send("OPTIONS", "/keyed", "Origin", ORIGIN, "Access-Control-Request-Method", "GET",
        "Access-Control-Request-Headers", "x-api-key");
    assertEquals(204, keyed.statusCode());
    assertEquals(List.of(ORIGIN), all(keyed, "Access-Control-Allow-Origin"));
    HttpResponse<String> stranger = send("OPTIONS", "/echo", "Origin", "https://evil.example.com", "Access-Control-Request-Method", "GET");
    assertEquals(204, stranger.statusCode());
    assertEquals(List.of(), all(stranger, "Access-Control-Allow-Origin"));
    assertEquals(List.of(), all(stranger, "Access-Control-Allow-Methods"));
    assertEquals(0, lambda.requestCount());
  }

  @Test
  void theConfiguredCorsHeadersReplaceTheFunctionsOwn() {
    HttpResponse<String> response = send("GET", "/api", "Origin", "https://admin.example.com");
    assertEquals(200, response.statusCode());
    assertEquals("from the function", response.body());
    assertEquals(List.of("https://admin.example.com"), all(response, "Access-Control-Allow-Origin"));
    assertEquals(List.of("true"), all(response, "Access-Control-Allow-Credentials"));
    assertEquals(List.of("x-request-id"), all(response, "Access-Control-Expose-Headers"));
    assertEquals(List.of(), all(response, "Access-Control-Allow-Methods"), "the function's own are dropped");
    assertEquals(List.of("r-1"), all(response, "X-Request-Id"));
    assertEquals(List.of("Origin"), all(response, "Vary"));
  }

  @Test
  void aStreamedAnswerGetsTheCorsHeadersInItsHead() {
    HttpResponse<String> response = send("GET", "/stream", "Origin", ORIGIN);
    assertEquals(200, response.statusCode());
    assertEquals("streamed", response.body());
    assertEquals(List.of(ORIGIN), all(response, "Access-Control-Allow-Origin"), "the function's * replaced");
    assertEquals(List.of("Origin"), all(response, "Vary"));
  }

  @Test
  void onACorsFalseRouteTheFunctionsHeadersPassAndOptionsIsTheFunctions() {
    HttpResponse<String> response = send("GET", "/own", "Origin", ORIGIN);
    assertEquals(List.of("*"), all(response, "Access-Control-Allow-Origin"));
    assertEquals(List.of("PATCH"), all(response, "Access-Control-Allow-Methods"));
    assertEquals(List.of(), all(response, "Vary"));
    HttpResponse<String> preflight = send("OPTIONS", "/own", "Origin", ORIGIN, "Access-Control-Request-Method", "PATCH");
    assertEquals(200, preflight.statusCode());
    assertEquals("from the function", preflight.body());
    assertEquals(2, lambda.invocations().size());
  }

  @Test
  void aMissingOrUnknownApiKeyIs403ForbiddenWithCorsHeadersAndNoInvocation() throws Exception {
    for (String[] presented : List.of(new String[0], new String[] {"x-api-key", MOBILE_KEY + "0"})) {
      String[] headers = Stream.concat(Stream.of("Origin", ORIGIN), Stream.of(presented)).toArray(String[]::new);
      HttpResponse<String> response = send("GET", "/keyed", headers);
      assertEquals(403, response.statusCode());
      assertEquals("{\"message\":\"Forbidden\"}", response.body());
      assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
      assertEquals(List.of("ForbiddenException"), all(response, "x-amzn-ErrorType"));
      assertEquals(List.of(ORIGIN), all(response, "Access-Control-Allow-Origin"), "the page can read why");
    }
    assertEquals(0, lambda.requestCount());
  }

  @Test
  void aKnownKeyReachesTheEventAsApiGatewayPutsIt() throws Exception {
    HttpResponse<String> response = send("GET", "/keyed", "x-api-key", MOBILE_KEY);
    assertEquals(200, response.statusCode(), response.body());
    JsonNode identity = lambda.lastInvocation().payloadJson().path("requestContext").path("identity");
    assertEquals(MOBILE_KEY, identity.path("apiKey").asText());
    assertEquals("mobile", identity.path("apiKeyId").asText());
  }

  @Test
  void aQuotaOf2PerDayAllowsExactly2AndThenSaysLimitExceeded() {
    assertEquals(200, send("GET", "/quota", "x-api-key", QUOTA_KEY).statusCode());
    assertEquals(200, send("GET", "/quota", "x-api-key", QUOTA_KEY).statusCode());
    HttpResponse<String> over = send("GET", "/quota", "x-api-key", QUOTA_KEY);
    assertEquals(429, over.statusCode());
    assertEquals("{\"message\":\"Limit Exceeded\"}", over.body());
    assertEquals(List.of("LimitExceededException"), all(over, "x-amzn-ErrorType"));
    assertEquals(2, lambda.invocations().size());
  }

  @Test
  void aRoutesRateAnswers429AtOncePastItsBurst() {
    assertEquals(200, send("GET", "/limited").statusCode());
    HttpResponse<String> over = send("GET", "/limited");
    assertEquals(429, over.statusCode());
    assertEquals("{\"message\":\"Too Many Requests\"}", over.body());
    assertEquals(List.of("TooManyRequestsException"), all(over, "x-amzn-ErrorType"));
    assertEquals(1, lambda.invocations().size());
  }

  @Test
  void aFullBulkheadAnswers429AtOnceAndItsPlaceComesBackWithTheAnswer() throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    CompletableFuture<HttpResponse<String>> first = client.sendAsync(HttpRequest.newBuilder(proxy.uri("/narrow"))
        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    assertTrue(narrowEntered.await(10, TimeUnit.SECONDS), "the first request reached the function");
    long started = System.nanoTime();
    HttpResponse<String> refused = send("GET", "/narrow");
    assertEquals(429, refused.statusCode());
    assertEquals("{\"message\":\"Too Many Requests\"}", refused.body());
    assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5), "refused at once, not after waiting");
    narrowReleased.countDown();
    assertEquals(200, first.get(20, TimeUnit.SECONDS).statusCode());
    // The front end reports the exchange complete just after the answer's last byte: wait for the place, never sleep.
    HttpResponse<String> again = send("GET", "/narrow");
    for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5); again.statusCode() == 429 && System.nanoTime() < deadline; ) {
      Thread.onSpinWait();
      again = send("GET", "/narrow");
    }
    assertEquals(200, again.statusCode(), again.body());
  }

  @Test
  void lambdasOwn429ReachesTheClientWithItsRetryAfterBufferedOrStreamed() {
    for (String path : List.of("/busy", "/busy-stream")) {
      HttpResponse<String> response = send("GET", path);
      assertEquals(429, response.statusCode(), path + ": " + response.body());
      assertEquals("7", response.headers().firstValue("Retry-After").orElseThrow(), path);
    }
  }

  @Test
  void theClientsTraceContinuesIntoTheSignedInvokeCall() {
    String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    assertEquals(200, send("GET", "/echo", "traceparent", traceparent).statusCode());
    Invocation w3c = lambda.lastInvocation();
    assertEquals("Root=1-4bf92f35-77b34da6a3ce929d0e0e4736;Parent=00f067aa0ba902b7;Sampled=1", w3c.header("x-amzn-trace-id"));
    assertFalse(w3c.header("authorization").contains("x-amzn-trace-id"), "sent unsigned, as the AWS SDKs send it");

    String xray = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0;Self=1-00000000-000000000000000000000001";
    assertEquals(200, send("GET", "/echo", "X-Amzn-Trace-Id", xray, "X-Amz-Target", "Lambda.Steer").statusCode());
    Invocation continued = lambda.lastInvocation();
    assertEquals("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0", continued.header("x-amzn-trace-id"));
    assertEquals(null, continued.header("x-amz-target"), "the client's other X-Amz* headers still never reach AWS");

    assertEquals(200, send("GET", "/echo", "traceparent", "00-garbage-x", "X-Amzn-Trace-Id", "Root=1-zz").statusCode());
    String started = lambda.lastInvocation().header("x-amzn-trace-id");
    assertTrue(Pattern.matches("Root=1-[0-9a-f]{8}-[0-9a-f]{24};Sampled=1", started), "a new trace, sampled at rate 1: " + started);
  }

  @Test
  void theAccessLogNamesTheTraceAndMetricsCountEachDecisionWithoutAKey() throws Exception {
    Logger access = (Logger) LoggerFactory.getLogger(Telemetry.ACCESS_LOGGER);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
    lines.start();
    ch.qos.logback.classic.Level before = access.getLevel();
    access.setLevel(ch.qos.logback.classic.Level.INFO); // logback-test.xml keeps it quiet
    access.setAdditive(false);
    access.addAppender(lines);
    try {
      send("GET", "/echo", "X-Amzn-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1");
      send("OPTIONS", "/echo", "Origin", ORIGIN, "Access-Control-Request-Method", "POST");
      send("GET", "/keyed", "x-api-key", "e2e-not-a-key-000000000000000");
      String logged = waitForLines(lines, 2);
      assertTrue(logged.contains("trace=1-5759e988-bd862e3fe1be46a994272793"), logged);
    } finally {
      access.detachAppender(lines);
      access.setAdditive(true);
      access.setLevel(before);
    }
    String metrics = proxy.send(HttpRequest.newBuilder(proxy.adminUri("/metrics"))).body();
    assertTrue(Pattern.compile("lambda_proxy_front_door_total\\{decision=\"preflight\",route=\"/echo\"} [1-9]").matcher(metrics).find(),
        metrics);
    assertTrue(metrics.contains("lambda_proxy_front_door_total{decision=\"bad_api_key\",route=\"/keyed\"}"), metrics);
    assertFalse(metrics.contains(MOBILE_KEY) || metrics.contains("e2e-not-a-key"), "never a key in a metric");
  }

  private static String waitForLines(ListAppender<ILoggingEvent> lines, int count) {
    // The access log line follows the answer by a moment: wait for it, never sleep a fixed time.
    for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5); System.nanoTime() < deadline; Thread.onSpinWait()) {
      synchronized (lines) {
        if (lines.list.size() >= count) {
          break;
        }
      }
    }
    StringBuilder text = new StringBuilder();
    synchronized (lines) {
      lines.list.forEach(event -> text.append(event.getFormattedMessage()).append('\n'));
    }
    return text.toString();
  }
}

package dev.lambdaproxy.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lambdaproxy.credentials.AwsCredentials;
import dev.lambdaproxy.frontdoor.Bulkheads;
import dev.lambdaproxy.http.ClientAnswer;
import dev.lambdaproxy.invoke.event.FrontDoorContext;
import dev.lambdaproxy.invoke.event.Header;
import dev.lambdaproxy.runtime.ConfSource;
import dev.lambdaproxy.runtime.LiveConfig;
import dev.lambdaproxy.runtime.ProxyConfig;
import dev.lambdaproxy.runtime.ProxyRuntime;
import dev.lambdaproxy.runtime.Telemetry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each check of the front door through the real pipeline, with an upstream that records what would reach Lambda. */
class FrontDoorChecksTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "mobile-key-0123456789-abcdef";
  private static final String ORIGIN = "https://app.example.com";

  @TempDir
  Path conf;

  private final List<ProxyRequest> sent = new CopyOnWriteArrayList<>();
  private Function<ProxyRequest, CompletableFuture<ServerResponse>> answers = request -> CompletableFuture.completedFuture(
      new ServerResponse(200, List.of(new Header("Content-Type", "application/json")), ("{\"statusCode\":200,\"headers\":{"
          + "\"Access-Control-Allow-Origin\":\"*\",\"access-control-allow-methods\":\"PUT\",\"X-Own\":\"kept\"},\"body\":\"hi\"}")
          .getBytes(StandardCharsets.UTF_8)));
  private SimpleMeterRegistry registry;
  private Pipeline pipeline;

  @BeforeEach
  void start() throws IOException {
    Files.writeString(conf.resolve("routes.properties"), """
        /fn = fn ; methods=GET,POST
        /own = fn ; cors=false
        /keyed = fn ; require-api-key=true ; event=apigw-v1
        /limited = fn ; rate=0.001 ; burst=2 ; cors=false
        /narrow = fn ; max-concurrency=1 ; cors=false
        /endpoint = http://127.0.0.1:9/prod ; cors=false
        """);
    Files.writeString(conf.resolve("lambda-proxy.properties"), """
        cors.allow-origins = https://app.example.com
        cors.allow-methods = GET, POST, PUT
        cors.allow-headers = content-type, x-api-key
        cors.max-age = 300
        usage-plan.basic.rate = 0.001
        usage-plan.basic.burst = 3
        usage-plan.basic.quota = 2/DAY
        api-key.mobile.value = ${MOBILE_KEY}
        api-key.mobile.plan = basic
        """);
    ProxyConfig config = ProxyConfig.load(ConfSource.directory(conf), Map.of("AWS_REGION", "us-east-1", "MOBILE_KEY", KEY),
        () -> AwsCredentials.of("AKIDFRONTDOOR", "front/door/SECRET"), Clock.systemUTC());
    registry = new SimpleMeterRegistry();
    pipeline = new Pipeline(ProxyRuntime.of(LiveConfig.fixed(config), new Telemetry(registry, false)), new Upstream() {
      @Override
      public CompletableFuture<ServerResponse> exchange(ProxyRequest request) {
        sent.add(request);
        return answers.apply(request);
      }

      @Override
      public Call stream(ProxyRequest request, StreamListener listener) {
        sent.add(request);
        throw new UnsupportedOperationException("what reaches an endpoint is recorded, no more");
      }
    });
  }

  private Exchanged run(String method, String path, String... headerPairs) throws Exception {
    List<Header> headers = new ArrayList<>();
    for (int i = 0; i < headerPairs.length; i += 2) {
      headers.add(new Header(headerPairs[i], headerPairs[i + 1]));
    }
    ClientRequest request = new ClientRequest(method, path, path, null, headers, "127.0.0.1", "http", "HTTP/1.1", "localhost", -1);
    RecordingSink sink = new RecordingSink();
    Pipeline.Call call = pipeline.newCall(request, sink);
    if (call.admit(null, null)) {
      call.proceed(RequestBody.EMPTY);
    }
    return new Exchanged(call, sink);
  }

  private record Exchanged(Pipeline.Call call, RecordingSink sink) {
    ClientAnswer answer() throws Exception {
      ClientAnswer answer = sink.answered.get(5, TimeUnit.SECONDS);
      call.completed(answer.status());
      return answer;
    }
  }

  private static List<String> header(ClientAnswer answer, String name) {
    return answer.headers().stream().filter(h -> h.name().equalsIgnoreCase(name)).map(ClientAnswer.Header::value).toList();
  }

  private double decisions(String route, String decision) {
    var counter = registry.find("lambda_proxy_front_door").tag("route", route).tag("decision", decision).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void aPreflightIsAnsweredWithoutInvokingEvenWhereTheRouteDoesNotTakeOptions() throws Exception {
    ClientAnswer answer = run("OPTIONS", "/fn", "Origin", ORIGIN, "Access-Control-Request-Method", "PUT",
        "Access-Control-Request-Headers", "content-type").answer();
    assertEquals(204, answer.status());
    assertEquals(0, answer.body().length);
    assertEquals(List.of(ORIGIN), header(answer, "Access-Control-Allow-Origin"));
    assertEquals(List.of("GET, POST, PUT"), header(answer, "Access-Control-Allow-Methods"));
    assertEquals(List.of("content-type, x-api-key"), header(answer, "Access-Control-Allow-Headers"));
    assertEquals(List.of("300"), header(answer, "Access-Control-Max-Age"));
    assertEquals(List.of("Origin"), header(answer, "Vary"));
    assertEquals(List.of(), sent);
    assertEquals(1, decisions("/fn", "preflight"));
  }

  @Test
  void aPreflightNeedsNoApiKey() throws Exception {
    ClientAnswer answer = run("OPTIONS", "/keyed", "Origin", ORIGIN, "Access-Control-Request-Method", "GET").answer();
    assertEquals(204, answer.status());
    assertEquals(List.of(ORIGIN), header(answer, "Access-Control-Allow-Origin"));
    assertEquals(List.of(), sent);
  }

  @Test
  void aPreflightFromAnotherOriginGetsNoPermission() throws Exception {
    ClientAnswer answer = run("OPTIONS", "/fn", "Origin", "https://evil.example.com", "Access-Control-Request-Method", "GET").answer();
    assertEquals(204, answer.status());
    assertEquals(List.of(), header(answer, "Access-Control-Allow-Origin"));
    assertEquals(List.of(), header(answer, "Access-Control-Allow-Methods"));
    assertEquals(List.of(), sent);
  }

  @Test
  void anOptionsThatIsNoPreflightIsTheRoutesAndACorsFalseRouteAnswersItsOwnPreflights() throws Exception {
    assertEquals(405, run("OPTIONS", "/fn", "Origin", ORIGIN).answer().status(), "no Access-Control-Request-Method: not a preflight");
    ClientAnswer own = run("OPTIONS", "/own", "Origin", ORIGIN, "Access-Control-Request-Method", "PUT").answer();
    assertEquals(200, own.status());
    assertEquals(1, sent.size(), "the function answered");
    assertEquals(List.of("*"), header(own, "Access-Control-Allow-Origin"), "a cors=false route keeps the function's headers");
    assertEquals(List.of("PUT"), header(own, "access-control-allow-methods"));
  }

  @Test
  void theFunctionsCorsHeadersAreReplacedByTheConfiguredOnes() throws Exception {
    ClientAnswer answer = run("GET", "/fn", "Origin", ORIGIN).answer();
    assertEquals(200, answer.status());
    assertEquals(List.of(ORIGIN), header(answer, "Access-Control-Allow-Origin"));
    assertEquals(List.of(), header(answer, "Access-Control-Allow-Methods"), "the function's own are dropped");
    assertEquals(List.of("kept"), header(answer, "X-Own"));
    assertEquals(List.of("Origin"), header(answer, "Vary"));
    ClientAnswer stranger = run("GET", "/fn", "Origin", "https://evil.example.com").answer();
    assertEquals(List.of(), header(stranger, "Access-Control-Allow-Origin"), "not even the function's *");
  }

  @Test
  void theProxysOwnErrorsOnACorsRouteCarryTheCorsHeadersToo() throws Exception {
    ClientAnswer notAllowed = run("DELETE", "/fn", "Origin", ORIGIN).answer();
    assertEquals(405, notAllowed.status());
    assertEquals(List.of(ORIGIN), header(notAllowed, "Access-Control-Allow-Origin"));
    answers = request -> CompletableFuture.failedFuture(new UpstreamFailure(UpstreamFailure.Kind.REFUSED, "connection refused", null));
    ClientAnswer unreachable = run("GET", "/fn", "Origin", ORIGIN).answer();
    assertEquals(502, unreachable.status());
    assertEquals(List.of(ORIGIN), header(unreachable, "Access-Control-Allow-Origin"));
  }

  @Test
  void aMissingOrUnknownApiKeyIs403ForbiddenAsApiGatewaySaysIt() throws Exception {
    ClientAnswer missing = run("GET", "/keyed", "Origin", ORIGIN).answer();
    assertEquals(403, missing.status());
    assertEquals("{\"message\":\"Forbidden\"}", new String(missing.body(), StandardCharsets.UTF_8));
    assertEquals(ClientAnswer.JSON, missing.contentType());
    assertEquals(List.of("ForbiddenException"), header(missing, "x-amzn-ErrorType"));
    assertEquals(List.of(ORIGIN), header(missing, "Access-Control-Allow-Origin"), "a denial on a CORS route is readable by the page");
    ClientAnswer unknown = run("GET", "/keyed", "x-api-key", KEY + "x").answer();
    assertEquals(403, unknown.status());
    assertEquals(List.of(), sent);
    assertEquals(1, decisions("/keyed", "no_api_key"));
    assertEquals(1, decisions("/keyed", "bad_api_key"));
  }

  @Test
  void aKnownKeyReachesTheEventAndItsQuotaAllowsExactlyItsLimit() throws Exception {
    for (int i = 0; i < 2; i++) {
      assertEquals(200, run("GET", "/keyed", "x-api-key", KEY).answer().status());
    }
    JsonNode identity = JSON.readTree(StandardCharsets.UTF_8.decode(sent.get(0).body().get(0).duplicate()).toString())
        .path("requestContext").path("identity");
    assertEquals(KEY, identity.path("apiKey").asText());
    assertEquals("mobile", identity.path("apiKeyId").asText());
    ClientAnswer over = run("GET", "/keyed", "x-api-key", KEY).answer();
    assertEquals(429, over.status());
    assertEquals("{\"message\":\"Limit Exceeded\"}", new String(over.body(), StandardCharsets.UTF_8));
    assertEquals(List.of("LimitExceededException"), header(over, "x-amzn-ErrorType"));
    assertEquals(2, sent.size());
    assertEquals(2, decisions("/keyed", "allowed"));
    assertEquals(1, decisions("/keyed", "quota_exceeded"));
    ClientAnswer throttled = run("GET", "/keyed", "x-api-key", KEY).answer();
    assertEquals(429, throttled.status(), "the plan's burst of 3 is spent");
    assertEquals("{\"message\":\"Too Many Requests\"}", new String(throttled.body(), StandardCharsets.UTF_8));
    assertEquals(1, decisions("/keyed", "plan_throttled"));
  }

  @Test
  void aRoutesRateAnswers429TooManyRequestsPastItsBurst() throws Exception {
    assertEquals(200, run("GET", "/limited").answer().status());
    assertEquals(200, run("GET", "/limited").answer().status());
    ClientAnswer over = run("GET", "/limited").answer();
    assertEquals(429, over.status());
    assertEquals("{\"message\":\"Too Many Requests\"}", new String(over.body(), StandardCharsets.UTF_8));
    assertEquals(List.of("TooManyRequestsException"), header(over, "x-amzn-ErrorType"));
    assertEquals(2, sent.size());
    assertEquals(1, decisions("/limited", "route_throttled"));
  }

  @Test
  void theBulkheadRefusesAtOnceWhileFullAndItsPlaceComesBackWhenTheRequestEndsHoweverItEnds() throws Exception {
    CompletableFuture<ServerResponse> held = new CompletableFuture<>();
    answers = request -> held;
    Exchanged first = run("GET", "/narrow");
    ClientAnswer refused = run("GET", "/narrow").answer();
    assertEquals(429, refused.status());
    assertEquals("{\"message\":\"Too Many Requests\"}", new String(refused.body(), StandardCharsets.UTF_8));
    assertEquals(1, decisions("/narrow", "bulkhead_full"));
    held.complete(new ServerResponse(200, List.of(), "\"done\"".getBytes(StandardCharsets.UTF_8)));
    assertEquals(200, first.answer().status());

    // A client that leaves gives its place back too.
    answers = request -> new CompletableFuture<>();
    Exchanged leaving = run("GET", "/narrow");
    assertEquals(429, run("GET", "/narrow").answer().status());
    leaving.call().clientGone(new java.io.IOException("reset"));
    leaving.call().completed(Pipeline.CLIENT_CLOSED_REQUEST);
    leaving.call().completed(Pipeline.CLIENT_CLOSED_REQUEST);
    answers = request -> CompletableFuture.completedFuture(new ServerResponse(200, List.of(), "\"ok\"".getBytes(StandardCharsets.UTF_8)));
    assertEquals(200, run("GET", "/narrow").answer().status());
    assertEquals(200, run("GET", "/narrow").answer().status(), "one place, given back once each time");
  }

  @Test
  void theInvokeCallCarriesTheClientsTraceUnsigned() throws Exception {
    run("GET", "/fn", "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "X-Amz-Date", "20000101T000000Z").answer();
    ProxyRequest call = sent.get(0);
    assertEquals("Root=1-4bf92f35-77b34da6a3ce929d0e0e4736;Parent=00f067aa0ba902b7;Sampled=1", call.header("X-Amzn-Trace-Id"));
    assertFalse(call.header("Authorization").contains("x-amzn-trace-id"), call.header("Authorization"));
    assertFalse(call.header("X-Amz-Date").startsWith("2000"), "the client's X-Amz-* never reach AWS");
  }

  @Test
  void anEndpointGetsTheCheckedTraceInPlaceOfTheClientsOwn() throws Exception {
    run("GET", "/endpoint", "X-Amzn-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793;Evil=\"x\";Sampled=1",
        "X-Amzn-Trace-Id", "Root=1-5759e988-000000000000000000000001").answer();
    ProxyRequest call = sent.get(0);
    assertEquals(List.of("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"),
        call.headers().stream().filter(h -> h.name().equalsIgnoreCase("X-Amzn-Trace-Id")).map(Header::value).toList());
  }

  @Test
  void aFrontDoorWithNothingThatAppliesLetsTheRequestStraightOn() throws Exception {
    assertEquals(200, run("GET", "/own").answer().status());
    assertEquals(0, decisions("/own", "allowed"), "nothing applied, nothing counted");
  }

  @Test
  void aPlaceHeldByAnEarlierCheckIsGivenBackWhenALaterOneRefuses() throws Exception {
    Bulkheads bulkheads = new Bulkheads();
    FrontDoor.Check refusing = new FrontDoor.Check() {
      @Override
      public boolean applies(Routed routed, ClientRequest clientRequest) {
        return true;
      }

      @Override
      public CompletableFuture<FrontDoor.Verdict> check(Routed routed, ClientRequest clientRequest, FrontDoorContext context) {
        return CompletableFuture.supplyAsync(() -> {
          throw new Failures.Refusal(dev.lambdaproxy.http.ProxyError.forbidden("denied"));
        });
      }
    };
    FrontDoor frontDoor = new FrontDoor(List.of(new Bulkhead(bulkheads), refusing));
    ClientRequest request = new ClientRequest("GET", "/narrow", "/narrow", null, List.of(), "127.0.0.1", "http", "HTTP/1.1", "localhost", -1);
    Routed routed = Admit.admit(pipeline.runtime().live().current(), null, request, false);
    CompletableFuture<FrontDoor.Verdict> verdict = frontDoor.check(routed, request);
    assertTrue(assertThrowsAsync(verdict) instanceof Failures.Refusal);
    assertEquals(0, bulkheads.inFlight("/narrow"));
    FrontDoor.Verdict passed = new FrontDoor(List.of(new Bulkhead(bulkheads))).check(routed, request).get(5, TimeUnit.SECONDS);
    assertEquals(1, bulkheads.inFlight("/narrow"));
    passed.release().run();
    passed.release().run();
    assertEquals(0, bulkheads.inFlight("/narrow"));
    assertNull(new FrontDoor(List.of()).check(routed, request).get(5, TimeUnit.SECONDS).release());
  }

  private static Throwable assertThrowsAsync(CompletableFuture<?> future) {
    try {
      future.get(5, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return Failures.unwrap(e);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("expected a failure");
  }

  /** Records the pipeline's answer. */
  private static final class RecordingSink implements ClientSink {
    final CompletableFuture<ClientAnswer> answered = new CompletableFuture<>();

    @Override
    public void answer(ClientAnswer answer) {
      answered.complete(answer);
    }

    @Override
    public void head(int status, List<ClientAnswer.Header> headers, String contentType) {
      throw new AssertionError("no streaming here");
    }

    @Override
    public void write(ByteBuffer piece, Written written) {
      written.succeeded();
    }

    @Override
    public void end() {}

    @Override
    public void abort(Throwable why) {
      answered.completeExceptionally(why);
    }

    @Override
    public boolean isCommitted() {
      return answered.isDone();
    }
  }
}

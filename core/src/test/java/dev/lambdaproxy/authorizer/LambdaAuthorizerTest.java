package dev.lambdaproxy.authorizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lambdaproxy.invoke.LambdaResponse;
import dev.lambdaproxy.invoke.event.ClientRequestView;
import dev.lambdaproxy.invoke.event.Header;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** A Lambda authorizer's decisions: identity sources, events, answers, policies per request, and its cache. */
class LambdaAuthorizerTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ALLOW_ORDERS = """
      {"principalId":"user-1","context":{"tier":"gold","n":3},"policyDocument":{"Version":"2012-10-17","Statement":[
       {"Effect":"Allow","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:eu-west-1:000000000000:lambda-proxy/$default/GET/orders/*"}]}}
      """;

  /** A clock that moves only when the test says. */
  static final class TestClock extends Clock {
    private final AtomicLong millis = new AtomicLong(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());

    void advance(Duration by) {
      millis.addAndGet(by.toMillis());
    }

    @Override
    public long millis() {
      return millis.get();
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }

  /** Answers every event with what {@code answer} makes of it, and keeps the events. */
  static final class FakeFunction implements LambdaAuthorizer.Invoker {
    final List<JsonNode> events = new ArrayList<>();
    private final Function<JsonNode, LambdaResponse> answer;

    FakeFunction(Function<JsonNode, LambdaResponse> answer) {
      this.answer = answer;
    }

    static FakeFunction returning(String json) {
      return new FakeFunction(event -> ok(json));
    }

    @Override
    public CompletableFuture<LambdaResponse> invoke(byte[] event) {
      try {
        JsonNode parsed = JSON.readTree(event);
        events.add(parsed);
        return CompletableFuture.completedFuture(answer.apply(parsed));
      } catch (Exception e) {
        return CompletableFuture.failedFuture(e);
      }
    }
  }

  static LambdaResponse ok(String json) {
    return new LambdaResponse(200, null, null, null, "req-1", json.getBytes(StandardCharsets.UTF_8));
  }

  private static AuthorizerSpec.Lambda spec(String type, String extra) {
    return (AuthorizerSpec.Lambda) AuthorizersTest.load("authorizer.gate.type = " + type + "\nauthorizer.gate.function = gate\n"
        + extra, "/x = x\n").authorizers().get("gate");
  }

  private static LambdaAuthorizer.Request request(String method, String path, String rawQuery, Header... headers) {
    List<Header> list = List.of(headers);
    return new LambdaAuthorizer.Request(method, path, list, rawQuery, () -> new ClientRequestView(method, path, path, rawQuery, list,
        new byte[0], "203.0.113.9", "HTTP/1.1", "api.example.com", "request-1", 1_700_000_000_000L, "/orders/{id}",
        Map.of("id", path.substring(path.lastIndexOf('/') + 1))));
  }

  private static AuthorizerOutcome decide(LambdaAuthorizer authorizer, LambdaAuthorizer.Request request, LambdaAuthorizer.Invoker function) {
    return authorizer.authorize(request, function).join();
  }

  @Test
  void aMissingIdentitySourceIs401WithoutInvoking() {
    FakeFunction function = FakeFunction.returning(ALLOW_ORDERS);
    LambdaAuthorizer authorizer = new LambdaAuthorizer(spec("token", ""), Clock.systemUTC());
    AuthorizerOutcome outcome = decide(authorizer, request("GET", "/orders/1", null), function);
    assertEquals(AuthorizerOutcome.Kind.UNAUTHORIZED, outcome.kind());
    assertEquals("identity source $request.header.Authorization is missing", outcome.reason());
    assertEquals(List.of(), function.events);
  }

  @Test
  void aTokenAuthorizerGetsTheTokenAndTheMethodArn() {
    FakeFunction function = FakeFunction.returning(ALLOW_ORDERS);
    LambdaAuthorizer authorizer = new LambdaAuthorizer(spec("token", ""), Clock.systemUTC());
    AuthorizerOutcome outcome = decide(authorizer, request("GET", "/orders/1", null, new Header("Authorization", "Bearer abc")), function);
    assertEquals(AuthorizerOutcome.Kind.ALLOWED, outcome.kind());
    assertEquals("{\"type\":\"TOKEN\",\"authorizationToken\":\"Bearer abc\",\"methodArn\":"
        + "\"arn:aws:execute-api:eu-west-1:000000000000:lambda-proxy/$default/GET/orders/1\"}", function.events.get(0).toString());
    assertEquals("user-1", outcome.v1().get("principalId").asText());
    assertEquals("3", outcome.v1().get("n").asText(), "1.0 context values are strings");
    assertEquals(3, outcome.v2().at("/lambda/n").asInt(), "2.0 keeps the context as returned");
  }

  @Test
  void aRequestAuthorizerGetsThe20EventWithoutBodyAndItsIdentitySource() {
    FakeFunction function = FakeFunction.returning("{\"isAuthorized\":true,\"context\":{\"a\":[1]}}");
    LambdaAuthorizer authorizer = new LambdaAuthorizer(spec("request", """
        authorizer.gate.simple-responses = true
        authorizer.gate.identity-source = $request.header.X-Key, $request.querystring.tenant
        """), Clock.systemUTC());
    AuthorizerOutcome outcome = decide(authorizer, request("POST", "/orders/9", "tenant=acme", new Header("X-Key", "k1")), function);
    assertEquals(AuthorizerOutcome.Kind.ALLOWED, outcome.kind());
    JsonNode event = function.events.get(0);
    assertEquals("2.0", event.get("version").asText());
    assertEquals("REQUEST", event.get("type").asText());
    assertEquals("arn:aws:execute-api:eu-west-1:000000000000:lambda-proxy/$default/POST/orders/9", event.get("routeArn").asText());
    assertEquals("[\"k1\",\"acme\"]", event.get("identitySource").toString());
    assertEquals("POST /orders/{id}", event.get("routeKey").asText());
    assertEquals("k1", event.at("/headers/x-key").asText());
    assertEquals("9", event.at("/pathParameters/id").asText());
    assertFalse(event.has("body"));
    assertFalse(event.has("isBase64Encoded"));
    assertEquals("{\"lambda\":{\"a\":[1]}}", outcome.v2().toString());
  }

  @Test
  void aRequestV1AuthorizerGetsTheRestEventWithTheMethodArn() {
    FakeFunction function = FakeFunction.returning(ALLOW_ORDERS);
    LambdaAuthorizer authorizer = new LambdaAuthorizer(spec("request-v1", ""), Clock.systemUTC());
    decide(authorizer, request("GET", "/orders/2", "a=1", new Header("Authorization", "t")), function);
    JsonNode event = function.events.get(0);
    assertEquals("REQUEST", event.get("type").asText());
    assertEquals("arn:aws:execute-api:eu-west-1:000000000000:lambda-proxy/$default/GET/orders/2", event.get("methodArn").asText());
    assertEquals("/orders/{id}", event.get("resource").asText());
    assertEquals("GET", event.get("httpMethod").asText());
    assertEquals("t", event.at("/headers/Authorization").asText());
    assertEquals("1", event.at("/queryStringParameters/a").asText());
    assertFalse(event.has("version"));
    assertFalse(event.has("body"));
  }

  @Test
  void aCachedAllowForOnePathOpensNoOtherAndTheFunctionRunsOncePerIdentity() {
    FakeFunction function = FakeFunction.returning(ALLOW_ORDERS.replace("GET/orders/*", "GET/orders/1"));
    LambdaAuthorizer authorizer = new LambdaAuthorizer(spec("token", "authorizer.gate.ttl = 60s\n"), Clock.systemUTC());
    Header token = new Header("Authorization", "same");
    AuthorizerOutcome first = decide(authorizer, request("GET", "/orders/1", null, token), function);
    AuthorizerOutcome again = decide(authorizer, request("GET", "/orders/1", null, token), function);
    AuthorizerOutcome other = decide(authorizer, request("GET", "/orders/2", null, token), function);
    assertEquals(AuthorizerOutcome.Kind.ALLOWED, first.kind());
    assertFalse(first.cacheHit());
    assertEquals(AuthorizerOutcome.Kind.ALLOWED, again.kind());
    assertTrue(again.cacheHit());
    assertEquals(0, again.v1().get("integrationLatency").asLong());
    assertEquals(AuthorizerOutcome.Kind.FORBIDDEN, other.kind());
    assertTrue(other.cacheHit());
    assertEquals(1, function.events.size());
    decide(authorizer, request("GET", "/orders/1", null, new Header("Authorization", "another")), function);
    assertEquals(2, function.events.size(), "another identity asks the function");
  }

  @Test
  void aCachedDecisionLastsItsTtlAndNoLonger() {
    TestClock clock = new TestClock();
    FakeFunction function = FakeFunction.returning(ALLOW_ORDERS);
    LambdaAuthorizer authorizer = new LambdaAuthorizer(spec("token", "authorizer.gate.ttl = 60s\n"), clock);
    Header token = new Header("Authorization", "t");
    decide(authorizer, request("GET", "/orders/1", null, token), function);
    clock.advance(Duration.ofSeconds(59));
    decide(authorizer, request("GET", "/orders/1", null, token), function);
    assertEquals(1, function.events.size());
    clock.advance(Duration.ofSeconds(2));
    decide(authorizer, request("GET", "/orders/1", null, token), function);
    assertEquals(2, function.events.size());
  }

  @Test
  void withTtlZeroEveryRequestAsks() {
    FakeFunction function = FakeFunction.returning(ALLOW_ORDERS);
    LambdaAuthorizer authorizer = new LambdaAuthorizer(spec("token", "authorizer.gate.ttl = 0s\n"), Clock.systemUTC());
    for (int i = 0; i < 3; i++) {
      assertFalse(decide(authorizer, request("GET", "/orders/1", null, new Header("Authorization", "t")), function).cacheHit());
    }
    assertEquals(3, function.events.size());
  }

  @Test
  void unauthorizedIs401AndNeverCached() {
    int[] calls = {0};
    LambdaAuthorizer.Invoker function = event -> {
      calls[0]++;
      return CompletableFuture.completedFuture(new LambdaResponse(200, "Unhandled", null, null, "r",
          "{\"errorType\":\"Error\",\"errorMessage\":\"Unauthorized\"}".getBytes(StandardCharsets.UTF_8)));
    };
    LambdaAuthorizer authorizer = new LambdaAuthorizer(spec("token", ""), Clock.systemUTC());
    for (int i = 0; i < 2; i++) {
      assertEquals(AuthorizerOutcome.Kind.UNAUTHORIZED,
          decide(authorizer, request("GET", "/orders/1", null, new Header("Authorization", "t")), function).kind());
    }
    assertEquals(2, calls[0]);
  }

  @Test
  void everyOtherFailureIs500AndNotCached() {
    LambdaAuthorizer authorizer = new LambdaAuthorizer(spec("token", ""), Clock.systemUTC());
    List<LambdaAuthorizer.Invoker> failures = List.of(
        event -> CompletableFuture.completedFuture(new LambdaResponse(200, "Unhandled", null, null, "r",
            "{\"errorType\":\"TypeError\",\"errorMessage\":\"x is undefined\"}".getBytes(StandardCharsets.UTF_8))),
        event -> CompletableFuture.completedFuture(new LambdaResponse(429, null, "TooManyRequestsException", "1", "r", new byte[0])),
        event -> CompletableFuture.failedFuture(new java.util.concurrent.TimeoutException("no answer within 3000 ms")),
        event -> CompletableFuture.completedFuture(ok("not json")),
        event -> CompletableFuture.completedFuture(ok("{\"isAuthorized\":true}")),
        event -> CompletableFuture.completedFuture(ok("{\"principalId\":\"u\",\"policyDocument\":{\"Statement\":\"no\"}}")),
        event -> CompletableFuture.completedFuture(ok("{\"policyDocument\":{\"Statement\":[]}}")),
        event -> CompletableFuture.completedFuture(ok("{\"principalId\":\"u\",\"context\":{\"o\":{}},\"policyDocument\":{\"Statement\":[]}}")),
        event -> {
          throw new IllegalStateException("the invoker itself failed");
        });
    for (LambdaAuthorizer.Invoker function : failures) {
      AuthorizerOutcome outcome = decide(authorizer, request("GET", "/orders/1", null, new Header("Authorization", "t")), function);
      assertEquals(AuthorizerOutcome.Kind.FAILED, outcome.kind(), String.valueOf(outcome));
      assertTrue(outcome.reason().startsWith("authorizer gate (gate): "), outcome.reason());
      assertNull(outcome.v1());
    }
  }

  @Test
  void aSimpleFalseIs403() {
    LambdaAuthorizer authorizer = new LambdaAuthorizer(spec("request", "authorizer.gate.simple-responses = true\n"), Clock.systemUTC());
    AuthorizerOutcome outcome = decide(authorizer, request("GET", "/orders/1", null, new Header("Authorization", "t")),
        FakeFunction.returning("{\"isAuthorized\":false}"));
    assertEquals(AuthorizerOutcome.Kind.FORBIDDEN, outcome.kind());
  }

  @Test
  void aRequestAuthorizerMayAnswerAPolicyWithoutSimpleResponses() {
    LambdaAuthorizer authorizer = new LambdaAuthorizer(spec("request", ""), Clock.systemUTC());
    AuthorizerOutcome outcome = decide(authorizer, request("GET", "/orders/1", null, new Header("Authorization", "t")),
        FakeFunction.returning("{\"policyDocument\":{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}},"
            + "\"context\":{\"deep\":{\"x\":1}}}"));
    assertEquals(AuthorizerOutcome.Kind.ALLOWED, outcome.kind());
    assertEquals("{\"lambda\":{\"deep\":{\"x\":1}}}", outcome.v2().toString());
    assertEquals("{\"x\":1}", outcome.v1().get("deep").asText(), "1.0 has only strings");
  }
}

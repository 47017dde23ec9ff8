package dev.lambdaproxy.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lambdaproxy.testing.FakeLambda;
import dev.lambdaproxy.testing.Handlers;
import dev.lambdaproxy.testing.Invocation;
import dev.lambdaproxy.testing.LambdaReply;
import dev.lambdaproxy.testing.ProxyHarness;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Lambda authorizers end to end: authorizer functions in the fake Lambda (every call's signature
 * verified with the AWS SDK's signer), their events, their answers (simple, IAM policies, errors,
 * timeouts), the cache, and what reaches the route's function.
 */
class LambdaAuthorizerEndToEndTest {

  private static final String KEY = "AKIDLAMBDAAUTH";
  private static final String SECRET = "lambda/auth+SECRET/4d5e6f";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static FakeLambda lambda;
  private static ProxyHarness proxy;

  /**
   * Allows exactly the ARN it was asked about for alice, everything for admin, and explicitly denies
   * mallory (each test gives its callers their own tokens, alice-1..., as decisions are cached by token).
   */
  private static LambdaReply policyGate(Invocation invocation) {
    JsonNode event = invocation.payloadJson();
    String token = event.at("/headers/Authorization").asText();
    String arn = event.get("methodArn").asText();
    String who = token.replaceAll("-\\d+$", "");
    String effect = who.equals("mallory") ? "Deny" : "Allow";
    String resource = switch (who) {
      case "admin" -> "arn:aws:execute-api:*:*:*/*/*/*";
      case "mallory" -> "*";
      default -> arn;
    };
    return LambdaReply.json("""
        {"principalId":"%s","context":{"tier":"gold","count":3,"vip":false},
         "policyDocument":{"Version":"2012-10-17","Statement":[{"Action":"execute-api:Invoke","Effect":"%s","Resource":"%s"}]}}
        """.formatted(who, effect, resource));
  }

  private static LambdaReply tokenGate(Invocation invocation) {
    return switch (invocation.payloadJson().get("authorizationToken").asText()) {
      case "Unauthorized" -> LambdaReply.functionError("Unhandled", "Error", "Unauthorized");
      case "boom" -> LambdaReply.functionError("Unhandled", "TypeError", "cannot read properties of undefined");
      case "slow" -> LambdaReply.json("{}").delayedBy(Duration.ofSeconds(3));
      case "garbage" -> LambdaReply.json("\"let them in\"");
      default -> LambdaReply.json("""
          {"principalId":"p","policyDocument":{"Version":"2012-10-17",
           "Statement":[{"Action":"execute-api:Invoke","Effect":"Allow","Resource":"*"}]}}""");
    };
  }

  @BeforeAll
  static void start() throws Exception {
    lambda = FakeLambda.builder()
        .credentials(KEY, SECRET)
        .function("recorder", Handlers.returning("{\"statusCode\":200,\"headers\":{\"cache-control\":\"max-age=60\"},\"body\":\"in\"}"))
        // public: a shared cache may keep an answer to a request with Authorization only when told so (RFC 9111 3.5).
        .function("shared", Handlers.returning("{\"statusCode\":200,\"headers\":{\"cache-control\":\"public, max-age=60\"},\"body\":\"in\"}"))
        .function("simple-gate", invocation -> LambdaReply.json(
            invocation.payloadJson().at("/headers/x-key").asText().equals("good")
                ? "{\"isAuthorized\":true,\"context\":{\"user\":\"ada\",\"n\":3,\"admin\":true,\"deep\":{\"x\":[1,2]}}}"
                : "{\"isAuthorized\":false}"))
        .function("policy-gate", LambdaAuthorizerEndToEndTest::policyGate)
        .function("token-gate", LambdaAuthorizerEndToEndTest::tokenGate)
        .start();
    proxy = ProxyHarness.builder()
        .lambda(lambda, KEY, SECRET)
        .admin()
        .settings("""
            authorizer.simple.type = request
            authorizer.simple.function = simple-gate
            authorizer.simple.identity-source = $request.header.X-Key
            authorizer.simple.simple-responses = true
            authorizer.simple.ttl = 0s
            authorizer.policy.type = request-v1
            authorizer.policy.function = policy-gate
            authorizer.policy.ttl = 300s
            authorizer.token.type = token
            authorizer.token.function = token-gate
            authorizer.token.ttl = 0s
            authorizer.token.timeout = 500ms
            """)
        .routes("""
            /simple/{id} = recorder ; event=apigw-v2 ; authorizer=simple
            /simple-v1/{id} = recorder ; event=apigw-v1 ; authorizer=simple
            /policy/{id} = recorder ; event=apigw-v1 ; authorizer=policy
            /policy-v2/{id} = recorder ; event=apigw-v2 ; authorizer=policy
            /token = recorder ; event=apigw-v2 ; authorizer=token
            /cached = shared ; event=apigw-v2 ; authorizer=policy ; cache=30s
            """)
        .start();
  }

  @AfterAll
  static void stop() throws Exception {
    proxy.close();
    lambda.close();
  }

  @BeforeEach
  void forget() {
    lambda.reset();
  }

  private static HttpResponse<String> get(String path, String header, String value) {
    HttpRequest.Builder request = HttpRequest.newBuilder(proxy.uri(path)).GET();
    if (value != null) {
      request.header(header, value);
    }
    return proxy.send(request);
  }

  private static List<Invocation> calls(String function) {
    return lambda.invocations().stream().filter(i -> i.functionName().equals(function)).toList();
  }

  private static JsonNode recorded() {
    List<Invocation> recorder = calls("recorder");
    assertEquals(1, recorder.size(), "the route's function ran once");
    return recorder.get(0).payloadJson();
  }

  private static void assertRefused(HttpResponse<String> response, int status, String message, String errorType) {
    assertEquals(status, response.statusCode(), response.body());
    assertEquals("{\"message\":\"" + message + "\"}", response.body());
    assertEquals(errorType, response.headers().firstValue("x-amzn-ErrorType").orElse(null));
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    assertEquals(List.of(), calls("recorder"), "the route's function was not invoked");
  }

  @Test
  void aSimpleAllowPassesTheContextAsReturnedIntoA20Event() {
    HttpResponse<String> response = get("/simple/7?q=1", "X-Key", "good");
    assertEquals(200, response.statusCode(), response.body());
    assertEquals("{\"lambda\":{\"user\":\"ada\",\"n\":3,\"admin\":true,\"deep\":{\"x\":[1,2]}}}",
        recorded().at("/requestContext/authorizer").toString());

    Invocation gate = calls("simple-gate").get(0);
    assertEquals(KEY, gate.accessKeyId(), "signed with the proxy's own credentials");
    JsonNode event = gate.payloadJson();
    assertEquals("2.0", event.get("version").asText());
    assertEquals("REQUEST", event.get("type").asText());
    assertEquals("arn:aws:execute-api:us-east-1:000000000000:lambda-proxy/$default/GET/simple/7", event.get("routeArn").asText());
    assertEquals("[\"good\"]", event.get("identitySource").toString());
    assertEquals("GET /simple/{id}", event.get("routeKey").asText());
    assertEquals("/simple/7", event.get("rawPath").asText());
    assertEquals("q=1", event.get("rawQueryString").asText());
    assertEquals("7", event.at("/pathParameters/id").asText());
    assertEquals("GET", event.at("/requestContext/http/method").asText());
    assertFalse(event.has("body"));
  }

  @Test
  void aSimpleAllowReachesA10EventAsStrings() {
    assertEquals(200, get("/simple-v1/7", "X-Key", "good").statusCode());
    JsonNode authorizer = recorded().at("/requestContext/authorizer");
    assertEquals("ada", authorizer.get("user").textValue());
    assertEquals("3", authorizer.get("n").textValue());
    assertEquals("true", authorizer.get("admin").textValue());
    assertEquals("{\"x\":[1,2]}", authorizer.get("deep").textValue());
    assertTrue(authorizer.get("integrationLatency").isIntegralNumber());
  }

  @Test
  void aSimpleDenyIs403() {
    assertRefused(get("/simple/7", "X-Key", "bad"), 403, "Forbidden", "AccessDeniedException");
    assertEquals(1, calls("simple-gate").size());
  }

  @Test
  void aMissingIdentitySourceIs401WithoutInvokingTheAuthorizer() {
    assertRefused(get("/simple/7", "X-Other", "good"), 401, "Unauthorized", "UnauthorizedException");
    assertRefused(get("/policy/1", "X-Other", "alice"), 401, "Unauthorized", "UnauthorizedException");
    assertEquals(0, lambda.invocations().size());
  }

  @Test
  void aCachedAllowForOnePathDoesNotOpenAnotherAndCostsNoInvocation() {
    HttpResponse<String> first = get("/policy/101", "Authorization", "alice-2");
    assertEquals(200, first.statusCode(), first.body());
    JsonNode authorizer = recorded().at("/requestContext/authorizer");
    assertEquals("alice", authorizer.get("principalId").textValue());
    assertEquals("gold", authorizer.get("tier").textValue());
    assertEquals("3", authorizer.get("count").textValue());
    assertEquals("false", authorizer.get("vip").textValue());
    JsonNode event = calls("policy-gate").get(0).payloadJson();
    assertEquals("REQUEST", event.get("type").asText());
    assertEquals("arn:aws:execute-api:us-east-1:000000000000:lambda-proxy/$default/GET/policy/101", event.get("methodArn").asText());
    assertEquals("/policy/{id}", event.get("resource").asText());
    assertEquals("101", event.at("/pathParameters/id").asText());

    lambda.reset();
    assertEquals(200, get("/policy/101", "Authorization", "alice-2").statusCode());
    assertEquals(0, recorded().at("/requestContext/authorizer/integrationLatency").asInt(), "a cached decision took no time");
    lambda.reset();
    assertRefused(get("/policy/102", "Authorization", "alice-2"), 403, "Forbidden", "AccessDeniedException");
    assertEquals(List.of(), calls("policy-gate"), "both answered from the cached policy");
  }

  @Test
  void anExplicitDenyIs403AndAWildcardAllowOpensEveryPath() {
    assertRefused(get("/policy/201", "Authorization", "mallory-3"), 403, "Forbidden", "AccessDeniedException");
    assertEquals(200, get("/policy/202", "Authorization", "admin-3").statusCode());
    assertEquals(200, get("/policy-v2/203", "Authorization", "admin-3").statusCode());
    assertEquals(2, calls("policy-gate").size(), "one call for mallory, one for admin, whose wildcard policy is cached for every path");
    assertEquals("gold", calls("recorder").get(1).payloadJson().at("/requestContext/authorizer/lambda/tier").asText());
    assertEquals(3, calls("recorder").get(1).payloadJson().at("/requestContext/authorizer/lambda/count").asInt(),
        "2.0 keeps the context's types");
  }

  @Test
  void aTokenAuthorizerGetsTheTokenAndItsMethodArn() {
    assertEquals(200, get("/token", "Authorization", "Bearer ok").statusCode());
    JsonNode event = calls("token-gate").get(0).payloadJson();
    assertEquals("{\"type\":\"TOKEN\",\"authorizationToken\":\"Bearer ok\",\"methodArn\":"
        + "\"arn:aws:execute-api:us-east-1:000000000000:lambda-proxy/$default/GET/token\"}", event.toString());
    assertEquals("{\"lambda\":null}", recorded().at("/requestContext/authorizer").toString(), "a policy without a context");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "Unauthorized, 401, Unauthorized, UnauthorizedException",
      "boom, 500, Internal Server Error, AuthorizerConfigurationException",
      "slow, 500, Internal Server Error, AuthorizerConfigurationException",
      "garbage, 500, Internal Server Error, AuthorizerConfigurationException",
  })
  void anAuthorizerThatDoesNotAllowIsAnsweredAsApiGatewayAnswers(String token, int status, String message, String errorType) {
    long started = System.nanoTime();
    assertRefused(get("/token", "Authorization", token), status, message, errorType);
    assertTrue(System.nanoTime() - started < 2_900_000_000L, "the authorizer's timeout (500 ms) ends a slow one");
  }

  @Test
  void cachedAnswersBehindAnAuthorizerAreKeptPerCaller() {
    proxy.send(HttpRequest.newBuilder(proxy.adminUri("/*")).method("PURGE", HttpRequest.BodyPublishers.noBody()));
    assertEquals("MISS", get("/cached", "Authorization", "alice-4").headers().firstValue("X-Cache").orElse(null));
    assertEquals("HIT", get("/cached", "Authorization", "alice-4").headers().firstValue("X-Cache").orElse(null));
    assertEquals("MISS", get("/cached", "Authorization", "admin-4").headers().firstValue("X-Cache").orElse(null),
        "another caller never gets alice's answer");
    assertRefused(get("/cached", "Authorization", "mallory-4"), 403, "Forbidden", "AccessDeniedException");
    assertEquals(2, calls("shared").size());
  }

  @Test
  void decisionsAndCacheHitsAreCounted() {
    get("/policy/301", "Authorization", "alice-5");
    get("/policy/301", "Authorization", "alice-5");
    get("/policy/302", "Authorization", "alice-5");
    get("/token", "Authorization", "boom");
    String metrics = proxy.send(HttpRequest.newBuilder(proxy.adminUri("/metrics")).GET()).body();
    assertTrue(metrics.matches("(?s).*lambda_proxy_authorizer_decisions_total\\{authorizer=\"policy\",decision=\"allowed\"} [1-9].*"), metrics);
    assertTrue(metrics.matches("(?s).*lambda_proxy_authorizer_decisions_total\\{authorizer=\"policy\",decision=\"forbidden\"} [1-9].*"), metrics);
    assertTrue(metrics.matches("(?s).*lambda_proxy_authorizer_decisions_total\\{authorizer=\"token\",decision=\"failed\"} [1-9].*"), metrics);
    assertTrue(metrics.matches("(?s).*lambda_proxy_authorizer_cache_hits_total\\{authorizer=\"policy\"} [1-9].*"), metrics);
    assertFalse(metrics.contains("alice"), "no identity in the metrics");
  }
}

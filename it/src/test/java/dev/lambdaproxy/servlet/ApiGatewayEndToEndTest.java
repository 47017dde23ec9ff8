package dev.lambdaproxy.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lambdaproxy.testing.FakeHttpFunction;
import dev.lambdaproxy.testing.FakeLambda;
import dev.lambdaproxy.testing.Handlers;
import dev.lambdaproxy.testing.Invocation;
import dev.lambdaproxy.testing.LambdaReply;
import dev.lambdaproxy.testing.ProxyHarness;
import dev.lambdaproxy.testing.ReferenceHandlers;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** API Gateway-era functions behind the proxy: events, templates, invocation options and HTTP function endpoints. */
class ApiGatewayEndToEndTest {

  private static final String KEY = "AKIDAPIGWTEST";
  private static final String SECRET = "apigw/test+SECRET/7Hs8d9Fj3kL0";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static FakeLambda lambda;
  private static ProxyHarness proxy;

  @BeforeAll
  static void start() throws Exception {
    lambda = FakeLambda.builder()
        .credentials(KEY, SECRET)
        .function("hello", ReferenceHandlers.apisixHello())
        .function("echo", Handlers.echo())
        // A 1.0 result must have a statusCode: this one answers well and lets the test read the event it got.
        .function("recorder", Handlers.returning("{\"statusCode\":200,\"body\":\"recorded\"}"))
        .function("typed", ReferenceHandlers.honouringInvocationType())
        .function("fails", Handlers.replying(LambdaReply.functionError("Unhandled", "Error", "boom")))
        .function("malformed", Handlers.returning("{\"statusCode\":\"ok\",\"body\":\"x\"}"))
        .function("cookies", Handlers.returning("{\"statusCode\":200,\"cookies\":[\"a=1; Secure\",\"b=2\"],"
            + "\"headers\":{\"content-type\":\"text/plain\",\"x-count\":3},\"body\":\"hi\"}"))
        .function("inferred", Handlers.returning("{\"items\":[1,2]}"))
        .function("tailed", invocation -> LambdaReply.json("\"ok\"")
            .withHeader("X-Amz-Log-Result", Base64.getEncoder().encodeToString("START RequestId: 1\nEND\n".getBytes(StandardCharsets.UTF_8))))
        .start();
    proxy = ProxyHarness.builder()
        .lambda(lambda, KEY, SECRET)
        .routes("""
            /v1/hello = hello ; event=apigw-v1
            /v2/hello = hello ; event=apigw-v2
            /v1/users/{id}/files/{path+} = recorder ; event=apigw-v1
            /v2/users/{id} = echo ; event=apigw-v2
            /v2/raw/* = echo ; event=apigw-v2
            /async = typed ; invocation=Event
            /dry = typed ; invocation=DryRun
            /ctx = echo ; client-context="{\\"custom\\":{\\"app\\":\\"web\\"}}"
            /tail = tailed ; log=tail
            /fails-v1 = fails ; event=apigw-v1
            /fails-500 = fails ; function-error-status=500
            /malformed = malformed ; event=apigw-v1
            /cookies = cookies ; event=apigw-v2
            /inferred = inferred ; event=apigw-v2
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

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/v1/hello", "/v2/hello"})
  void theApisixReferenceHandlerRunsUnchangedForGetAndPost(String path) {
    HttpResponse<String> get = proxy.get(path + "?name=APISIX");
    assertEquals(200, get.statusCode(), get.body());
    assertEquals("\"Hello, APISIX!\"", get.body());

    HttpResponse<String> post = proxy.send(HttpRequest.newBuilder(proxy.uri(path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"APISIX\"}")));
    assertEquals(200, post.statusCode(), post.body());
    assertEquals("\"Hello, APISIX!\"", post.body());
    assertEquals(2, lambda.invocations().size(), "both calls verified and invoked");
  }

  @Test
  void aVersion1EventCarriesTheTemplateAndItsParameters() {
    HttpResponse<String> response = proxy.send(HttpRequest.newBuilder(proxy.uri("/v1/users/42/files/a/b%20c.txt?x=1&x=2&y=%C3%A9"))
        .header("X-Multi", "one").header("X-Multi", "two").header("User-Agent", "tests/1.0").GET());
    assertEquals(200, response.statusCode(), response.body());
    JsonNode event = lambda.lastInvocation().payloadJson();
    assertEquals("1.0", event.get("version").asText());
    assertEquals("/v1/users/{id}/files/{path+}", event.get("resource").asText());
    assertEquals("/v1/users/42/files/a/b%20c.txt", event.get("path").asText(), "as received, like REST APIs send it");
    assertEquals("GET", event.get("httpMethod").asText());
    assertEquals("42", event.at("/pathParameters/id").asText());
    assertEquals("a/b c.txt", event.at("/pathParameters/path").asText());
    assertEquals("2", event.at("/queryStringParameters/x").asText());
    assertEquals(List.of("1", "2"), strings(event.at("/multiValueQueryStringParameters/x")));
    assertEquals("é", event.at("/queryStringParameters/y").asText());
    assertEquals(List.of("one", "two"), strings(event.at("/multiValueHeaders/X-Multi")));
    assertEquals("127.0.0.1", event.at("/requestContext/identity/sourceIp").asText());
    assertEquals("tests/1.0", event.at("/requestContext/identity/userAgent").asText());
    assertEquals("/v1/users/{id}/files/{path+}", event.at("/requestContext/resourcePath").asText());
    assertTrue(event.get("body").isNull());
    assertFalse(event.get("isBase64Encoded").asBoolean());
  }

  @Test
  void aVersion2EventCarriesRawPathQueryAndCookies() {
    HttpResponse<String> response = proxy.send(HttpRequest.newBuilder(proxy.uri("/v2/users/7?a=1&a=2"))
        .header("Cookie", "c1=v1; c2=v2").header("X-Custom", "x").POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {0, 1, 2, (byte) 0xff}))
        .header("Content-Type", "application/octet-stream"));
    assertEquals(200, response.statusCode(), response.body());
    JsonNode event = lambda.lastInvocation().payloadJson();
    assertEquals("2.0", event.get("version").asText());
    assertEquals("/v2/users/7", event.get("rawPath").asText());
    assertEquals("a=1&a=2", event.get("rawQueryString").asText());
    assertEquals("1,2", event.at("/queryStringParameters/a").asText());
    assertEquals(List.of("c1=v1", "c2=v2"), strings(event.get("cookies")));
    assertEquals("x", event.at("/headers/x-custom").asText());
    assertEquals("7", event.at("/pathParameters/id").asText());
    assertEquals("POST", event.at("/requestContext/http/method").asText());
    assertEquals("127.0.0.1", event.at("/requestContext/http/sourceIp").asText());
    assertTrue(event.get("isBase64Encoded").asBoolean());
    assertEquals("AAEC/w==", event.get("body").asText());
  }

  @Test
  void aClientCannotChooseTheSourceIpWithoutATrustedProxy() {
    proxy.send(HttpRequest.newBuilder(proxy.uri("/v2/users/1")).header("X-Forwarded-For", "203.0.113.9").GET());
    assertEquals("127.0.0.1", lambda.lastInvocation().payloadJson().at("/requestContext/http/sourceIp").asText());
  }

  @Test
  void aTrustedProxysForwardedForNamesTheClient() throws Exception {
    try (ProxyHarness behindLb = ProxyHarness.builder().lambda(lambda, KEY, SECRET)
        .settings("trusted-proxies = 127.0.0.0/8, ::1\n").routes("/e = recorder ; event=apigw-v1\n").start()) {
      behindLb.send(HttpRequest.newBuilder(behindLb.uri("/e")).header("X-Forwarded-For", "198.51.100.4, 203.0.113.9").GET());
      assertEquals("203.0.113.9", lambda.lastInvocation().payloadJson().at("/requestContext/identity/sourceIp").asText());
    }
  }

  @Test
  void aPrefixRoutesEventKeepsTheFullPath() {
    proxy.get("/v2/raw/deep/er?q=1");
    JsonNode event = lambda.lastInvocation().payloadJson();
    assertEquals("/v2/raw/deep/er", event.get("rawPath").asText());
    assertEquals("q=1", event.get("rawQueryString").asText());
  }

  @Test
  void anAsynchronousInvocationAnswers202AtOnce() {
    HttpResponse<String> response = proxy.post("/async", "{\"job\":1}");
    assertEquals(202, response.statusCode());
    assertEquals("", response.body());
    assertEquals("Event", lambda.lastInvocation().header("X-Amz-Invocation-Type"));
  }

  @Test
  void aDryRunAnswers204() {
    HttpResponse<String> response = proxy.get("/dry");
    assertEquals(204, response.statusCode());
    assertEquals("DryRun", lambda.lastInvocation().header("X-Amz-Invocation-Type"));
  }

  @Test
  void theClientContextAndLogTypeAreSentSigned() {
    assertEquals(200, proxy.get("/ctx").statusCode());
    Invocation withContext = lambda.lastInvocation();
    assertEquals("{\"custom\":{\"app\":\"web\"}}",
        new String(Base64.getDecoder().decode(withContext.header("X-Amz-Client-Context")), StandardCharsets.UTF_8));
    assertTrue(withContext.header("Authorization").contains("x-amz-client-context"));

    HttpResponse<String> tail = proxy.get("/tail");
    assertEquals("ok", tail.body());
    assertEquals("Tail", lambda.lastInvocation().header("X-Amz-Log-Type"));
    assertTrue(tail.headers().allValues("X-Amz-Log-Result").isEmpty(), "the log stays in the proxy");
  }

  @Test
  void functionErrorsFollowTheRouteAndFormat() throws IOException {
    HttpResponse<String> v1 = proxy.get("/fails-v1");
    assertEquals(502, v1.statusCode());
    assertEquals("{\"message\":\"Internal server error\"}", v1.body());

    HttpResponse<String> raw = proxy.get("/fails-500");
    assertEquals(500, raw.statusCode());
    assertEquals("Error", JSON.readTree(raw.body()).get("errorType").asText());
  }

  @Test
  void aMalformedResultIsApiGatewaysBare502() {
    HttpResponse<String> response = proxy.get("/malformed");
    assertEquals(502, response.statusCode());
    assertEquals("{\"message\":\"Internal server error\"}", response.body());
  }

  @Test
  void version2CookiesBecomeSetCookieAndHeaderValuesAreStrings() {
    HttpResponse<String> response = proxy.get("/cookies");
    assertEquals(200, response.statusCode());
    assertEquals(List.of("a=1; Secure", "b=2"), response.headers().allValues("Set-Cookie"));
    assertEquals("3", response.headers().firstValue("x-count").orElseThrow());
    assertEquals("hi", response.body());
  }

  @Test
  void aVersion2ResultWithoutStatusCodeIsA200JsonBody() {
    HttpResponse<String> response = proxy.get("/inferred");
    assertEquals(200, response.statusCode());
    assertEquals("{\"items\":[1,2]}", response.body());
    assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
  }

  @Test
  void anApiKeyEndpointGetsTheKeyFromTheEnvironmentAndNotTheClientsCredentials() throws Exception {
    try (FakeHttpFunction endpoint = FakeHttpFunction.builder().apiKey("k-from-env").answer(201, "application/json", "{\"made\":true}")
            .header("X-Function", "yes").start();
        ProxyHarness withKey = ProxyHarness.builder().lambda(lambda, KEY, SECRET).env("HELLO_API_KEY", "k-from-env")
            .routes("/api/* = " + endpoint.uri() + "/prod ; auth=apikey ; api-key=${HELLO_API_KEY}\n").start()) {
      HttpResponse<String> response = withKey.send(HttpRequest.newBuilder(withKey.uri("/api/orders/7?expand=items"))
          .header("Authorization", "Bearer client-token").header("x-api-key", "client-key").header("X-Amz-Target", "x")
          .header("Cookie", "s=1").header("Content-Type", "application/json")
          .PUT(HttpRequest.BodyPublishers.ofString("{\"qty\":2}")));
      assertEquals(201, response.statusCode(), response.body());
      assertEquals("{\"made\":true}", response.body());
      assertEquals("yes", response.headers().firstValue("X-Function").orElseThrow());
      FakeHttpFunction.Received received = endpoint.last();
      assertTrue(received.accepted());
      assertEquals("PUT", received.method());
      assertEquals("/prod/orders/7", received.rawPath());
      assertEquals("expand=items", received.rawQuery());
      assertEquals("{\"qty\":2}", received.bodyAsString());
      assertEquals(List.of("k-from-env"), received.headers().all("x-api-key"), "the client's key is replaced, never added");
      assertTrue(received.headers().all("Authorization").isEmpty());
      assertTrue(received.headers().all("X-Amz-Target").isEmpty());
      assertEquals("s=1", received.headers().first("Cookie").orElseThrow());
      assertEquals(0, lambda.requestCount(), "the Invoke API is not involved");
    }
  }

  @Test
  void forwardAuthPassesTheClientsOwnCredentials() throws Exception {
    try (FakeHttpFunction endpoint = FakeHttpFunction.builder().answer(200, "text/plain", "ok").start();
        ProxyHarness proxyToIt = ProxyHarness.builder().lambda(lambda, KEY, SECRET)
            .routes("/fn = " + endpoint.uri() + "/ ; forward-auth=true\n").start()) {
      proxyToIt.send(HttpRequest.newBuilder(proxyToIt.uri("/fn")).header("Authorization", "Bearer t").header("x-api-key", "k").GET());
      assertEquals("Bearer t", endpoint.last().headers().first("Authorization").orElseThrow());
      assertEquals("k", endpoint.last().headers().first("x-api-key").orElseThrow());
    }
  }

  @Test
  void anIamEndpointIsSignedForExecuteApiAsTheSdkVerifies() throws Exception {
    try (FakeHttpFunction endpoint = FakeHttpFunction.builder().iam("execute-api", "eu-west-1", KEY, SECRET)
            .answer(200, "application/json", "{\"ok\":1}").start();
        ProxyHarness signing = ProxyHarness.builder().lambda(lambda, KEY, SECRET)
            .routes("/stage/{rest+} = " + endpoint.uri() + "/prod ; auth=iam ; service=execute-api ; region=eu-west-1\n").start()) {
      HttpResponse<String> get = signing.get("/stage/items/a%20b?b=2&a=1&a=%E2%9C%93");
      assertEquals(200, get.statusCode(), get.body());
      assertTrue(endpoint.last().accepted(), "the SDK signer verified the signature");
      assertEquals("/prod/items/a%20b", endpoint.last().rawPath());

      HttpResponse<String> post = signing.send(HttpRequest.newBuilder(signing.uri("/stage/items"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"n\":1}")));
      assertEquals(200, post.statusCode(), post.body());
      assertTrue(endpoint.last().accepted());
    }
    try (FakeHttpFunction wrongSecret = FakeHttpFunction.builder().iam("execute-api", "eu-west-1", KEY, "another-secret")
            .answer(200, "application/json", "{}").start();
        ProxyHarness signing = ProxyHarness.builder().lambda(lambda, KEY, SECRET)
            .routes("/x = " + wrongSecret.uri() + " ; auth=iam ; service=execute-api ; region=eu-west-1\n").start()) {
      assertEquals(403, signing.get("/x").statusCode(), "a bad signature is refused, so the fixture can fail");
    }
  }

  @Test
  void anEndpointsAnswerStreamsBackBeforeItIsComplete() throws Exception {
    CompletableFuture<Void> gate = new CompletableFuture<>();
    try (FakeHttpFunction endpoint = FakeHttpFunction.builder().answer(200, "text/event-stream", "")
            .chunks(gate, "data: first\n\n", "data: last\n\n").start();
        ProxyHarness proxyToIt = ProxyHarness.builder().lambda(lambda, KEY, SECRET)
            .routes("/events = " + endpoint.uri() + "/\n").start()) {
      HttpResponse<InputStream> response = java.net.http.HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(proxyToIt.uri("/events")).build(), HttpResponse.BodyHandlers.ofInputStream());
      assertEquals(200, response.statusCode());
      try (InputStream body = response.body()) {
        byte[] first = new byte["data: first\n\n".length()];
        int read = 0;
        while (read < first.length) {
          int n = body.read(first, read, first.length - read);
          assertTrue(n > 0, "the first piece arrives while the endpoint still holds the last");
          read += n;
        }
        assertEquals("data: first\n\n", new String(first, StandardCharsets.UTF_8));
        gate.complete(null); // only now does the endpoint send the rest
        assertEquals("data: last\n\n", new String(body.readAllBytes(), StandardCharsets.UTF_8));
      }
    } finally {
      gate.complete(null);
    }
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new java.util.ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }

  @Test
  void noRouteAnswersStillNeverCallAws() {
    assertEquals(404, proxy.get("/v2/users").statusCode());
    assertEquals(0, lambda.requestCount());
  }
}

package dev.lambdaproxy.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lambdaproxy.testing.FakeLambda;
import dev.lambdaproxy.testing.Handlers;
import dev.lambdaproxy.testing.Invocation;
import dev.lambdaproxy.testing.LambdaReply;
import dev.lambdaproxy.testing.ProxyHarness;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy on a real Jetty against a local Lambda endpoint that verifies every signature with the AWS SDK's signer. */
class ProxyEndToEndTest {

  private static final String KEY = "AKIDPROXYTEST";
  private static final String SECRET = "proxy/test+SECRET/wJalrXUtnFEMI/K7MDENG";
  private static final String TOKEN_KEY = "ASIAPROXYTOKEN";
  private static final String TOKEN_SECRET = "token/test+SECRET/x8Jd8s7dHs6";
  private static final String TOKEN = "IQoJb3JpZ2luX2VjEXAMPLETOKEN//////////wEaCXVzLWVhc3QtMSJHMEUCIQ==";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static FakeLambda lambda;
  private static ProxyHarness proxy;

  @BeforeAll
  static void start() throws Exception {
    lambda = FakeLambda.builder()
        .credentials(KEY, SECRET)
        .credentials(TOKEN_KEY, TOKEN_SECRET, TOKEN)
        .function("echo", Handlers.echo())
        .function("hello", Handlers.returning("\"Hello, \\\"world\\\" \\u00e9\""))
        .function("page", Handlers.returning("\"<h1>hi</h1>\""))
        .function("object", Handlers.returning("{\"a\":[1,2],\"b\":null}"))
        .function("api", Handlers.returning("""
            {"statusCode":201,"headers":{"Content-Type":"text/csv","X-Single":"s"},
             "multiValueHeaders":{"Set-Cookie":["a=1; Path=/; HttpOnly","b=2"]},"body":"x,y\\n1,2\\n"}"""))
        .function("binary", Handlers.returning(
            "{\"statusCode\":200,\"headers\":{\"Content-Type\":\"image/png\"},\"body\":\"iVBORw0KGgoAAP8=\",\"isBase64Encoded\":true}"))
        .function("fails", Handlers.replying(LambdaReply.functionError("Unhandled", "TypeError", "name is undefined")))
        .function("busy", Handlers.replying(LambdaReply.throttled(Duration.ofSeconds(7))))
        .function("slow", Handlers.replying(LambdaReply.delayed(Duration.ofSeconds(3), LambdaReply.json("\"late\""))))
        .function("report", Handlers.echo())
        .function("qualified", Handlers.echo())
        .start();
    proxy = ProxyHarness.builder()
        .lambda(lambda, KEY, SECRET)
        .routes("""
            /echo = echo
            /hello = hello
            /page = page ; content-type=text/html
            /object = object
            /api = api
            /binary = binary
            /fails = fails
            /busy = busy
            /slow = slow ; timeout-ms=300
            /gone = no-such-function
            /ping = echo ; methods=GET,HEAD
            /report = arn:aws:lambda:eu-west-1:123456789012:function:report ; qualifier=live
            /partial = 123456789012:function:qualified:v2
            """)
        .start();
  }

  @AfterAll
  static void stop() throws Exception {
    proxy.close();
    lambda.close();
  }

  @BeforeEach
  void forgetEarlierRequests() {
    lambda.reset();
  }

  private static JsonNode json(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body());
  }

  @Test
  void aGetBecomesASignedPostWithAnEmptyObject() throws IOException {
    HttpResponse<String> response = proxy.get("/echo?name=Ada");
    assertEquals(200, response.statusCode());
    assertEquals("{}", response.body());
    assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
    Invocation invocation = lambda.lastInvocation();
    assertEquals("echo", invocation.functionName());
    assertEquals("{}", invocation.payloadAsString());
    assertEquals(1, lambda.invocations().size(), "the fixture verified the signature and invoked once");
  }

  @Test
  void aPostSendsTheClientsJsonBodyByteForByte() throws IOException {
    String body = "{\"name\": \"Ada\", \"tags\": [\"x\", \"\\u00e9\"], \"n\": 1.5e3}";
    HttpResponse<String> response = proxy.post("/echo", body);
    assertEquals(200, response.statusCode());
    assertEquals(body, lambda.lastInvocation().payloadAsString());
    assertEquals(body, response.body());
  }

  @Test
  void aPutOrPatchWithoutABodySendsAnEmptyObject() {
    HttpResponse<String> response = proxy.send(HttpRequest.newBuilder(proxy.uri("/echo")).method("PATCH", HttpRequest.BodyPublishers.noBody()));
    assertEquals(200, response.statusCode());
    assertEquals("{}", lambda.lastInvocation().payloadAsString());
  }

  @Test
  void aChunkedJsonBodyIsReadWhole() {
    byte[] body = ("{\"big\":\"" + "x".repeat(200_000) + "\"}").getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> response = proxy.send(HttpRequest.newBuilder(proxy.uri("/echo"))
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));
    assertEquals(200, response.statusCode());
    assertArrayEquals(body, lambda.lastInvocation().payload());
  }

  @Test
  void aBodyThatIsNotJsonIs400AndNeverReachesAws() throws IOException {
    for (String body : List.of("name=Ada", "{\"a\":", "{} {}", "<xml/>")) {
      HttpResponse<String> response = proxy.post("/echo", body);
      assertEquals(400, response.statusCode(), body);
      assertTrue(json(response).get("message").asText().startsWith("request body must be JSON"), response.body());
    }
    assertEquals(0, lambda.requestCount());
  }

  @Test
  void anUnmappedPathIs404AndNeverReachesAws() throws IOException {
    HttpResponse<String> response = proxy.get("/nope?x=1");
    assertEquals(404, response.statusCode());
    assertEquals("{\"message\":\"no route for /nope\"}", response.body());
    assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
    assertEquals(404, proxy.get("/echo/").statusCode());
    assertEquals(404, proxy.get("/").statusCode());
    assertEquals(0, lambda.requestCount());
  }

  @Test
  void aMethodTheRouteDoesNotAllowIs405WithAllow() throws IOException {
    HttpResponse<String> response = proxy.post("/ping", "{}");
    assertEquals(405, response.statusCode());
    assertEquals("GET, HEAD", response.headers().firstValue("Allow").orElseThrow());
    assertTrue(json(response).get("message").asText().contains("POST"));
    assertEquals(0, lambda.requestCount());
    assertEquals(200, proxy.get("/ping").statusCode());
  }

  @Test
  void aHeadGetsTheHeadersWithoutABody() {
    HttpResponse<String> response = proxy.send(HttpRequest.newBuilder(proxy.uri("/ping")).method("HEAD", HttpRequest.BodyPublishers.noBody()));
    assertEquals(200, response.statusCode());
    assertEquals("", response.body());
    assertEquals("{}", lambda.lastInvocation().payloadAsString());
  }

  @Test
  void aJsonStringIsUnquotedWithTheRoutesContentType() {
    HttpResponse<String> hello = proxy.get("/hello");
    assertEquals(200, hello.statusCode());
    assertEquals("Hello, \"world\" é", hello.body());
    assertEquals("text/plain;charset=utf-8", hello.headers().firstValue("Content-Type").orElseThrow().replace(" ", "").toLowerCase());

    HttpResponse<String> page = proxy.get("/page");
    assertEquals("<h1>hi</h1>", page.body());
    assertTrue(page.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
  }

  @Test
  void otherJsonIsPassedAsIs() {
    HttpResponse<String> response = proxy.get("/object");
    assertEquals("{\"a\":[1,2],\"b\":null}", response.body());
    assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
  }

  @Test
  void anApiGatewayObjectGivesStatusHeadersAndEveryCookie() {
    HttpResponse<String> response = proxy.get("/api");
    assertEquals(201, response.statusCode());
    assertEquals("x,y\n1,2\n", response.body());
    assertEquals("text/csv", response.headers().firstValue("Content-Type").orElseThrow());
    assertEquals("s", response.headers().firstValue("X-Single").orElseThrow());
    assertEquals(List.of("a=1; Path=/; HttpOnly", "b=2"), response.headers().allValues("Set-Cookie"));
    assertTrue(response.headers().allValues("x-amzn-RequestId").isEmpty(), "no AWS header reaches the client");
    assertTrue(response.headers().allValues("X-Amz-Executed-Version").isEmpty(), "no AWS header reaches the client");
  }

  @Test
  void aBase64BodyIsDecodedToBytes() {
    HttpResponse<byte[]> response = proxy.sendForBytes(HttpRequest.newBuilder(proxy.uri("/binary")).GET());
    assertEquals(200, response.statusCode());
    assertEquals("image/png", response.headers().firstValue("Content-Type").orElseThrow());
    assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, (byte) 0xff}, response.body());
  }

  @Test
  void aFunctionErrorIs502WithTypeAndMessageButNoTrace() throws IOException {
    HttpResponse<String> response = proxy.get("/fails");
    assertEquals(502, response.statusCode());
    JsonNode body = json(response);
    assertEquals("function error", body.get("message").asText());
    assertEquals("TypeError", body.get("errorType").asText());
    assertEquals("name is undefined", body.get("errorMessage").asText());
    assertFalse(response.body().contains("file.js"), "no stack trace for the client");
  }

  @Test
  void throttlingIs429WithRetryAfterKept() {
    HttpResponse<String> response = proxy.get("/busy");
    assertEquals(429, response.statusCode());
    assertEquals("7", response.headers().firstValue("Retry-After").orElseThrow());
    assertFalse(response.body().contains("Rate Exceeded"), "AWS's own body is not passed on");
  }

  @Test
  void aMissingFunctionIs502NamingIt() throws IOException {
    HttpResponse<String> response = proxy.get("/gone");
    assertEquals(502, response.statusCode());
    assertEquals("function not found: no-such-function", json(response).get("message").asText());
    assertTrue(response.headers().allValues("x-amzn-ErrorType").isEmpty());
  }

  @Test
  void aSlowFunctionIs504AtTheRouteTimeout() throws IOException {
    long started = System.nanoTime();
    HttpResponse<String> response = proxy.get("/slow");
    assertEquals(504, response.statusCode());
    assertEquals("function slow did not answer within 300 ms", json(response).get("message").asText());
    assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 2_900, "answered before the function did");
  }

  @Test
  void fullAndPartialArnsWithQualifiersAreSignedSoAwsAccepts() {
    HttpResponse<String> report = proxy.get("/report");
    assertEquals(200, report.statusCode(), report.body());
    Invocation invocation = lambda.lastInvocation();
    assertEquals("report", invocation.functionName());
    assertEquals("live", invocation.qualifier());
    assertEquals("/2015-03-31/functions/arn%3Aaws%3Alambda%3Aeu-west-1%3A123456789012%3Afunction%3Areport/invocations",
        invocation.rawPath());
    assertEquals("Qualifier=live", invocation.rawQuery());
    assertTrue(invocation.header("Authorization").contains("/eu-west-1/lambda/aws4_request"), "the ARN's region signs");

    HttpResponse<String> partial = proxy.get("/partial");
    assertEquals(200, partial.statusCode(), partial.body());
    assertEquals("qualified", lambda.lastInvocation().functionName());
    assertEquals("v2", lambda.lastInvocation().qualifier());
    // A qualifier travels as ?Qualifier=, whether the route gave it as a suffix or an option.
    assertEquals("/2015-03-31/functions/123456789012%3Afunction%3Aqualified/invocations", lambda.lastInvocation().rawPath());
    assertEquals("Qualifier=v2", lambda.lastInvocation().rawQuery());
  }

  @Test
  void clientCredentialsAndCookiesAreNeverForwardedToAws() {
    HttpResponse<String> response = proxy.send(HttpRequest.newBuilder(proxy.uri("/echo"))
        .header("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDCLIENT/20200101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=00")
        .header("X-Amz-Security-Token", "client-token")
        .header("X-Amz-Date", "20200101T000000Z")
        .header("X-Amz-Target", "AWSLambda.DeleteFunction")
        .header("X-Amz-Invocation-Type", "Event")
        .header("x-api-key", "client-api-key")
        .header("Cookie", "session=client")
        .header("X-Forwarded-For", "10.0.0.1")
        .POST(HttpRequest.BodyPublishers.ofString("{}")));
    assertEquals(200, response.statusCode(), response.body());
    Invocation invocation = lambda.lastInvocation();
    assertTrue(invocation.header("Authorization").startsWith("AWS4-HMAC-SHA256 Credential=" + KEY + "/"));
    assertNotEquals("20200101T000000Z", invocation.header("X-Amz-Date"));
    for (String name : List.of("X-Amz-Security-Token", "X-Amz-Target", "X-Amz-Invocation-Type", "x-api-key", "Cookie", "X-Forwarded-For", "Forwarded", "Via")) {
      assertNull(invocation.header(name), name + " must not reach AWS");
    }
  }

  @Test
  void aBodyOverTheLimitIs413WhetherDeclaredOrChunkedAndNeverReachesAws() throws Exception {
    try (ProxyHarness small = ProxyHarness.builder().lambda(lambda, KEY, SECRET)
        .routes("/echo = echo\n").settings("max-body-bytes = 1024\n").start()) {
      String tooBig = "{\"a\":\"" + "x".repeat(2000) + "\"}";
      HttpResponse<String> declared = small.post("/echo", tooBig);
      assertEquals(413, declared.statusCode());
      assertEquals("{\"message\":\"request body is larger than the 1024 bytes allowed\"}", declared.body());

      byte[] bytes = tooBig.getBytes(StandardCharsets.UTF_8);
      HttpResponse<String> chunked = small.send(HttpRequest.newBuilder(small.uri("/echo"))
          .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))));
      assertEquals(413, chunked.statusCode());
      assertEquals(0, lambda.requestCount());

      String exactlyTheLimit = "{\"a\":\"" + "x".repeat(1024 - 8) + "\"}";
      assertEquals(1024, exactlyTheLimit.length());
      assertEquals(200, small.send(HttpRequest.newBuilder(small.uri("/echo"))
          .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(exactlyTheLimit.getBytes(StandardCharsets.UTF_8)))))
          .statusCode());
      assertEquals(1, lambda.requestCount());
    }
  }

  @Test
  void aSessionTokenIsSentAndSigned() throws Exception {
    try (ProxyHarness withToken = ProxyHarness.builder().lambda(lambda, TOKEN_KEY, TOKEN_SECRET)
        .env("AWS_SESSION_TOKEN", TOKEN).routes("/echo = echo\n").start()) {
      HttpResponse<String> response = withToken.get("/echo");
      assertEquals(200, response.statusCode(), response.body());
      Invocation invocation = lambda.lastInvocation();
      assertEquals(TOKEN_KEY, invocation.accessKeyId());
      assertTrue(invocation.header("Authorization").contains("x-amz-security-token"));
    }
  }

  @Test
  void aWrongSecretIs502NamingAwssError() throws Exception {
    try (ProxyHarness wrong = ProxyHarness.builder().lambda(lambda, KEY, "not-the-secret").routes("/echo = echo\n").start()) {
      HttpResponse<String> response = wrong.get("/echo");
      assertEquals(502, response.statusCode());
      JsonNode body = json(response);
      assertEquals("InvalidSignatureException", body.get("errorType").asText());
      assertTrue(body.get("message").asText().contains("credentials"), response.body());
      assertFalse(response.body().contains("not-the-secret"));
      assertEquals(0, lambda.invocations().size(), "the fixture rejected the call");
      assertEquals(1, lambda.requestCount());
    }
  }

  @Test
  void withoutCredentialsEveryRoutedRequestIs500NamingTheMissingVariables() throws Exception {
    try (ProxyHarness none = ProxyHarness.builder().lambda(lambda, KEY, SECRET)
        .env("AWS_ACCESS_KEY_ID", null).env("AWS_SECRET_ACCESS_KEY", null).routes("/echo = echo\n").start()) {
      HttpResponse<String> response = none.get("/echo");
      assertEquals(500, response.statusCode());
      String message = json(response).get("message").asText();
      assertTrue(message.contains("AWS_ACCESS_KEY_ID") && message.contains("AWS_SECRET_ACCESS_KEY"), message);
      assertEquals(404, none.get("/other").statusCode(), "unrouted paths still get 404");
      assertEquals(0, lambda.requestCount());
    }
  }

  @Test
  void aRouteWithARoleSignsWithThatRolesCredentials() throws Exception {
    String role = "arn:aws:iam::210987654321:role/invoke-report";
    dev.lambdaproxy.credentials.AwsCredentials assumed = new dev.lambdaproxy.credentials.AwsCredentials(TOKEN_KEY, TOKEN_SECRET, TOKEN);
    java.util.List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (ProxyHarness withRole = ProxyHarness.builder().lambda(lambda, KEY, SECRET)
        .roles(arn -> {
          asked.add(arn);
          return () -> assumed;
        })
        .routes("/own = echo\n/other = echo ; role-arn=" + role + "\n").start()) {
      assertEquals(200, withRole.get("/other").statusCode());
      assertEquals(TOKEN_KEY, lambda.lastInvocation().accessKeyId(), "signed as the role");
      assertEquals(200, withRole.get("/own").statusCode());
      assertEquals(KEY, lambda.lastInvocation().accessKeyId(), "other routes keep the proxy's own credentials");
      assertEquals(List.of(role), asked);
    }
  }

  @Test
  void aRefusedConnectionIs502NamingTheFunctionNotTheEndpoint() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (ProxyHarness refused = ProxyHarness.builder().lambda(lambda, KEY, SECRET)
        .env("AWS_ENDPOINT_URL_LAMBDA", "http://127.0.0.1:" + closedPort).routes("/echo = echo\n").start()) {
      HttpResponse<String> response = refused.get("/echo");
      assertEquals(502, response.statusCode());
      String message = json(response).get("message").asText();
      assertTrue(message.contains("function echo") && message.contains("connection refused"), message);
      assertFalse(message.contains("127.0.0.1:" + closedPort), "the Lambda API's address is for the log, not the client: " + message);
    }
  }

  @Test
  void aConnectionResetIs502() throws Exception {
    try (FakeLambda resetting = FakeLambda.builder().credentials(KEY, SECRET)
            .function("echo", Handlers.replying(LambdaReply.resetConnection())).start();
        ProxyHarness proxyToIt = ProxyHarness.builder().lambda(resetting, KEY, SECRET).routes("/echo = echo\n").start()) {
      HttpResponse<String> response = proxyToIt.get("/echo");
      assertEquals(502, response.statusCode());
      assertTrue(json(response).get("message").asText().contains("could not reach"), response.body());
    }
  }

  @Test
  void manyConcurrentRequestsAllSucceedOverThePool() throws Exception {
    List<Integer> statuses = Arrays.asList(new Integer[40]);
    Thread[] threads = new Thread[8];
    for (int t = 0; t < threads.length; t++) {
      int first = t * 5;
      threads[t] = new Thread(() -> {
        for (int i = first; i < first + 5; i++) {
          statuses.set(i, proxy.post("/echo", "{\"i\":" + i + "}").statusCode());
        }
      });
      threads[t].start();
    }
    for (Thread thread : threads) {
      thread.join(30_000);
    }
    assertTrue(statuses.stream().allMatch(s -> s != null && s == 200), statuses.toString());
    assertEquals(40, lambda.invocations().size());
  }
}

package dev.lambdaproxy.reliability;

import static dev.lambdaproxy.reliability.Fixtures.KEY;
import static dev.lambdaproxy.reliability.Fixtures.SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lambdaproxy.testing.FakeHttpFunction;
import dev.lambdaproxy.testing.FakeLambda;
import dev.lambdaproxy.testing.Handlers;
import dev.lambdaproxy.testing.Invocation;
import dev.lambdaproxy.testing.ProxyHarness;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Nothing a client sends chooses where the call goes or what is signed: not the Host header, an
 * absolute request-target or X-Forwarded-Host (the endpoint is the configured one), not a path
 * parameter that looks like an ARN (the function is the route's), not the query (no Qualifier), not
 * its X-Amz-* or Authorization headers (never signed, never forwarded).
 */
class ClientSteeringTest {

  private static final Pattern SIGNED_HEADERS = Pattern.compile("SignedHeaders=([^,]+)");
  private static final String API_RESULT = "{\"statusCode\":200,\"body\":\"ok\"}";
  /** The client's attempt to steer the call: each would change what AWS does if it were signed or forwarded. */
  private static final String[][] CLIENT_AMZ_HEADERS = {
      {"Authorization", "AWS4-HMAC-SHA256 Credential=AKIDCLIENT/20200101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=00"},
      {"X-Amz-Invocation-Type", "Event"}, {"X-Amz-Log-Type", "Tail"}, {"X-Amz-Client-Context", "eyJjdXN0b20iOnt9fQ=="},
      {"X-Amz-Security-Token", "client-token"}, {"X-Amz-Date", "20200101T000000Z"}, {"X-Amz-Target", "AWSLambda.DeleteFunction"},
      {"X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD"}, {"x-api-key", "client-key"}, {"X-Forwarded-Host", "evil.example"},
      {"Forwarded", "host=evil.example;proto=https"}, {"X-Original-URL", "/admin"}, {"X-Rewrite-URL", "/admin"}};

  private static FakeLambda lambda;
  private static ProxyHarness proxy;

  @BeforeAll
  static void start() throws Exception {
    lambda = FakeLambda.builder().credentials(KEY, SECRET)
        .function("echo", Handlers.echo())
        .function("users", Handlers.returning(API_RESULT))
        .function("qualified", Handlers.echo())
        .function("admin", Handlers.returning("\"the admin function must never be reached\""))
        .start();
    proxy = ProxyHarness.builder().lambda(lambda, KEY, SECRET).routes("""
        /echo = echo
        /users/{id} = users ; event=apigw-v2
        /files/{path+} = users ; event=apigw-v1
        /live = qualified ; qualifier=live
        """).start();
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

  @Test
  void theHostHeaderAnAbsoluteTargetOrForwardedHostNeverChooseTheEndpoint() throws Exception {
    String own = lambda.uri().getAuthority();
    String[] requests = {
        "GET /echo HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n",
        "GET /echo HTTP/1.1\r\nHost: evil.example:443\r\nX-Forwarded-Host: evil.example\r\nX-Forwarded-Proto: https\r\nConnection: close\r\n\r\n",
        "GET /echo HTTP/1.1\r\nHost: proxy.test\r\nForwarded: host=evil.example;proto=https\r\nConnection: close\r\n\r\n",
        "GET http://evil.example/echo HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n",
        "GET http://169.254.169.254/latest/meta-data/ HTTP/1.1\r\nHost: 169.254.169.254\r\nConnection: close\r\n\r\n"};
    for (String request : requests) {
      lambda.reset();
      RawHttp.Response response = RawHttp.send(proxy.server().port(), request);
      String first = request.substring(0, request.indexOf("\r\nConnection"));
      if (response.status() == 200) {
        Invocation invocation = lambda.lastInvocation();
        assertEquals("echo", invocation.functionName(), first);
        assertEquals(own, invocation.header("Host"), "the endpoint's own host, signed: " + first);
      } else {
        assertTrue(response.status() == 400 || response.status() == 404, first + " -> " + response);
        assertEquals(0, lambda.requestCount(), first);
      }
    }
  }

  @Test
  void pathParametersThatLookLikeFunctionsOrArnsOnlyReachTheEvent() throws Exception {
    String[][] cases = {
        {"/users/admin", "admin"},
        {"/users/arn:aws:lambda:us-east-1:123456789012:function:admin", "arn:aws:lambda:us-east-1:123456789012:function:admin"},
        {"/users/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Aadmin", "arn:aws:lambda:us-east-1:123456789012:function:admin"},
        {"/users/admin:live", "admin:live"},
        {"/users/123456789012:function:admin", "123456789012:function:admin"},
        {"/users/%61dmin", "admin"},
        {"/users/admin%3FQualifier=live", "admin?Qualifier=live"},
        {"/users/admin%23x", "admin#x"}};
    for (String[] c : cases) {
      lambda.reset();
      RawHttp.Response response = RawHttp.send(proxy.server().port(), "GET " + c[0] + " HTTP/1.1\r\nHost: proxy.test\r\nConnection: close\r\n\r\n");
      assertEquals(200, response.status(), c[0] + " -> " + response);
      Invocation invocation = lambda.lastInvocation();
      assertEquals("users", invocation.functionName(), c[0]);
      assertEquals("/2015-03-31/functions/users/invocations", invocation.rawPath(), c[0]);
      assertNull(invocation.rawQuery(), c[0]);
      assertNull(invocation.qualifier(), c[0]);
      assertEquals(c[1], invocation.payloadJson().path("pathParameters").path("id").asText(), c[0]);
    }
    lambda.reset();
    RawHttp.Response greedy = RawHttp.send(proxy.server().port(),
        "GET /files/arn:aws:lambda:us-east-1:123456789012:function:admin/x HTTP/1.1\r\nHost: proxy.test\r\nConnection: close\r\n\r\n");
    assertEquals(200, greedy.status(), greedy.toString());
    assertEquals("users", lambda.lastInvocation().functionName());
    assertEquals("arn:aws:lambda:us-east-1:123456789012:function:admin/x",
        lambda.lastInvocation().payloadJson().path("pathParameters").path("path").asText());
  }

  @Test
  void theClientsQueryNeverBecomesTheQualifier() {
    assertEquals(200, proxy.get("/echo?Qualifier=admin&FunctionName=admin").statusCode());
    assertNull(lambda.lastInvocation().rawQuery());
    assertNull(lambda.lastInvocation().qualifier());
    assertEquals(200, proxy.get("/live?Qualifier=evil").statusCode());
    assertEquals("Qualifier=live", lambda.lastInvocation().rawQuery(), "the route's qualifier, only");
  }

  @Test
  void theClientsAmzAndAuthorizationHeadersAreNeverSignedOrForwardedToLambda() {
    HttpRequest.Builder request = HttpRequest.newBuilder(proxy.uri("/echo")).POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}"));
    for (String[] header : CLIENT_AMZ_HEADERS) {
      if (!header[0].equalsIgnoreCase("Host")) {
        request.header(header[0], header[1]);
      }
    }
    HttpResponse<String> response = proxy.send(request);
    assertEquals(200, response.statusCode(), "answered synchronously: X-Amz-Invocation-Type from the client is not used");
    assertEquals("{\"a\":1}", response.body());
    Invocation invocation = lambda.lastInvocation();
    assertEquals("host;x-amz-date", signedHeaders(invocation.header("Authorization")));
    assertTrue(invocation.header("Authorization").startsWith("AWS4-HMAC-SHA256 Credential=" + KEY + "/"));
    for (String[] header : CLIENT_AMZ_HEADERS) {
      if (!header[0].equalsIgnoreCase("Authorization") && !header[0].equalsIgnoreCase("X-Amz-Date")) {
        assertNull(invocation.header(header[0]), header[0] + " must not reach AWS");
      }
    }
    assertTrue(!"20200101T000000Z".equals(invocation.header("X-Amz-Date")));
  }

  @Test
  void anEndpointGetsItsOwnHostOneSignatureAndNoneOfTheClientsCredentials() throws Exception {
    try (FakeHttpFunction iam = FakeHttpFunction.builder().iam("execute-api", "eu-west-1", KEY, SECRET)
            .answer(200, "text/plain", "iam").start();
        FakeHttpFunction keyed = FakeHttpFunction.builder().apiKey("route-key").answer(200, "text/plain", "keyed").start();
        ProxyHarness toEndpoints = ProxyHarness.builder()
            .env("AWS_ACCESS_KEY_ID", KEY).env("AWS_SECRET_ACCESS_KEY", SECRET).env("ROUTE_KEY", "route-key")
            .routes("/iam/* = " + iam.uri() + "/prod ; auth=iam ; service=execute-api ; region=eu-west-1\n"
                + "/keyed = " + keyed.uri() + "/ ; auth=apikey ; api-key=${ROUTE_KEY}\n").start()) {
      for (String path : List.of("/iam/x", "/keyed")) {
        StringBuilder raw = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: evil.example\r\nConnection: close, X-Client-Secret\r\n"
            + "X-Client-Secret: hop-by-hop-by-the-clients-say\r\n");
        for (String[] header : CLIENT_AMZ_HEADERS) {
          raw.append(header[0]).append(": ").append(header[1]).append("\r\n");
        }
        RawHttp.Response response = RawHttp.send(toEndpoints.server().port(), raw.append("\r\n").toString());
        assertEquals(200, response.status(), path + " -> " + response);
        FakeHttpFunction endpoint = path.equals("/keyed") ? keyed : iam;
        FakeHttpFunction.Received received = endpoint.last();
        assertTrue(received.accepted(), path + ": the endpoint accepted the proxy's credentials");
        assertEquals(endpoint.uri().getAuthority(), received.headers().first("Host").orElse(null), path);
        if (path.equals("/keyed")) {
          assertEquals(List.of("route-key"), received.headers().all("x-api-key"), "the route's key replaces the client's");
          assertTrue(received.headers().all("Authorization").isEmpty(), "the client's Authorization is not forwarded");
        } else {
          assertEquals(1, received.headers().all("Authorization").size(), path + ": the proxy's signature, only");
          assertEquals("host;x-amz-date", signedHeaders(received.headers().first("Authorization").orElseThrow()));
          assertTrue(received.headers().all("x-api-key").isEmpty());
        }
        for (String name : List.of("X-Amz-Invocation-Type", "X-Amz-Log-Type", "X-Amz-Client-Context", "X-Amz-Security-Token",
            "X-Amz-Target", "X-Amz-Content-Sha256")) {
          assertTrue(received.headers().all(name).isEmpty(), path + ": " + name + " from the client must not reach the endpoint");
        }
        assertTrue(received.headers().all("X-Client-Secret").isEmpty(),
            path + ": a header the client's Connection names is hop-by-hop (RFC 9110 7.6.1) and is not forwarded");
      }
    }
  }

  private static String signedHeaders(String authorization) {
    Matcher matcher = SIGNED_HEADERS.matcher(authorization);
    assertTrue(matcher.find(), authorization);
    return matcher.group(1);
  }
}

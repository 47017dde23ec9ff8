package dev.lambdaproxy.war;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lambdaproxy.filterapp.EchoAppServlet;
import dev.lambdaproxy.testing.FakeLambda;
import dev.lambdaproxy.testing.Handlers;
import dev.lambdaproxy.testing.Invocation;
import dev.lambdaproxy.testing.LambdaReply;
import dev.lambdaproxy.testing.ReceivedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code LambdaRoutingFilter} put in front of an existing application's servlet ({@link
 * FilterWebapp}) in a real container: mapped paths under {@code /api/*} reach a {@link FakeLambda}
 * that verifies every signature with the AWS SDK's signer; the others reach the app untouched
 * ({@code on-miss=pass}) or get the JSON 404 ({@code on-miss=404}). Each subclass names its
 * container; the app is deployed twice in it, once per {@code on-miss}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FilterInWebappContract {

  static final String CONTEXT_PATH = "/shop";

  private static final String KEY = "AKIDFILTERTEST";
  private static final String SECRET = "filter/test+SECRET/bPxRfiCYEXAMPLEKEY";
  /** Each would override the conf folder this test writes. */
  private static final List<String> OVERRIDING_ENV = List.of("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL_LAMBDA", "AWS_ENDPOINT_URL");
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  private final Container container;
  private FakeLambda lambda;
  private AwsCredentialProperties credentials;
  /** The app with {@code on-miss=pass}. */
  private Container.Webapp passing;
  /** The app with {@code on-miss=404}. */
  private Container.Webapp notFound;

  FilterInWebappContract(Container container) {
    this.container = container;
  }

  @BeforeAll
  void deployTheApp(@TempDir Path tmp) throws Exception {
    for (String name : OVERRIDING_ENV) {
      if (System.getenv(name) != null) {
        throw new IllegalStateException("unset " + name + " to run this test: it overrides the test's conf folder");
      }
    }
    lambda = FakeLambda.builder()
        .credentials(KEY, SECRET)
        .function("hello", Handlers.returning("\"Hello\""))
        .function("echo", Handlers.echo())
        .function("users", invocation -> LambdaReply.json("""
            {"statusCode": 200, "headers": {"Content-Type": "text/plain"}, "body": "user %s at %s"}"""
            .formatted(invocation.payloadJson().at("/pathParameters/id").asText(), invocation.payloadJson().get("rawPath").asText())))
        .start();
    Path confDir = Files.createDirectories(tmp.resolve("conf"));
    Files.writeString(confDir.resolve("routes.properties"), """
        /api/hello = hello
        /api/echo = echo ; methods=POST
        /api/users/{id} = users ; event=apigw-v2
        """);
    Files.writeString(confDir.resolve("lambda-proxy.properties"),
        "region = " + lambda.region() + "\nendpoint = " + lambda.uri() + "\n");
    // Read when the filter starts: set before the deployments, restored after they stop.
    credentials = AwsCredentialProperties.set(KEY, SECRET);
    passing = container.deploy(FilterWebapp.assemble(tmp.resolve("pass-app"), "pass", confDir),
        CONTEXT_PATH, Map.of(), tmp.resolve("pass-container"));
    notFound = container.deploy(FilterWebapp.assemble(tmp.resolve("404-app"), "404", confDir),
        CONTEXT_PATH, Map.of(), tmp.resolve("404-container"));
  }

  @AfterAll
  void undeploy() throws Exception {
    try (AutoCloseable restoreCredentials = credentials; AutoCloseable fakeLambda = lambda;
        AutoCloseable notFoundApp = notFound; AutoCloseable passingApp = passing) {
      // closed in reverse order: the containers first
    }
  }

  @BeforeEach
  void forgetEarlierRequests() {
    lambda.reset();
  }

  @Test
  void aMappedGetReachesItsFunctionWithAVerifiedSignatureAndNeverTheApp() {
    long servedBefore = servedByApp(passing);
    HttpResponse<String> response = send(passing, HttpRequest.newBuilder(uri(passing, "/api/hello?name=Ada")).GET());
    assertEquals(200, response.statusCode(), response.body());
    assertEquals("Hello", response.body());
    assertEquals("text/plain;charset=utf-8", normalized(contentType(response)));
    assertFalse(response.headers().firstValue(EchoAppServlet.APP_HEADER).isPresent(), "the app answered: " + response.headers());

    List<ReceivedRequest> received = lambda.requests();
    assertEquals(1, received.size(), received.toString());
    assertTrue(received.get(0).outcome().signatureValid(), "the AWS SDK signer accepted the signature: " + received);
    assertTrue(received.get(0).outcome().invoked(), received.toString());
    Invocation invocation = lambda.lastInvocation();
    assertEquals("hello", invocation.functionName());
    assertEquals(KEY, invocation.accessKeyId());
    assertEquals("{}", invocation.payloadAsString());
    assertEquals(servedBefore + 1, servedByApp(passing), "the mapped request reached the app servlet too");
  }

  @Test
  void aMappedPostCarriesItsJsonBodyByteForByteAndAnswersWithTheFunctionsResult() {
    String body = "{\"name\": \"Ada\", \"tags\": [\"x\", \"\\u00e9\", \"é\"]}";
    HttpResponse<String> response = send(passing, HttpRequest.newBuilder(uri(passing, "/api/echo"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    assertEquals(200, response.statusCode(), response.body());
    assertEquals(body, response.body());
    assertEquals("application/json", contentType(response));

    List<ReceivedRequest> received = lambda.requests();
    assertEquals(1, received.size(), received.toString());
    assertTrue(received.get(0).outcome().signatureValid(), "the AWS SDK signer accepted the signature: " + received);
    assertEquals("echo", lambda.lastInvocation().functionName());
    assertEquals(body, lambda.lastInvocation().payloadAsString());
  }

  @Test
  void anApiGatewayV2RouteGetsThePathInsideTheContextAsRawPath() {
    HttpResponse<String> response = send(passing, HttpRequest.newBuilder(uri(passing, "/api/users/7?a=1")).GET());
    assertEquals(200, response.statusCode(), response.body());
    assertEquals("user 7 at /api/users/7", response.body());

    Invocation invocation = lambda.lastInvocation();
    assertEquals("users", invocation.functionName());
    assertEquals("2.0", invocation.payloadJson().get("version").asText());
    assertEquals("/api/users/7", invocation.payloadJson().get("rawPath").asText());
    assertEquals("a=1", invocation.payloadJson().get("rawQueryString").asText());
    assertTrue(lambda.requests().get(0).outcome().signatureValid(), lambda.requests().toString());
  }

  // Content types outside Jetty's parser cache: it hands well-known ones back in its own spelling (charset=utf-8), filter or not.
  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
      GET    | /health                 | 200 | text/plain
      POST   | /api/not-mapped         | 201 | application/x-www-form-urlencoded
      PUT    | /api/not-mapped/deeper  | 418 | application/json
      DELETE | /api/users              | 202 | application/vnd.app+json;version=2
      POST   | /api                    | 404 | application/octet-stream
      """)
  void withOnMissPassAnUnmappedPathReachesTheAppWithMethodHeadersBodyAndStatusUntouched(
      String method, String path, int status, String requestContentType) {
    String body = method.equals("GET") ? "" : "name=Ada&x=%20+é\n{\"not\": json";
    HttpResponse<String> response = send(passing, HttpRequest.newBuilder(uri(passing, path + "?q=a%20b&x=1&x=2"))
        .header(EchoAppServlet.WANT_STATUS, Integer.toString(status))
        .header("Content-Type", requestContentType)
        .header("X-Custom", "kept as sent")
        .header("Authorization", "Bearer the-apps-own-token")
        .method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));

    assertEquals(status, response.statusCode(), response.body());
    assertEquals("""
        method=%s
        uri=%s
        query=q=a%%20b&x=1&x=2
        content-type=%s
        x-custom=kept as sent
        authorization=Bearer the-apps-own-token
        body=%s""".formatted(method, CONTEXT_PATH + path, requestContentType, body), response.body());
    assertEquals("echo-app", response.headers().firstValue(EchoAppServlet.APP_HEADER).orElse("(none)"));
    assertEquals(List.of("one", "two"), response.headers().allValues("X-App-Multi"));
    assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse("(none)"));
    assertEquals("text/plain;charset=utf-8", normalized(contentType(response)));
    assertEquals(0, lambda.requestCount(), lambda.requests().toString());
  }

  @Test
  void withOnMiss404AnUnmappedApiPathGetsTheJson404AndNeverReachesTheApp() {
    long servedBefore = servedByApp(notFound);
    HttpResponse<String> response = send(notFound, HttpRequest.newBuilder(uri(notFound, "/api/not-mapped?x=1"))
        .header(EchoAppServlet.WANT_STATUS, "201")
        .POST(HttpRequest.BodyPublishers.ofString("{}")));
    assertEquals(404, response.statusCode(), response.body());
    assertEquals("application/json", contentType(response));
    assertEquals("{\"message\":\"no route for /api/not-mapped\"}", response.body());
    assertFalse(response.headers().firstValue(EchoAppServlet.APP_HEADER).isPresent(), "the app answered: " + response.headers());
    assertEquals(servedBefore + 1, servedByApp(notFound), "the unmapped request reached the app servlet");
    assertEquals(0, lambda.requestCount(), lambda.requests().toString());
  }

  @Test
  void withOnMiss404APathOutsideTheFiltersMappingStillReachesTheApp() {
    HttpResponse<String> response = send(notFound, HttpRequest.newBuilder(uri(notFound, "/health"))
        .header(EchoAppServlet.WANT_STATUS, "418")
        .PUT(HttpRequest.BodyPublishers.ofString("teapot")));
    assertEquals(418, response.statusCode(), response.body());
    assertEquals("echo-app", response.headers().firstValue(EchoAppServlet.APP_HEADER).orElse("(none)"));
    assertTrue(response.body().startsWith("method=PUT\nuri=" + CONTEXT_PATH + "/health\n"), response.body());
    assertTrue(response.body().endsWith("\nbody=teapot"), response.body());
    assertEquals(0, lambda.requestCount(), lambda.requests().toString());
  }

  @Test
  void withOnMiss404AMappedPathStillReachesItsFunction() {
    HttpResponse<String> response = send(notFound, HttpRequest.newBuilder(uri(notFound, "/api/hello")).GET());
    assertEquals(200, response.statusCode(), response.body());
    assertEquals("Hello", response.body());
    assertTrue(lambda.requests().get(0).outcome().invoked(), lambda.requests().toString());
  }

  @Test
  void theClientsAuthorizationHeaderNeverReachesLambda() {
    HttpResponse<String> response = send(passing, HttpRequest.newBuilder(uri(passing, "/api/hello"))
        .header("Authorization", "Bearer client-secret-token").GET());
    assertEquals(200, response.statusCode(), response.body());

    List<ReceivedRequest> received = lambda.requests();
    assertEquals(1, received.size(), received.toString());
    assertTrue(received.get(0).outcome().signatureValid(), received.toString());
    List<String> authorization = received.get(0).headers().all("Authorization");
    assertEquals(1, authorization.size(), authorization.toString());
    assertTrue(authorization.get(0).startsWith("AWS4-HMAC-SHA256 Credential=" + KEY + "/"), authorization.get(0));
    for (Map.Entry<String, String> field : received.get(0).headers().fields()) {
      assertFalse(field.getValue().contains("client-secret-token"), "the client's credential reached Lambda in " + field.getKey());
    }
  }

  /** How many requests the app servlet has served so far, read from the count it reports (this request not included). */
  private long servedByApp(Container.Webapp webapp) {
    HttpResponse<String> response = send(webapp, HttpRequest.newBuilder(uri(webapp, "/served")).GET());
    assertEquals(200, response.statusCode(), response.body());
    return Long.parseLong(response.headers().firstValue(EchoAppServlet.SERVED).orElseThrow()) - 1;
  }

  private static URI uri(Container.Webapp webapp, String pathAndQuery) {
    return webapp.serverRoot().resolve(CONTEXT_PATH + pathAndQuery);
  }

  private static HttpResponse<String> send(Container.Webapp webapp, HttpRequest.Builder request) {
    try {
      return CLIENT.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String contentType(HttpResponse<?> response) {
    return response.headers().firstValue("Content-Type").orElse("(none)");
  }

  private static String normalized(String contentType) {
    return contentType.replace(" ", "").toLowerCase(Locale.ROOT);
  }
}

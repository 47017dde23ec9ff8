package dev.lambdaproxy.war;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lambdaproxy.testing.FakeLambda;
import dev.lambdaproxy.testing.Handlers;
import dev.lambdaproxy.testing.Invocation;
import dev.lambdaproxy.testing.LambdaReply;
import dev.lambdaproxy.testing.ReceivedRequest;
import java.io.ByteArrayInputStream;
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
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the built WAR must do in any servlet container: each subclass deploys {@code
 * target/lambda-proxy.war} into one container, on an ephemeral loopback port, with its conf folder
 * handed over by the context-param {@code lambda-proxy.conf}, in front of a {@link FakeLambda}
 * that verifies every signature with the AWS SDK's signer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DeployedWarContract {

  static final String CONTEXT_PATH = "/lambda-proxy";
  static final String CONF_PARAM = "lambda-proxy.conf";

  private static final String KEY = "AKIDWARTEST";
  private static final String SECRET = "war/test+SECRET/bPxRfiCYEXAMPLEKEY";
  /** Each would override the conf folder this test writes (the initializer reads the real environment). */
  private static final List<String> OVERRIDING_ENV = List.of(
      "LAMBDA_PROXY_CONF", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL_LAMBDA", "AWS_ENDPOINT_URL");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  private final Container container;
  private FakeLambda lambda;
  private Container.Webapp war;
  private AwsCredentialProperties credentials;

  DeployedWarContract(Container container) {
    this.container = container;
  }

  /** Deploys {@code warFile} at {@link #CONTEXT_PATH} with the context-param {@link #CONF_PARAM} set to {@code confDir}. */
  static Container.Webapp deploy(Container container, Path warFile, Path confDir, Path workDir) throws Exception {
    return container.deploy(warFile, CONTEXT_PATH, Map.of(CONF_PARAM, confDir.toString()), workDir);
  }

  @BeforeAll
  void deployTheWar(@TempDir Path tmp) throws Exception {
    for (String name : OVERRIDING_ENV) {
      if (System.getenv(name) != null) {
        throw new IllegalStateException("unset " + name + " to run this test: it overrides the test's conf folder");
      }
    }
    if (System.getProperty(CONF_PARAM) != null) {
      throw new IllegalStateException("drop -D" + CONF_PARAM + " to run this test: it overrides the context-param");
    }
    Path warFile = Path.of(System.getProperty("lambda-proxy.war", "target/lambda-proxy.war"));
    if (!Files.isRegularFile(warFile)) {
      throw new IllegalStateException(warFile + " not found: run `mvn -B verify`, which builds the WAR before this test");
    }
    lambda = FakeLambda.builder()
        .credentials(KEY, SECRET)
        .function("hello", Handlers.returning("\"Hello\""))
        .function("echo", Handlers.echo())
        .function("fails", Handlers.replying(LambdaReply.functionError("Unhandled", "TypeError", "name is undefined")))
        .function("slow", Handlers.replying(LambdaReply.delayed(Duration.ofSeconds(3), LambdaReply.json("\"late\""))))
        .start();
    Path confDir = Files.createDirectories(tmp.resolve("conf"));
    Files.writeString(confDir.resolve("routes.properties"), """
        /hello = hello
        /echo = echo ; methods=POST
        /fails = fails
        /slow = slow ; timeout-ms=300
        """);
    Files.writeString(confDir.resolve("lambda-proxy.properties"),
        "region = " + lambda.region() + "\nendpoint = " + lambda.uri() + "\n");
    // Read once, when the WAR's listener starts: set before the deployment, restored after it stops.
    credentials = AwsCredentialProperties.set(KEY, SECRET);
    war = deploy(container, warFile, confDir, tmp.resolve("container"));
  }

  @AfterAll
  void undeploy() throws Exception {
    try {
      if (war != null) {
        war.close();
      }
    } finally {
      if (lambda != null) {
        lambda.close();
      }
      if (credentials != null) {
        credentials.close();
      }
    }
  }

  @BeforeEach
  void forgetEarlierRequests() {
    lambda.reset();
  }

  @Test
  void aGetInsideTheContextReachesTheFunctionWithAVerifiedSignature() {
    HttpResponse<String> response = get(CONTEXT_PATH + "/hello?name=Ada");
    assertEquals(200, response.statusCode(), response.body());
    assertEquals("Hello", response.body());
    assertEquals("text/plain;charset=utf-8", contentType(response).replace(" ", "").toLowerCase());

    List<ReceivedRequest> received = lambda.requests();
    assertEquals(1, received.size(), received.toString());
    assertTrue(received.get(0).outcome().signatureValid(), "the AWS SDK signer accepted the signature: " + received);
    assertTrue(received.get(0).outcome().invoked(), received.toString());
    Invocation invocation = lambda.lastInvocation();
    assertEquals("hello", invocation.functionName());
    assertEquals(KEY, invocation.accessKeyId());
    assertEquals("{}", invocation.payloadAsString());
    assertEquals(1, lambda.invocations().size());
  }

  @Test
  void aPostedJsonBodyReachesTheFunctionByteForByte() {
    String body = "{\"name\": \"Ada\", \"tags\": [\"x\", \"\\u00e9\"]}";
    HttpResponse<String> response = send(HttpRequest.newBuilder(uri(CONTEXT_PATH + "/echo"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
    assertEquals(200, response.statusCode(), response.body());
    assertEquals(body, lambda.lastInvocation().payloadAsString());
    assertEquals(body, response.body());
    assertEquals("application/json", contentType(response));
  }

  @Test
  void aBodyThatIsNotJsonIs400JsonAndNeverReachesAws() {
    HttpResponse<String> response = send(HttpRequest.newBuilder(uri(CONTEXT_PATH + "/echo"))
        .POST(HttpRequest.BodyPublishers.ofString("name=Ada")));
    assertEquals(400, response.statusCode(), response.body());
    assertEquals("application/json", contentType(response));
    assertTrue(message(response).startsWith("request body must be JSON"), response.body());
    assertEquals(0, lambda.requestCount());
  }

  @Test
  void aLargeChunkedBodyIsReadWhole() {
    byte[] body = ("{\"big\":\"" + "x".repeat(300_000) + "\"}").getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> response = send(HttpRequest.newBuilder(uri(CONTEXT_PATH + "/echo"))
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));
    assertEquals(200, response.statusCode(), response.body());
    assertArrayEquals(body, lambda.lastInvocation().payload());
  }

  @Test
  void anUnknownPathInsideTheContextIs404JsonAndNeverReachesAws() {
    HttpResponse<String> response = get(CONTEXT_PATH + "/nope?x=1");
    assertEquals(404, response.statusCode());
    assertEquals("application/json", contentType(response));
    assertEquals("{\"message\":\"no route for /nope\"}", response.body());
    assertEquals(0, lambda.requestCount());
  }

  @Test
  void routesMatchThePathInsideTheContextNotTheServerPath() {
    // The context path is not part of the route path...
    HttpResponse<String> doubled = get(CONTEXT_PATH + CONTEXT_PATH + "/hello");
    assertEquals(404, doubled.statusCode());
    assertEquals("no route for " + CONTEXT_PATH + "/hello", message(doubled));
    // ...and outside the context the server answers, not the proxy.
    HttpResponse<String> outside = get("/hello");
    assertEquals(404, outside.statusCode());
    assertFalse(outside.body().contains("no route"), "the proxy answered outside its context: " + outside.body());
    assertEquals(0, lambda.requestCount());
  }

  @Test
  void aFunctionErrorIs502JsonNotTheContainersErrorPage() {
    HttpResponse<String> response = get(CONTEXT_PATH + "/fails");
    assertEquals(502, response.statusCode());
    assertEquals("application/json", contentType(response));
    JsonNode body = json(response);
    assertEquals("function error", body.get("message").asText());
    assertEquals("TypeError", body.get("errorType").asText());
    assertEquals("name is undefined", body.get("errorMessage").asText());
    assertFalse(response.body().contains("file.js"), "no stack trace for the client");
  }

  @Test
  void aSlowFunctionIs504JsonAtTheRouteTimeout() {
    long started = System.nanoTime();
    HttpResponse<String> response = get(CONTEXT_PATH + "/slow");
    long tookMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
    assertEquals(504, response.statusCode(), response.body());
    assertEquals("application/json", contentType(response));
    assertEquals("function slow did not answer within 300 ms", message(response));
    assertTrue(tookMillis < 2_900, "answered before the function did, took " + tookMillis + " ms");
  }

  @Test
  void theProxyRunsFromTheWarsOwnClassesNotTheTestClasspath() {
    Object servlet = war.servlet("lambda-proxy");
    assertEquals("dev.lambdaproxy.servlet.LambdaProxyServlet", servlet.getClass().getName());
    assertSame(war.classLoader(), servlet.getClass().getClassLoader());
    assertNotSame(getClass().getClassLoader(), servlet.getClass().getClassLoader());
  }

  private URI uri(String pathAndQuery) {
    return war.serverRoot().resolve(pathAndQuery);
  }

  private HttpResponse<String> get(String pathAndQuery) {
    return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET());
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) {
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

  private static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON (" + contentType(response) + "): " + response.body(), e);
    }
  }

  private static String message(HttpResponse<String> response) {
    return json(response).get("message").asText();
  }
}

package dev.lambdaproxy.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lambdaproxy.http.ClientAnswer;
import dev.lambdaproxy.testing.FakeLambda;
import dev.lambdaproxy.testing.Handlers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every request gets a bounded, correct answer, whatever the client sends or the function and
 * endpoint answer: the regressions of issue 12's probe (findings 1 to 4), one suite that each
 * front end runs (the jar's embedded server, the WAR in Tomcat, the WAR in Jetty).
 *
 * <p>Each case would hang or give the client a wrong final status on the code before the fix; the
 * client here waits at most {@link #CLIENT_WAIT}, so a hang fails the test rather than stalling it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BoundedAnswersContract {

  static final String KEY = "AKIDBOUNDED";
  static final String SECRET = "bounded/SECRET/wJalrXUtnFEMI+K7MDENGbPxRfiCYz";
  static final Duration CLIENT_WAIT = Duration.ofSeconds(15);

  /** An X-Fits value that makes the header block exactly the limit: {@code X-Fits: v...\r\n} and the default Content-Type's line. */
  private static final int AT_LIMIT_VALUE = ClientAnswer.MAX_FUNCTION_HEADER_BYTES - "X-Fits: \r\n".length()
      - "Content-Type: application/json\r\n".length();
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  /** A running front end, configured from a conf folder. */
  interface Running extends AutoCloseable {
    /** The address of route {@code pathAndQuery}. */
    URI uri(String pathAndQuery);

    /** The access log lines written so far, or null where this front end keeps none. */
    default List<String> accessLog() {
      return null;
    }
  }

  /** Starts the front end on the conf folder, signing with {@link #KEY}/{@link #SECRET}. */
  abstract Running start(Path confDir, Path workDir) throws Exception;

  /** A WAR deployment as a front end: routes live under its context. */
  static Running war(java.util.concurrent.Callable<dev.lambdaproxy.war.Wars.Deployed> deploy) throws Exception {
    dev.lambdaproxy.war.Wars.Deployed war = WarCredentials.deployed(deploy, KEY, SECRET);
    return new Running() {
      @Override
      public URI uri(String pathAndQuery) {
        return URI.create(war.base() + pathAndQuery);
      }

      @Override
      public void close() throws Exception {
        war.close();
      }
    };
  }

  private FakeLambda lambda;
  private CraftedUpstream earlyHints;
  private CraftedUpstream earlyHintsThenSilence;
  private CraftedUpstream switching;
  private CraftedUpstream lambdaWithEarlyHints;
  private CraftedUpstream interim;
  private Running proxy;
  private Running proxyToHintingLambda;

  @BeforeAll
  void start(@TempDir Path tmp) throws Exception {
    lambda = FakeLambda.builder()
        .credentials(KEY, SECRET)
        .function("echo", Handlers.echo())
        .function("bigheader", Handlers.returning(proxyResult("{\"X-Big\":\"" + "v".repeat(200_000) + "\"}", null)))
        .function("manyheaders", Handlers.returning(proxyResult(manyHeaders(5_000), null)))
        .function("multiheaders", Handlers.returning(proxyResult(null, multiValueHeaders(2_000, 100))))
        .function("atlimit", Handlers.returning(proxyResult("{\"X-Fits\":\"" + "v".repeat(AT_LIMIT_VALUE) + "\"}", null)))
        .function("status100", Handlers.returning("{\"statusCode\":100,\"body\":\"x\"}"))
        .function("status101", Handlers.returning("{\"statusCode\":101,\"body\":\"x\"}"))
        .start();
    earlyHints = new CraftedUpstream((socket, out, head) -> {
      out.write(("HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
          + "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nfinal").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return true;
    });
    earlyHintsThenSilence = new CraftedUpstream((socket, out, head) -> {
      out.write("HTTP/1.1 103 Early Hints\r\nLink: </a.js>; rel=preload\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      CraftedUpstream.awaitPeerClose(socket, 20_000);
      return false;
    });
    // Answers GET /NNN with an informational NNN first, then a 200.
    interim = new CraftedUpstream((socket, out, head) -> {
      String status = head.substring(head.indexOf(' ') + 2, head.indexOf(' ') + 5);
      out.write(("HTTP/1.1 " + status + " Interim\r\n\r\n"
          + "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nfinal").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return false;
    });
    switching = CraftedUpstream.always("HTTP/1.1 101 Switching Protocols\r\nUpgrade: foo\r\nConnection: Upgrade\r\n\r\n");
    lambdaWithEarlyHints = new CraftedUpstream((socket, out, head) -> {
      out.write(("HTTP/1.1 103 Early Hints\r\n\r\n"
          + "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nx-amzn-RequestId: r-1\r\nContent-Length: 7\r\n\r\n\"hello\"")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return true;
    });
    proxy = start(conf(tmp.resolve("conf"), lambda.uri(), """
        /echo = echo
        /stream-echo = echo ; stream=true
        /v2/big-header = bigheader ; event=apigw-v2
        /v1/many-headers = manyheaders ; event=apigw-v1
        /v1/multi-headers = multiheaders ; event=apigw-v1
        /raw/big-header = bigheader
        /at-limit = atlimit ; event=apigw-v1
        /v2/status-100 = status100 ; event=apigw-v2
        /v1/status-101 = status101 ; event=apigw-v1
        /raw/status-100 = status100
        /hints = %s ; auth=none
        /hints-then-silence = %s ; auth=none ; timeout-ms=700
        /switch = %s ; auth=none
        /interim/* = %s ; auth=none
        """.formatted(earlyHints.uri(), earlyHintsThenSilence.uri(), switching.uri(), interim.uri())), tmp.resolve("work"));
    proxyToHintingLambda = start(conf(tmp.resolve("conf-hinting-lambda"), lambdaWithEarlyHints.uri(), "/hello = hello\n"),
        tmp.resolve("work-hinting-lambda"));
  }

  @AfterAll
  void stop() throws Exception {
    for (AutoCloseable closeable : new AutoCloseable[] {proxy, proxyToHintingLambda, lambda, earlyHints, earlyHintsThenSilence,
        switching, lambdaWithEarlyHints, interim}) {
      if (closeable != null) {
        closeable.close();
      }
    }
  }

  @BeforeEach
  void forgetEarlierCalls() {
    lambda.reset();
  }

  private static Path conf(Path dir, URI lambdaEndpoint, String routes) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("routes.properties"), routes);
    Files.writeString(dir.resolve("lambda-proxy.properties"), "region = us-east-1\nendpoint = " + lambdaEndpoint + "\n");
    return dir;
  }

  // Finding 1: a body past one of Jackson's stream limits is a 400 at once, never an open request.

  static Stream<Arguments> bodiesPastAStreamLimit() {
    return Stream.of(
        Arguments.of("arrays nested 1,200 deep", "[".repeat(1_200) + "]".repeat(1_200), "nested deeper than 1000"),
        Arguments.of("arrays nested 200,000 deep, unclosed", "[".repeat(200_000), "nested deeper than 1000"),
        Arguments.of("objects nested 1,200 deep", "{\"a\":".repeat(1_200) + "1" + "}".repeat(1_200), "nested deeper than 1000"),
        Arguments.of("an integer of 1,001 digits", "{\"a\":1" + "0".repeat(1_000) + "}", "number longer than 1000"),
        Arguments.of("a fraction of 2,000 digits", "{\"a\":0." + "1".repeat(2_000) + "}", "number longer than 1000"),
        Arguments.of("a property name of 60,000 characters", "{\"" + "n".repeat(60_000) + "\":1}", "property name longer than 50000"));
  }

  @ParameterizedTest(name = "{0} on a raw route")
  @MethodSource("bodiesPastAStreamLimit")
  void aBodyPastAStreamLimitIs400NamingTheLimit(String name, String body, String limit) {
    assertBodyRefused("/echo", body, limit);
  }

  @ParameterizedTest(name = "{0} on a streaming route")
  @MethodSource("bodiesPastAStreamLimit")
  void aBodyPastAStreamLimitIs400OnAStreamingRouteToo(String name, String body, String limit) {
    assertBodyRefused("/stream-echo", body, limit);
  }

  private void assertBodyRefused(String route, String body, String limit) {
    HttpResponse<String> response = post(route, body);
    assertEquals(400, response.statusCode(), response.body());
    assertJson(response);
    String message = message(response);
    assertTrue(message.startsWith("request body must be JSON: "), message);
    assertTrue(message.contains(limit), message);
    assertFalse(message.contains("StreamReadConstraints"), "no Jackson internals: " + message);
    assertEquals(0, lambda.requestCount(), "the function is not called");
    assertAccessLogged(route, 400);
  }

  // Finding 2: a function's header block past 8 KiB is a JSON 502 naming the limit.

  static Stream<Arguments> oversizedHeaderBlocks() {
    return Stream.of(
        Arguments.of("one 200,000-byte header (payload 2.0)", "/v2/big-header"),
        Arguments.of("5,000 headers (payload 1.0)", "/v1/many-headers"),
        Arguments.of("multiValueHeaders of 2,000 x 100 bytes (payload 1.0)", "/v1/multi-headers"),
        Arguments.of("one 200,000-byte header in a raw proxy object", "/raw/big-header"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("oversizedHeaderBlocks")
  void aFunctionHeaderBlockPastTheLimitIsA502NamingIt(String name, String route) {
    HttpResponse<String> response = get(route);
    assertEquals(502, response.statusCode(), response.body());
    assertJson(response);
    assertTrue(message(response).contains(ClientAnswer.MAX_FUNCTION_HEADER_BYTES + " bytes allowed"), response.body());
    assertFalse(response.body().contains("Exception"), "no internal exception names: " + response.body());
    assertAccessLogged(route, 502);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("oversizedHeaderBlocks")
  void theClientsConnectionCloseIsHonouredOnThat502(String name, String route) throws IOException {
    String head = rawExchangeUntilClosed(route);
    assertTrue(head.startsWith("HTTP/1.1 502"), head);
  }

  @Test
  void aHeaderBlockOfExactlyTheLimitPassesWhole() {
    HttpResponse<String> response = get("/at-limit");
    assertEquals(200, response.statusCode(), response.body());
    assertEquals(AT_LIMIT_VALUE, response.headers().firstValue("X-Fits").orElse("").length());
  }

  // Finding 3: a function's 1xx statusCode is a malformed result, not a final status.

  @ParameterizedTest(name = "{0}")
  @MethodSource("informationalStatusRoutes")
  void aFunctionsInformationalStatusCodeIsA502(String route) throws IOException {
    HttpResponse<String> response = get(route);
    assertEquals(502, response.statusCode(), response.body());
    assertJson(response);
    assertAccessLogged(route, 502);
    assertTrue(rawExchangeUntilClosed(route).startsWith("HTTP/1.1 502"));
  }

  static Stream<String> informationalStatusRoutes() {
    return Stream.of("/v2/status-100", "/v1/status-101", "/raw/status-100");
  }

  @Test
  void anEndpointsSwitchingProtocolsIsRefusedWithA502() {
    HttpResponse<String> response = get("/switch");
    assertEquals(502, response.statusCode(), response.body());
    assertJson(response);
    assertTrue(message(response).contains("101"), response.body());
    assertFalse(response.body().contains("127.0.0.1:" + switching.port()), "the endpoint is not named: " + response.body());
  }

  // Finding 4: interim answers are skipped, and the route's timeout always ends the call.

  @Test
  void anEndpointsEarlyHintsAreSkippedAndItsFinalAnswerRelayed() {
    HttpResponse<String> response = get("/hints");
    assertEquals(200, response.statusCode(), response.body());
    assertEquals("final", response.body());
  }

  @Test
  void lambdasEarlyHintsAreSkippedAndTheResultDecoded() {
    HttpResponse<String> response = send(proxyToHintingLambda, HttpRequest.newBuilder(proxyToHintingLambda.uri("/hello")).GET());
    assertEquals(200, response.statusCode(), response.body());
    assertEquals("hello", response.body());
  }

  @Test
  void earlyHintsFollowedBySilenceEndInA504WithinTheRouteTimeout() {
    HttpResponse<String> response = get("/hints-then-silence");
    assertEquals(504, response.statusCode(), response.body());
    assertJson(response);
    assertAccessLogged("/hints-then-silence", 504);
  }

  @ParameterizedTest(name = "an endpoint's {0} before its 200")
  @MethodSource("informationalStatuses")
  void everyInformationalStatusFromAnEndpointIsSkippedOrRefusedNeverRelayed(int status) {
    HttpResponse<String> response = get("/interim/" + status);
    if (status == 100 || status == 102 || status == 103) {
      assertEquals(200, response.statusCode(), status + ": an interim answer is skipped: " + response.body());
      assertEquals("final", response.body());
    } else {
      assertEquals(502, response.statusCode(), status + " is refused: " + response.body());
      assertJson(response);
    }
  }

  static Stream<Integer> informationalStatuses() {
    return Stream.of(100, 101, 102, 103, 104, 150, 199);
  }

  private String rawExchangeUntilClosed(String route) throws IOException {
    URI uri = proxy.uri(route);
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout((int) CLIENT_WAIT.toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getAuthority() + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      try {
        for (int n; (n = in.read(buffer)) >= 0; ) {
          received.write(buffer, 0, n);
        }
      } catch (SocketTimeoutException e) {
        fail("the proxy kept the connection open after answering a request that said Connection: close: " + received);
      }
      return received.toString(StandardCharsets.ISO_8859_1);
    }
  }

  /** The last access line for {@code route} has the status the client got (finding 9). */
  private void assertAccessLogged(String route, int status) {
    if (proxy.accessLog() == null) {
      return;
    }
    // The line is written when the request completes, which may be just after the client has read the answer.
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    String last = null;
    while (last == null && System.nanoTime() < deadline) {
      for (String line : proxy.accessLog()) {
        if (line.contains(" " + route + " route=")) {
          last = line;
        }
      }
      Thread.onSpinWait();
    }
    if (last == null) {
      fail("no access log line for " + route);
    }
    assertTrue(last.contains(" status=" + status + " "), "logged as the client got it: " + last);
  }

  private HttpResponse<String> get(String route) {
    return send(proxy, HttpRequest.newBuilder(proxy.uri(route)).GET());
  }

  private HttpResponse<String> post(String route, String body) {
    return send(proxy, HttpRequest.newBuilder(proxy.uri(route)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private static HttpResponse<String> send(Running running, HttpRequest.Builder request) {
    try {
      return CLIENT.send(request.timeout(CLIENT_WAIT).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (java.net.http.HttpTimeoutException e) {
      throw new AssertionError("no answer within " + CLIENT_WAIT + ": the request was left open", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void assertJson(HttpResponse<String> response) {
    String type = response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
    assertTrue(type.startsWith("application/json"), "Content-Type " + type);
    JsonNode body = Fixtures.json(response.body());
    assertTrue(body.path("message").isTextual(), response.body());
  }

  private static String message(HttpResponse<String> response) {
    return Fixtures.message(response);
  }

  private static String proxyResult(String headersJson, String multiValueHeadersJson) {
    StringBuilder result = new StringBuilder("{\"statusCode\":200");
    if (headersJson != null) {
      result.append(",\"headers\":").append(headersJson);
    }
    if (multiValueHeadersJson != null) {
      result.append(",\"multiValueHeaders\":").append(multiValueHeadersJson);
    }
    return result.append(",\"body\":\"x\"}").toString();
  }

  private static String manyHeaders(int count) {
    StringBuilder json = new StringBuilder("{");
    for (int i = 0; i < count; i++) {
      json.append(i == 0 ? "" : ",").append("\"X-H").append(i).append("\":\"v\"");
    }
    return json.append('}').toString();
  }

  private static String multiValueHeaders(int count, int valueLength) {
    StringBuilder json = new StringBuilder("{\"X-Multi\":[");
    for (int i = 0; i < count; i++) {
      json.append(i == 0 ? "" : ",").append('"').append("m".repeat(valueLength)).append('"');
    }
    return json.append("]}").toString();
  }
}

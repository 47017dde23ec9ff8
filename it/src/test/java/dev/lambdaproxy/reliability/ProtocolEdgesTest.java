package dev.lambdaproxy.reliability;

import static dev.lambdaproxy.reliability.Fixtures.KEY;
import static dev.lambdaproxy.reliability.Fixtures.SECRET;
import static dev.lambdaproxy.invoke.stream.EventStreamFrames.invokeComplete;
import static dev.lambdaproxy.invoke.stream.EventStreamFrames.payloadChunk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lambdaproxy.testing.FakeLambda;
import dev.lambdaproxy.testing.Handlers;
import dev.lambdaproxy.testing.ProxyHarness;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The edges of HTTP/1.1 a client reaches with bytes rather than a library, on each engine (the
 * suite runs twice): an over-long request line (414) and header block (431), each a JSON answer
 * and no call; {@code Expect: 100-continue}, granted for a body the route takes and refused with
 * 413 for one it does not, before the body is sent; HEAD on a streaming route, answered with the
 * head alone on a connection that stays usable.
 */
class ProtocolEdgesTest {

  private static FakeLambda lambda;
  private static ProxyHarness proxy;

  @BeforeAll
  static void start() throws Exception {
    lambda = FakeLambda.builder().credentials(KEY, SECRET).function("echo", Handlers.echo())
        .function("streamer", invocation -> dev.lambdaproxy.testing.LambdaReply.stream("application/octet-stream",
            java.util.List.of(payloadChunk("a streamed body that a HEAD must not carry"), invokeComplete(null, null)), Duration.ZERO))
        .start();
    proxy = ProxyHarness.builder().lambda(lambda, KEY, SECRET)
        .settings("max-body-bytes = 1000\n")
        .routes("/echo = echo\n/stream = streamer ; stream=true\n")
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

  private static int port() {
    return proxy.uri("/").getPort();
  }

  @Test
  void aRequestLineLongerThanTheLimitIs414InJsonAndCallsNothing() throws Exception {
    String target = "/echo?q=" + "a".repeat(20_000);
    RawHttp.Response response = RawHttp.send(port(), "GET " + target + " HTTP/1.1\r\nHost: proxy.test\r\nConnection: close\r\n\r\n");
    assertEquals(414, response.status(), response.toString());
    assertTrue(response.header("Content-Type").startsWith("application/json"), response.toString());
    assertTrue(response.bodyText().contains("\"message\""), response.toString());
    assertEquals(0, lambda.invocations().size());
  }

  @Test
  void aHeaderBlockLargerThanTheLimitIs431InJsonAndCallsNothing() throws Exception {
    StringBuilder request = new StringBuilder("GET /echo HTTP/1.1\r\nHost: proxy.test\r\nConnection: close\r\n");
    for (int i = 0; i < 200; i++) {
      request.append("X-Filler-").append(i).append(": ").append("v".repeat(100)).append("\r\n");
    }
    RawHttp.Response response = RawHttp.send(port(), request.append("\r\n").toString());
    assertEquals(431, response.status(), response.toString());
    assertTrue(response.header("Content-Type").startsWith("application/json"), response.toString());
    assertEquals(0, lambda.invocations().size());
  }

  @Test
  void expectContinueIsGrantedBeforeTheBodyIsSentAndTheBodyReachesTheFunction() throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /echo HTTP/1.1\r\nHost: proxy.test\r\nContent-Type: application/json\r\nContent-Length: 11\r\n"
          + "Expect: 100-continue\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      String interim = readHead(in);
      assertTrue(interim.startsWith("HTTP/1.1 100"), "the proxy must grant the expectation before the body is sent: " + interim);
      out.write("{\"a\":\"bcd\"}".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      RawHttp.Response response = RawHttp.parse(RawHttp.readAll(in, Duration.ofSeconds(10)));
      assertEquals(200, response.status(), response.toString());
      assertEquals(1, lambda.invocations().size());
      assertTrue(lambda.invocations().get(0).payloadAsString().contains("bcd"), lambda.invocations().get(0).payloadAsString());
    }
  }

  @Test
  void expectContinueWithABodyOverTheLimitIs413WithoutAskingForTheBody() throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /echo HTTP/1.1\r\nHost: proxy.test\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n"
          + "Expect: 100-continue\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      String head = readHead(socket.getInputStream());
      assertTrue(head.startsWith("HTTP/1.1 413"), "a body over max-body-bytes is refused before it is asked for: " + head);
      assertEquals(0, lambda.invocations().size());
    }
  }

  @Test
  void headOnAStreamingRouteAnswersTheHeadAloneAndTheConnectionGoesOn() throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      // Two requests at once: whatever follows the HEAD's head must be the second answer, not a body.
      out.write(("HEAD /stream HTTP/1.1\r\nHost: proxy.test\r\n\r\n"
          + "GET /echo HTTP/1.1\r\nHost: proxy.test\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      String head = readHead(in);
      assertTrue(head.startsWith("HTTP/1.1 200"), head);
      String next = readHead(in);
      assertTrue(next.startsWith("HTTP/1.1 200"), "no body may follow a HEAD's head; the next bytes were: " + next);
      assertFalse(new String(RawHttp.readAll(in, Duration.ofSeconds(10)), StandardCharsets.ISO_8859_1).contains("streamed body"));
    }
  }

  /** Reads one response head (up to the blank line) from a raw stream. */
  private static String readHead(InputStream in) throws java.io.IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.append((char) b);
    }
    return head.toString();
  }

}

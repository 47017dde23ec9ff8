package dev.lambdaproxy.reliability;

import static dev.lambdaproxy.reliability.Fixtures.KEY;
import static dev.lambdaproxy.reliability.Fixtures.SECRET;
import static dev.lambdaproxy.reliability.Fixtures.millisSince;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lambdaproxy.testing.FakeLambda;
import dev.lambdaproxy.testing.Handlers;
import dev.lambdaproxy.testing.ProxyHarness;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client that falls silent in the middle of its request is cut at {@code idle-timeout-ms}, and
 * nothing of its half request is forwarded. (Jetty's default is 30 s; the setting makes it testable.)
 */
class IdleTimeoutTest {

  private static FakeLambda lambda;
  private static ProxyHarness proxy;

  @BeforeAll
  static void start() throws Exception {
    lambda = FakeLambda.builder().credentials(KEY, SECRET).function("echo", Handlers.echo()).start();
    proxy = ProxyHarness.builder().lambda(lambda, KEY, SECRET).settings("idle-timeout-ms = 2000\n").routes("/echo = echo\n").start();
  }

  @AfterAll
  static void stop() throws Exception {
    proxy.close();
    lambda.close();
  }

  @Test
  void aRequestHeadThatFallsSilentIsCutAtTheIdleTimeout() throws Exception {
    assertCutWhenSilent("GET /echo HTTP/1.1\r\nHost: proxy.test\r\nX-Half: ");
  }

  @Test
  void aBodyThatFallsSilentIsCutAtTheIdleTimeoutAndNothingIsForwarded() throws Exception {
    lambda.reset();
    assertCutWhenSilent("POST /echo HTTP/1.1\r\nHost: proxy.test\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"half\":");
    assertEquals(0, lambda.requestCount(), "half a body never reaches the function");
  }

  /** Sends {@code partial} and nothing more: with idle-timeout-ms = 2000 the server ends the connection within a few seconds. */
  private static void assertCutWhenSilent(String partial) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.server().port())) {
      socket.getOutputStream().write(partial.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      long started = System.nanoTime();
      socket.setSoTimeout(10_000);
      InputStream in = socket.getInputStream();
      try {
        // A 4xx answer may come first; the connection must end either way.
        while (in.read() >= 0) {
          // drain
        }
      } catch (SocketTimeoutException e) {
        throw new AssertionError("a silent client was still connected after 10 s (idle-timeout-ms = 2000)", e);
      } catch (IOException reset) {
        // cut hard: fine
      }
      long took = millisSince(started);
      assertTrue(took >= 1_500 && took < 6_000, "cut at the 2 s idle timeout, not Jetty's default 30 s: " + took + " ms");
    }
  }

}

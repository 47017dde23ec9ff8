package dev.lambdaproxy.reliability;

import static dev.lambdaproxy.reliability.Fixtures.proxyTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lambdaproxy.testing.ProxyHarness;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An HTTP/1.1 client that leaves while its function runs: nobody will read the answer, so the
 * proxy aborts the Invoke call at once (as an HTTP/2 reset already does) rather than holding a
 * pooled connection until the route's timeout.
 *
 * <p>The event-loop engine only: Jetty's HTTP/1.1 connection does not read while a request is
 * handled (HttpConnection leaves fill interest off until the answer is done, so that a pipelined
 * request waits), so a servlet container learns that its client left only when it writes the
 * answer. There the call ends at the route's timeout at the latest; HTTP/2 resets reach every
 * engine (README, "Reliability and security").
 */
class ClientDisconnectTest {

  /** Long enough that only the client's leaving, never the timeout, can explain an abort seen in time. */
  private static final int ROUTE_TIMEOUT_MS = 30_000;

  private CraftedUpstream upstream;
  private final CompletableFuture<Boolean> upstreamClosedByProxy = new CompletableFuture<>();
  private ProxyHarness proxy;

  @BeforeEach
  void start() throws Exception {
    // The function never answers: it waits for the proxy to close the call's connection.
    upstream = new CraftedUpstream((socket, out, head) -> {
      upstreamClosedByProxy.complete(CraftedUpstream.awaitPeerClose(socket, ROUTE_TIMEOUT_MS));
      return false;
    });
    proxy = proxyTo(upstream.uri()).routes("/hold = hold ; timeout-ms=" + ROUTE_TIMEOUT_MS + "\n").start();
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    upstream.close();
  }

  @Test
  void aClientThatClosesItsConnectionWhileTheFunctionRunsAbortsTheCall() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(ProxyHarness.engine() == dev.lambdaproxy.config.ServerOptions.Engine.EVENTLOOP,
        "a servlet container does not read an HTTP/1.1 connection while its request is handled");
    long left;
    try (Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.uri("/").getPort())) {
      OutputStream out = client.getOutputStream();
      out.write("GET /hold HTTP/1.1\r\nHost: proxy.test\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      awaitCall();
      left = System.nanoTime();
    }
    // Bounded well below the route's timeout: only the client's leaving explains a close this early.
    assertTrue(upstreamClosedByProxy.get(10, TimeUnit.SECONDS), "the proxy kept the call open after its client left");
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - left);
    assertTrue(tookMs < ROUTE_TIMEOUT_MS / 3, "the call was closed " + tookMs + " ms after the client left");
    assertEquals(1, upstream.requestCount(), "nothing is retried for a client that left");
  }

  private void awaitCall() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (upstream.requestCount() == 0) {
      assertTrue(System.nanoTime() < deadline, "the call never reached the function");
      Thread.sleep(10); // polling a condition, bounded by the deadline above
    }
  }
}

package dev.lambdaproxy.reliability;

import static dev.lambdaproxy.reliability.Fixtures.KEY;
import static dev.lambdaproxy.reliability.Fixtures.SECRET;
import static dev.lambdaproxy.reliability.Fixtures.millisSince;
import static dev.lambdaproxy.reliability.Fixtures.proxyTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lambdaproxy.testing.FakeLambda;
import dev.lambdaproxy.testing.Handlers;
import dev.lambdaproxy.testing.ProxyHarness;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Clients that send slowly or leave: they cost a connection, never a server thread, and a client
 * that resets its stream takes its upstream call with it. (Silence: {@link IdleTimeoutTest}.)
 */
class SlowClientsTest {

  /** Jetty's HTTP/1.1 parsing is non-blocking, so a trickling client holds no thread; 100 of them prove it. */
  private static final int TRICKLERS = 100;

  private static FakeLambda lambda;
  private static ProxyHarness proxy;

  @BeforeAll
  static void start() throws Exception {
    lambda = FakeLambda.builder().credentials(KEY, SECRET).function("echo", Handlers.echo()).start();
    proxy = ProxyHarness.builder().lambda(lambda, KEY, SECRET)
        .routes("/echo = echo\n").start();
  }

  @AfterAll
  static void stop() throws Exception {
    proxy.close();
    lambda.close();
  }

  @Test
  void clientsTricklingHeadersOrBodiesHoldNoServerThreads() throws Exception {
    assertEquals(200, proxy.get("/echo").statusCode(), "warm");
    lambda.reset();
    String headers = "GET /echo HTTP/1.1\r\nHost: proxy.test\r\nX-Slow: " + "s".repeat(64) + "\r\n";
    String body = "POST /echo HTTP/1.1\r\nHost: proxy.test\r\nContent-Type: application/json\r\nContent-Length: 64\r\n\r\n{\"slow\":\"";
    List<Socket> sockets = new ArrayList<>();
    AtomicReference<IOException> cut = new AtomicReference<>();
    Thread trickler = new Thread(() -> {
      // One byte to every connection every 500 ms: none is silent long enough for the idle timeout.
      for (int round = 0; round < 8 && cut.get() == null; round++) {
        for (int i = 0; i < sockets.size(); i++) {
          try {
            OutputStream out = sockets.get(i).getOutputStream();
            out.write(i % 2 == 0 ? headers.charAt(round) : 'x');
            out.flush();
          } catch (IOException e) {
            cut.compareAndSet(null, e);
          }
        }
        Fixtures.sleep(500);
      }
    }, "trickler");
    try {
      for (int i = 0; i < TRICKLERS; i++) {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.server().port());
        sockets.add(socket);
        // Half send a head byte by byte (slowloris); the other half a whole head, then the body byte by byte.
        if (i % 2 == 1) {
          socket.getOutputStream().write(body.getBytes(StandardCharsets.US_ASCII));
        }
      }
      trickler.start();
      for (int i = 0; i < 6; i++) {
        long asked = System.nanoTime();
        HttpResponse<String> fast = proxy.get("/echo");
        assertEquals(200, fast.statusCode());
        assertTrue(millisSince(asked) < 3_000, "answered while " + TRICKLERS + " clients trickle: " + millisSince(asked) + " ms");
        Fixtures.sleep(300);
      }
      int held = Fixtures.proxyThreadsInsideRequests();
      assertTrue(held < 10, TRICKLERS + " trickling clients must not hold a thread each; " + held + " threads are inside requests"
          + " (pool: " + Fixtures.proxyServerThreads() + ")");
      trickler.join(10_000);
      assertEquals(null, cut.get(), "a client sending a byte every 500 ms is not idle");
      assertEquals(6, lambda.requestCount(), "no trickled request was forwarded half-read");
    } finally {
      trickler.join(10_000);
      for (Socket socket : sockets) {
        socket.close();
      }
    }
  }

  @Test
  void aClientThatResetsItsStreamTakesItsUpstreamCallWithIt() throws Exception {
    BlockingQueue<Socket> held = new LinkedBlockingQueue<>();
    try (CraftedUpstream holding = new CraftedUpstream((socket, out, head) -> {
          held.add(socket);
          Thread.sleep(20_000); // never answers while the test runs
          return false;
        });
        ProxyHarness toHolding = proxyTo(holding.uri())
            .routes("/function = f ; timeout-ms=15000\n/endpoint = " + holding.uri() + "/stage ; timeout-ms=15000\n").start()) {
      HttpClient h2 = new HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client(new ClientConnector())));
      h2.start();
      try {
        for (String path : new String[] {"/function", "/endpoint"}) {
          Request call = h2.newRequest(toHolding.uri(path)).timeout(30, TimeUnit.SECONDS);
          call.send(result -> { });
          Socket upstream = held.poll(5, TimeUnit.SECONDS);
          assertNotNull(upstream, path + ": the call reached the endpoint");
          long left = System.nanoTime();
          call.abort(new Exception("the user closed the tab")); // RST_STREAM
          assertTrue(CraftedUpstream.awaitPeerClose(upstream, 3_000),
              path + ": the proxy must drop the upstream call of a client that left, not wait 15 s for it");
          assertTrue(millisSince(left) < 3_000);
        }
      } finally {
        h2.stop();
      }
    }
  }

  @Test
  void anHttp11ClientThatLeavesIsNoticedAtTheRouteTimeoutAtTheLatest() throws Exception {
    // On HTTP/1.1 Jetty does not read a connection while its request is being answered, so a client's
    // FIN is not seen until something is written; the route timeout bounds how long the call is kept.
    BlockingQueue<Socket> held = new LinkedBlockingQueue<>();
    try (CraftedUpstream holding = new CraftedUpstream((socket, out, head) -> {
          held.add(socket);
          Thread.sleep(20_000);
          return false;
        });
        ProxyHarness toHolding = proxyTo(holding.uri()).routes("/function = f ; timeout-ms=1500\n").start()) {
      try (Socket client = new Socket(InetAddress.getLoopbackAddress(), toHolding.server().port())) {
        client.getOutputStream().write("GET /function HTTP/1.1\r\nHost: proxy.test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        client.getOutputStream().flush();
        Socket upstream = held.poll(5, TimeUnit.SECONDS);
        assertNotNull(upstream);
        client.close();
        long left = System.nanoTime();
        assertTrue(CraftedUpstream.awaitPeerClose(upstream, 5_000), "the upstream call ended by the 1.5 s route timeout");
        assertTrue(millisSince(left) < 4_000, millisSince(left) + " ms");
      }
    }
  }
}

package dev.lambdaproxy.reliability;

import static dev.lambdaproxy.reliability.Fixtures.KEY;
import static dev.lambdaproxy.reliability.Fixtures.SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import dev.lambdaproxy.config.ServerOptions;
import dev.lambdaproxy.testing.FakeLambda;
import dev.lambdaproxy.testing.Handlers;
import dev.lambdaproxy.testing.ProxyHarness;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The first request finds no credentials cached and the credentials endpoint is slow (an
 * instance's metadata service, STS): that request waits for them, off the event loops, and
 * every other request on every loop is answered meanwhile. With the load on a loop's thread, the
 * requests that loop serves would wait for the endpoint too.
 */
class ColdCredentialsTest {

  @Test
  void aSlowFirstCredentialsLoadHoldsOnlyTheRequestsThatNeedIt() throws Exception {
    Assumptions.assumeTrue(ProxyHarness.engine() == ServerOptions.Engine.EVENTLOOP,
        "a servlet engine's request threads may block; the event loops may not");
    CountDownLatch release = new CountDownLatch(1);
    HttpServer credentialsEndpoint = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    credentialsEndpoint.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    credentialsEndpoint.createContext("/creds", exchange -> {
      try {
        release.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      byte[] body = ("{\"AccessKeyId\":\"" + KEY + "\",\"SecretAccessKey\":\"" + SECRET + "\",\"Token\":\"cold-token\","
          + "\"Expiration\":\"" + Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS) + "\"}")
          .getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    credentialsEndpoint.start();
    try (FakeLambda lambda = FakeLambda.builder().credentials(KEY, SECRET, "cold-token").function("echo", Handlers.echo()).start();
        ProxyHarness proxy = ProxyHarness.builder()
            .env("AWS_ENDPOINT_URL_LAMBDA", lambda.uri().toString())
            .env("AWS_REGION", lambda.region())
            .env("AWS_CONTAINER_CREDENTIALS_FULL_URI",
                "http://127.0.0.1:" + credentialsEndpoint.getAddress().getPort() + "/creds")
            .routes("/echo = echo ; timeout-ms=20000\n")
            .start()) {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      CompletableFuture<HttpResponse<String>> signed = client.sendAsync(
          HttpRequest.newBuilder(proxy.uri("/echo")).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      // While the load hangs: requests on fresh connections, spread over every loop, are answered.
      List<HttpResponse<String>> others = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        HttpClient fresh = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        others.add(fresh.send(HttpRequest.newBuilder(proxy.uri("/unrouted-" + i)).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString()));
      }
      for (HttpResponse<String> other : others) {
        assertEquals(404, other.statusCode(), other.body());
      }
      assertEquals(false, signed.isDone(), "the signed request waits for its credentials");
      release.countDown();
      HttpResponse<String> served = signed.get(20, TimeUnit.SECONDS);
      assertEquals(200, served.statusCode(), served.body());
      assertEquals(KEY, lambda.lastInvocation().accessKeyId());
    } finally {
      release.countDown();
      credentialsEndpoint.stop(0);
    }
  }
}

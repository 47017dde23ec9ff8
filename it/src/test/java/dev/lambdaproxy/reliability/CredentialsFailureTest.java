package dev.lambdaproxy.reliability;

import static dev.lambdaproxy.reliability.Fixtures.KEY;
import static dev.lambdaproxy.reliability.Fixtures.SECRET;
import static dev.lambdaproxy.reliability.Fixtures.json;
import static dev.lambdaproxy.reliability.Fixtures.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lambdaproxy.credentials.AwsCredentials;
import dev.lambdaproxy.credentials.CredentialsUnavailableException;
import dev.lambdaproxy.testing.FakeLambda;
import dev.lambdaproxy.testing.Handlers;
import dev.lambdaproxy.testing.ProxyHarness;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The credentials source fails (an IMDS or container endpoint down, a refresh that throws): routed
 * requests get a clear 5xx, nothing unsigned goes to AWS, readiness says why, and the first request
 * after the source recovers is signed and served.
 */
class CredentialsFailureTest {

  /** What the provider does now: throw this, or (null) answer the test's key pair. */
  private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

  private AwsCredentials resolve() {
    RuntimeException now = failure.get();
    if (now != null) {
      throw now;
    }
    return AwsCredentials.of(KEY, SECRET);
  }

  @Test
  void unavailableCredentialsAreA500NamingWhyAndTheNextRequestAfterRecoveryIsServed() throws Exception {
    try (FakeLambda lambda = FakeLambda.builder().credentials(KEY, SECRET).function("echo", Handlers.echo()).start();
        ProxyHarness proxy = ProxyHarness.builder().lambda(lambda, KEY, SECRET).admin().credentials(this::resolve)
            .routes("/echo = echo\n").start()) {
      assertEquals(200, proxy.get("/echo").statusCode());

      failure.set(new CredentialsUnavailableException("the container credentials endpoint http://169.254.170.2 did not answer"));
      HttpResponse<String> failing = proxy.get("/echo");
      assertEquals(500, failing.statusCode(), failing.body());
      assertEquals("no AWS credentials: the container credentials endpoint http://169.254.170.2 did not answer", message(failing));
      assertEquals(404, proxy.get("/nope").statusCode(), "unrouted paths are not affected");
      HttpResponse<String> ready = proxy.send(HttpRequest.newBuilder(proxy.adminUri("/readyz")));
      assertEquals(503, ready.statusCode());
      assertTrue(json(ready.body()).path("reason").asText().contains("did not answer"), ready.body());
      assertEquals(1, lambda.requestCount(), "nothing unsigned went to AWS");

      failure.set(null);
      HttpResponse<String> recovered = proxy.get("/echo");
      assertEquals(200, recovered.statusCode(), "the first request after recovery is served: " + recovered.body());
      assertEquals(KEY, lambda.lastInvocation().accessKeyId());
      assertEquals(200, proxy.send(HttpRequest.newBuilder(proxy.adminUri("/readyz"))).statusCode());
    }
  }

  @Test
  void aProviderThatBreaksUnexpectedlyIsStillAJson500AndLeavesNothingInFlight() throws Exception {
    try (FakeLambda lambda = FakeLambda.builder().credentials(KEY, SECRET).function("echo", Handlers.echo()).start();
        ProxyHarness proxy = ProxyHarness.builder().lambda(lambda, KEY, SECRET).admin().credentials(this::resolve)
            .routes("/echo = echo\n").start()) {
      failure.set(new IllegalStateException("refresh failed: HTTP 500 from the token service"));
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> broken = proxy.get("/echo");
        assertEquals(500, broken.statusCode(), broken.body());
        assertTrue(broken.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
            "every error body is JSON: " + broken.headers().map() + " " + broken.body());
        assertTrue(message(broken).contains("credentials"), broken.body());
      }
      failure.set(null);
      assertEquals(200, proxy.get("/echo").statusCode());
      String metrics = proxy.send(HttpRequest.newBuilder(proxy.adminUri("/metrics"))).body();
      assertEquals(0.0, SlowFunctionTest.gauge(metrics, "lambda_proxy_in_flight_requests", ""), "a failed request is not left in flight");
    }
  }
}

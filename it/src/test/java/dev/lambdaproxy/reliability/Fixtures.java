package dev.lambdaproxy.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lambdaproxy.testing.ProxyHarness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;

/** What the reliability tests share: the key pair, a proxy pointed at any endpoint, JSON and clocks. */
final class Fixtures {

  static final String KEY = "AKIDRELIABILITY";
  static final String SECRET = "reliability/SECRET/wJalrXUtnFEMI+K7MDENGbPxRfiCY";
  static final String REGION = "us-east-1";

  private static final ObjectMapper JSON = new ObjectMapper();

  private Fixtures() {}

  /** A proxy whose Lambda endpoint is {@code endpoint} (a FakeLambda, a relay, or a crafted upstream). */
  static ProxyHarness.Builder proxyTo(URI endpoint) {
    return ProxyHarness.builder()
        .env("AWS_ENDPOINT_URL_LAMBDA", endpoint.toString())
        .env("AWS_REGION", REGION)
        .env("AWS_ACCESS_KEY_ID", KEY)
        .env("AWS_SECRET_ACCESS_KEY", SECRET);
  }

  static JsonNode json(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + body, e);
    }
  }

  /** The {@code message} of a JSON error body. */
  static String message(HttpResponse<String> response) {
    return json(response.body()).path("message").asText();
  }

  static long millisSince(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
  }

  /** Live threads whose name starts with {@code prefix}: Jetty names its pool's threads so. */
  static int liveThreads(String prefix) {
    int count = 0;
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.isAlive() && thread.getName().startsWith(prefix)) {
        count++;
      }
    }
    return count;
  }

  /** Threads of the proxy's server pool, not its admin port's. */
  static int proxyServerThreads() {
    return liveThreads("lambda-proxy-") - liveThreads("lambda-proxy-admin");
  }

  /**
   * Server threads inside a request right now (in the servlet or the proxy's code): what a blocking
   * design would tie up per slow client. Idle pool threads, selectors and the acceptor do not count.
   */
  static int proxyThreadsInsideRequests() {
    int count = 0;
    for (var entry : Thread.getAllStackTraces().entrySet()) {
      String name = entry.getKey().getName();
      if (!name.startsWith("lambda-proxy-") || name.startsWith("lambda-proxy-admin")) {
        continue;
      }
      for (StackTraceElement frame : entry.getValue()) {
        if (frame.getClassName().startsWith("org.eclipse.jetty.ee10.servlet.ServletChannel")
            || frame.getClassName().startsWith("dev.lambdaproxy.")) {
          count++;
          break;
        }
      }
    }
    return count;
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

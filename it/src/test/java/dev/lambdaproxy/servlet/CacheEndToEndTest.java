package dev.lambdaproxy.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lambdaproxy.credentials.AwsCredentials;
import dev.lambdaproxy.credentials.CredentialsProvider;
import dev.lambdaproxy.credentials.CredentialsUnavailableException;
import dev.lambdaproxy.testing.FakeLambda;
import dev.lambdaproxy.testing.LambdaReply;
import dev.lambdaproxy.testing.ProxyHarness;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The response cache in front of real invocations: hits cost no call, misses coalesce, stale copies cover failures. */
class CacheEndToEndTest {

  private static final String KEY = "AKIDCACHETEST";
  private static final String SECRET = "cache/test+SECRET/k2Lq";

  private static FakeLambda lambda;
  private static ProxyHarness proxy;
  private static final AtomicInteger counter = new AtomicInteger();
  private static final AtomicBoolean failing = new AtomicBoolean();

  @BeforeAll
  static void start() throws Exception {
    lambda = FakeLambda.builder().credentials(KEY, SECRET)
        .function("counter", invocation -> LambdaReply.json("\"call " + counter.incrementAndGet() + "\""))
        .function("nostore", invocation -> LambdaReply.json("{\"statusCode\":200,\"headers\":{\"Cache-Control\":\"no-store\"},"
            + "\"body\":\"call " + counter.incrementAndGet() + "\"}"))
        .function("slow", invocation -> LambdaReply.delayed(Duration.ofMillis(400), LambdaReply.json("\"slow " + counter.incrementAndGet() + "\"")))
        .function("flaky", invocation -> failing.get()
            ? LambdaReply.functionError("Unhandled", "Error", "down")
            : LambdaReply.json("\"flaky " + counter.incrementAndGet() + "\""))
        .start();
    proxy = ProxyHarness.builder().lambda(lambda, KEY, SECRET).admin()
        .routes("""
            /counter = counter ; cache=30s
            /nostore = nostore ; cache=30s
            /slow = slow ; cache=30s
            /flaky = flaky ; cache=1s ; stale-if-error=60s
            /honest = counter ; cache=30s ; client-no-cache=honor
            """)
        .start();
  }

  @AfterAll
  static void stop() throws Exception {
    proxy.close();
    lambda.close();
  }

  @BeforeEach
  void emptyTheCache() {
    proxy.send(HttpRequest.newBuilder(proxy.adminUri("/*")).method("PURGE", HttpRequest.BodyPublishers.noBody()));
    lambda.reset();
    failing.set(false);
  }

  @Test
  void aSecondGetIsAHitThatCostsNoInvocation() {
    HttpResponse<String> first = proxy.get("/counter?b=2&a=1");
    HttpResponse<String> second = proxy.get("/counter?a=1&b=2");
    assertEquals("MISS", first.headers().firstValue("X-Cache").orElseThrow());
    assertEquals("HIT", second.headers().firstValue("X-Cache").orElseThrow());
    assertEquals(first.body(), second.body());
    assertTrue(second.headers().firstValue("Age").isPresent());
    assertEquals(1, lambda.invocations().size(), "one invocation for both, the query sorted into one key");
    assertEquals(200, proxy.send(HttpRequest.newBuilder(proxy.uri("/counter?a=1&b=2")).method("HEAD", HttpRequest.BodyPublishers.noBody()))
        .statusCode());
    assertEquals(1, lambda.invocations().size(), "HEAD shares GET's entry");
  }

  @Test
  void aFunctionThatSaysNoStoreIsNeverCached() {
    proxy.get("/nostore");
    HttpResponse<String> again = proxy.get("/nostore");
    assertEquals("MISS", again.headers().firstValue("X-Cache").orElseThrow());
    assertEquals(2, lambda.invocations().size());
  }

  @Test
  void concurrentMissesCauseOneInvocation() throws Exception {
    List<CompletableFuture<String>> answers = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      answers.add(CompletableFuture.supplyAsync(() -> proxy.get("/slow").body()));
    }
    String first = answers.get(0).get();
    for (CompletableFuture<String> answer : answers) {
      assertEquals(first, answer.get());
    }
    assertEquals(1, lambda.invocations().size(), "the misses waited for one call");
  }

  @Test
  void aStaleCopyCoversAFailingFunction() throws Exception {
    String fresh = proxy.get("/flaky").body();
    Thread.sleep(1_300); // the 1 s freshness has passed; the copy is stale
    failing.set(true);
    HttpResponse<String> covered = proxy.get("/flaky");
    assertEquals(200, covered.statusCode(), covered.body());
    assertEquals(fresh, covered.body());
    assertEquals("STALE", covered.headers().firstValue("X-Cache").orElseThrow());
  }

  @Test
  void clientsCannotForceAnInvocationUnlessTheRouteAllowsIt() {
    proxy.get("/counter");
    HttpResponse<String> forced = proxy.send(HttpRequest.newBuilder(proxy.uri("/counter")).header("Cache-Control", "no-cache").GET());
    assertEquals("HIT", forced.headers().firstValue("X-Cache").orElseThrow());
    proxy.get("/honest");
    HttpResponse<String> honoured = proxy.send(HttpRequest.newBuilder(proxy.uri("/honest")).header("Cache-Control", "no-cache").GET());
    assertEquals("BYPASS", honoured.headers().firstValue("X-Cache").orElseThrow());
  }

  @Test
  void purgeOnTheAdminPortDropsAPath() {
    proxy.get("/counter");
    HttpResponse<String> purge = proxy.send(HttpRequest.newBuilder(proxy.adminUri("/counter")).method("PURGE", HttpRequest.BodyPublishers.noBody()));
    assertEquals(200, purge.statusCode());
    assertTrue(purge.body().contains("\"purged\":1"), purge.body());
    assertEquals("MISS", proxy.get("/counter").headers().firstValue("X-Cache").orElseThrow());
    String metrics = proxy.send(HttpRequest.newBuilder(proxy.adminUri("/metrics")).GET()).body();
    assertTrue(metrics.contains("lambda_proxy_cache_requests_total{result=\"miss\"}"), metrics);
  }

  @Test
  void otherMethodsAreNeverCached() {
    proxy.post("/counter", "{}");
    proxy.post("/counter", "{}");
    assertEquals(2, lambda.invocations().size());
  }

  @Test
  void aSuccessfulPostOnACachedRouteDropsTheCachedGetOfThatUri() {
    HttpResponse<String> first = proxy.get("/counter?id=7");
    assertEquals("HIT", proxy.get("/counter?id=7").headers().firstValue("X-Cache").orElseThrow());
    HttpResponse<String> write = proxy.post("/counter?id=7", "{\"set\":1}");
    assertEquals(200, write.statusCode(), write.body());
    assertEquals("{\"set\":1}", lambda.lastInvocation().payloadAsString(), "the write reached the function with its body");
    HttpResponse<String> after = proxy.get("/counter?id=7");
    assertEquals("MISS", after.headers().firstValue("X-Cache").orElseThrow(), "RFC 9111 4.4: the write invalidated the GET");
    assertTrue(!after.body().equals(first.body()), "a new call answered: " + after.body());
    assertEquals(3, lambda.invocations().size(), "the first GET, the POST, the GET after it");
  }

  @Test
  void aFailedPostLeavesTheCachedGetInPlace() {
    proxy.get("/flaky?id=1");
    failing.set(true);
    assertEquals(502, proxy.post("/flaky?id=1", "{}").statusCode());
    assertEquals("HIT", proxy.get("/flaky?id=1").headers().firstValue("X-Cache").orElseThrow());
  }

  @Test
  void whileCredentialsAreMissingAFreshCachedAnswerIsServedAndAMissSaysWhatToSet() throws Exception {
    AtomicBoolean missing = new AtomicBoolean();
    CredentialsProvider credentials = () -> {
      if (missing.get()) {
        throw new CredentialsUnavailableException("set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
      }
      return AwsCredentials.of(KEY, SECRET);
    };
    try (ProxyHarness withoutAtTimes = ProxyHarness.builder().lambda(lambda, KEY, SECRET).credentials(credentials)
        .routes("/counter = counter ; cache=30s\n").start()) {
      HttpResponse<String> cached = withoutAtTimes.get("/counter?who=a");
      assertEquals(200, cached.statusCode(), cached.body());
      missing.set(true);
      HttpResponse<String> hit = withoutAtTimes.get("/counter?who=a");
      assertEquals(200, hit.statusCode(), "the cache stage comes before the call is signed: " + hit.body());
      assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow());
      HttpResponse<String> miss = withoutAtTimes.get("/counter?who=b");
      assertEquals(500, miss.statusCode(), miss.body());
      assertTrue(miss.body().contains("no AWS credentials: set AWS_ACCESS_KEY_ID"), miss.body());
      assertEquals(1, lambda.invocations().size(), "nothing unsigned went out");
    }
  }
}

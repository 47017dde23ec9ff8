package dev.lambdaproxy.cache;

import static dev.lambdaproxy.cache.Answers.body;
import static dev.lambdaproxy.cache.Answers.header;
import static dev.lambdaproxy.cache.CacheHarness.ttl;
import static dev.lambdaproxy.cache.Requests.get;
import static dev.lambdaproxy.cache.Requests.head;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lambdaproxy.http.ClientAnswer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Storing, serving, headers, HEAD, client no-cache, size limits, purge and metrics, through {@link ResponseCache#serve}. */
class ResponseCacheTest {

  private final CacheHarness harness = new CacheHarness();

  @AfterEach
  void close() {
    harness.close();
  }

  @Test
  void aStoredAnswerIsServedAsAHitWithItsAgeUntilItsLifetimeEnds() {
    FakeOrigin origin = FakeOrigin.answering(call -> Answers.maxAge("v" + call, 10));
    CachedAnswer first = harness.serve(get("/things/1"), ttl(60), origin);
    assertEquals("MISS", first.cacheStatus());
    assertEquals("MISS", header(first, "X-Cache"));
    assertNull(header(first, "Age"), "a fresh answer from the function has no Age of ours");

    harness.clock.advance(Duration.ofMillis(7_900));
    CachedAnswer hit = harness.serve(get("/things/1"), ttl(60), origin);
    assertEquals("HIT", hit.cacheStatus());
    assertEquals("HIT", header(hit, "X-Cache"));
    assertEquals("7", header(hit, "Age"));
    assertEquals("v1", body(hit));
    assertEquals(1, origin.calls());

    harness.clock.advance(Duration.ofMillis(2_100));
    CachedAnswer expired = harness.serve(get("/things/1"), ttl(60), origin);
    assertEquals("MISS", expired.cacheStatus());
    assertEquals("v2", body(expired));
    assertEquals(2, origin.calls());
  }

  @Test
  void theRouteDefaultLifetimeAppliesWhenTheFunctionSaysNothing() {
    FakeOrigin origin = FakeOrigin.answering(call -> Answers.ok("v" + call).build());
    harness.serve(get("/things/1"), ttl(30), origin);
    harness.clock.advanceSeconds(29);
    assertEquals("HIT", harness.serve(get("/things/1"), ttl(30), origin).cacheStatus());
    harness.clock.advanceSeconds(1);
    assertEquals("MISS", harness.serve(get("/things/1"), ttl(30), origin).cacheStatus());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "Cache-Control: private, max-age=60 | 200",
      "Cache-Control: no-store | 200",
      "Cache-Control: no-cache | 200",
      "Set-Cookie: session=abc | 200",
      "Vary: * | 200",
      "Cache-Control: max-age=0 | 200",
      "Location: /elsewhere | 302",
      "Cache-Control: max-age=60 | 500",
      "Cache-Control: max-age=60 | 201",
  })
  void answersThatMayNotBeStoredGoToTheFunctionEveryTime(String header, int status) {
    int colon = header.indexOf(':');
    ClientAnswer answer = Answers.status(status).body("x").header(header.substring(0, colon), header.substring(colon + 1).strip()).build();
    FakeOrigin origin = FakeOrigin.answering(answer);
    for (int i = 0; i < 3; i++) {
      assertEquals("MISS", harness.serve(get("/things/1"), ttl(60), origin).cacheStatus());
    }
    assertEquals(3, origin.calls());
    assertEquals(0, harness.cache.entryCount());
  }

  @ParameterizedTest(name = "status {0} is stored")
  @CsvSource({"200", "203", "204", "300", "301", "404", "410"})
  void storableStatusesAreServedFromTheStore(int status) {
    FakeOrigin origin = FakeOrigin.answering(Answers.status(status).body("x").build());
    harness.serve(get("/things/1"), ttl(60), origin);
    CachedAnswer again = harness.serve(get("/things/1"), ttl(60), origin);
    assertEquals("HIT", again.cacheStatus());
    assertEquals(status, again.answer().status());
    assertEquals(1, origin.calls());
  }

  @Test
  void theFunctionsCacheControlPassesThroughAndNoneIsInventedForARouteDefault() {
    FakeOrigin withHeader = FakeOrigin.answering(Answers.ok("a").cacheControl("public, max-age=30").header("Expires", "0").build());
    harness.serve(get("/things/a"), ttl(60), withHeader);
    CachedAnswer hit = harness.serve(get("/things/a"), ttl(60), withHeader);
    assertEquals("public, max-age=30", header(hit, "Cache-Control"));
    assertEquals("0", header(hit, "Expires"));

    FakeOrigin silent = FakeOrigin.answering(Answers.ok("b").build());
    CachedAnswer miss = harness.serve(get("/things/b"), ttl(60), silent);
    CachedAnswer silentHit = harness.serve(get("/things/b"), ttl(60), silent);
    assertEquals("HIT", silentHit.cacheStatus());
    assertNull(header(miss, "Cache-Control"));
    assertNull(header(silentHit, "Cache-Control"), "the route's lifetime is the proxy's own, not told downstream");
  }

  @Test
  void ageAddsTheFunctionsOwnAgeAndReplacesIt() {
    FakeOrigin origin = FakeOrigin.answering(Answers.ok("x").cacheControl("max-age=100").header("Age", "30").build());
    CachedAnswer miss = harness.serve(get("/things/1"), ttl(60), origin);
    assertEquals("30", header(miss, "Age"), "a miss passes the function's Age on");
    harness.clock.advanceSeconds(5);
    CachedAnswer hit = harness.serve(get("/things/1"), ttl(60), origin);
    assertEquals("35", header(hit, "Age"));
    assertEquals(1, Answers.count(hit, "Age"));
    harness.clock.advanceSeconds(65);
    assertEquals("MISS", harness.serve(get("/things/1"), ttl(60), origin).cacheStatus(), "30 + 70 seconds is past max-age=100");
  }

  @Test
  void theFunctionsXCacheIsReplacedByOurs() {
    FakeOrigin origin = FakeOrigin.answering(Answers.ok("x").header("X-Cache", "HIT from elsewhere").build());
    CachedAnswer miss = harness.serve(get("/things/1"), ttl(60), origin);
    assertEquals("MISS", header(miss, "X-Cache"));
    CachedAnswer hit = harness.serve(get("/things/1"), ttl(60), origin);
    assertEquals("HIT", header(hit, "X-Cache"));
    assertEquals(1, Answers.count(hit, "X-Cache"));
  }

  @Test
  void theRestOfTheAnswerIsKeptAsTheFunctionGaveIt() {
    ClientAnswer answer = Answers.status(404).body("{\"gone\":true}").contentType("application/json")
        .header("ETag", "\"v1\"").header("Link", "</a>").header("Link", "</b>").build();
    FakeOrigin origin = FakeOrigin.answering(answer);
    harness.serve(get("/things/1"), ttl(60), origin);
    ClientAnswer hit = harness.serve(get("/things/1"), ttl(60), origin).answer();
    assertEquals(404, hit.status());
    assertEquals("application/json", hit.contentType());
    assertEquals("{\"gone\":true}", new String(hit.body(), java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(List.of(new ClientAnswer.Header("ETag", "\"v1\""), new ClientAnswer.Header("Link", "</a>"),
        new ClientAnswer.Header("Link", "</b>"), new ClientAnswer.Header("Age", "0"), new ClientAnswer.Header("X-Cache", "HIT")),
        hit.headers());
  }

  @Test
  void headIsAnsweredFromTheGetsEntry() {
    FakeOrigin origin = FakeOrigin.answering(call -> Answers.ok("v" + call).build());
    harness.serve(get("/things/1"), ttl(60), origin);
    CachedAnswer head = harness.serve(head("/things/1"), ttl(60), origin);
    assertEquals("HIT", head.cacheStatus());
    assertEquals("v1", body(head), "the servlet drops a HEAD's body; its length is the GET's");
    assertEquals(1, origin.calls());
  }

  @Test
  void aHeadThatMissesCallsTheFunctionButIsNotStored() {
    FakeOrigin origin = FakeOrigin.answering(call -> Answers.ok(call == 1 ? "" : "full body").build());
    assertEquals("MISS", harness.serve(head("/things/1"), ttl(60), origin).cacheStatus());
    CachedAnswer get = harness.serve(get("/things/1"), ttl(60), origin);
    assertEquals("MISS", get.cacheStatus(), "the HEAD's answer (maybe bodiless) was not stored");
    assertEquals("full body", body(get));
    assertEquals("HIT", harness.serve(head("/things/1"), ttl(60), origin).cacheStatus());
    assertEquals(2, origin.calls());
  }

  @Test
  void theQueryIsPartOfTheKeyInAnyParameterOrder() {
    FakeOrigin origin = FakeOrigin.answering(call -> Answers.ok("v" + call).build());
    harness.serve(get("/things/1?b=2&a=1"), ttl(60), origin);
    assertEquals("HIT", harness.serve(get("/things/1?a=1&b=2"), ttl(60), origin).cacheStatus());
    assertEquals("MISS", harness.serve(get("/things/1?a=1&b=3"), ttl(60), origin).cacheStatus());
    assertEquals("MISS", harness.serve(get("/things/1"), ttl(60), origin).cacheStatus());
    assertEquals(3, origin.calls());
  }

  @Test
  void twoRoutesNeverShareAnEntry() {
    FakeOrigin origin = FakeOrigin.answering(call -> Answers.ok("v" + call).build());
    harness.serve(get("/things/1").route("/things/*"), ttl(60), origin);
    assertEquals("MISS", harness.serve(get("/things/1").route("/things/{id}"), ttl(60), origin).cacheStatus());
  }

  @Test
  void aClientsNoCacheIsIgnoredByDefault() {
    FakeOrigin origin = FakeOrigin.answering(call -> Answers.ok("v" + call).build());
    harness.serve(get("/things/1"), ttl(60), origin);
    assertEquals("HIT", harness.serve(get("/things/1").header("Cache-Control", "no-cache"), ttl(60), origin).cacheStatus());
    assertEquals("HIT", harness.serve(get("/things/1").header("Pragma", "no-cache"), ttl(60), origin).cacheStatus());
    assertEquals(1, origin.calls());
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
      "Cache-Control, no-cache",
      "Cache-Control, max-age=0",
      "Pragma, no-cache",
  })
  void aClientsNoCacheGoesToTheFunctionWhenTheRouteHonorsItAndRefreshesTheStore(String name, String value) {
    CachePolicy honor = new CachePolicy(Duration.ofSeconds(60), Duration.ZERO, Duration.ZERO, List.of(), true);
    FakeOrigin origin = FakeOrigin.answering(call -> Answers.ok("v" + call).build());
    harness.serve(get("/things/1"), honor, origin);
    CachedAnswer bypass = harness.serve(get("/things/1").header(name, value), honor, origin);
    assertEquals("BYPASS", bypass.cacheStatus());
    assertEquals("BYPASS", header(bypass, "X-Cache"));
    assertEquals("v2", body(bypass));
    CachedAnswer after = harness.serve(get("/things/1"), honor, origin);
    assertEquals("HIT", after.cacheStatus());
    assertEquals("v2", body(after), "the fresh answer replaced the stored one");
  }

  @Test
  void pragmaCountsOnlyWithoutCacheControl() {
    assertTrue(CacheRequest.of("/r", "GET", "/a", null, java.util.Map.of("pragma", "no-cache")::get).clientNoCache());
    assertEquals(false, CacheRequest.of("/r", "GET", "/a", null,
        java.util.Map.of("pragma", "no-cache", "cache-control", "max-age=60")::get).clientNoCache());
  }

  @Test
  void otherMethodsPassThroughAndASuccessfulUnsafeOneDropsItsPath() {
    FakeOrigin origin = FakeOrigin.answering(call -> Answers.ok("v" + call).build());
    harness.serve(get("/things/1?a=1"), ttl(60), origin);
    harness.serve(get("/things/2"), ttl(60), origin);

    FakeOrigin refusing = FakeOrigin.answering(Answers.status(409).body("conflict").build());
    assertEquals("BYPASS", harness.serve(Requests.method("PUT", "/things/1"), ttl(60), refusing).cacheStatus());
    assertEquals("HIT", harness.serve(get("/things/1?a=1"), ttl(60), origin).cacheStatus(), "a failed PUT changed nothing");

    CachedAnswer post = harness.serve(Requests.method("POST", "/things/1"), ttl(60), origin);
    assertEquals("BYPASS", post.cacheStatus());
    assertEquals("MISS", harness.serve(get("/things/1?a=1"), ttl(60), origin).cacheStatus());
    assertEquals("HIT", harness.serve(get("/things/2"), ttl(60), origin).cacheStatus());
    assertEquals("BYPASS", harness.serve(Requests.method("OPTIONS", "/things/2"), ttl(60), origin).cacheStatus());
    assertEquals("HIT", harness.serve(get("/things/2"), ttl(60), origin).cacheStatus(), "OPTIONS is safe");
  }

  @Test
  void anAnswerOverTheEntryLimitIsServedButNotStored() {
    try (CacheHarness small = new CacheHarness(1 << 20, 4096)) {
      FakeOrigin big = FakeOrigin.answering(Answers.ok("x".repeat(5000)).build());
      assertEquals("MISS", small.serve(get("/things/big"), ttl(60), big).cacheStatus());
      assertEquals("MISS", small.serve(get("/things/big"), ttl(60), big).cacheStatus());
      assertEquals(2, big.calls());
      FakeOrigin fits = FakeOrigin.answering(Answers.ok("x".repeat(3000)).build());
      small.serve(get("/things/small"), ttl(60), fits);
      assertEquals("HIT", small.serve(get("/things/small"), ttl(60), fits).cacheStatus());
      assertEquals(1, small.cache.entryCount());
    }
  }

  @Test
  void memoryStaysWithinTheBoundUnderChurn() {
    long maxBytes = 256 << 10;
    try (CacheHarness bounded = new CacheHarness(maxBytes, 16 << 10)) {
      FakeOrigin origin = FakeOrigin.answering(Answers.ok("y".repeat(2000)).header("Content-Language", "en").build());
      long stored = 0;
      int path = 0;
      while (stored < 10 * maxBytes) {
        bounded.serve(get("/things/" + path++), ttl(600), origin);
        stored += 2000;
        if (path % 100 == 0) {
          bounded.cache.cleanUp();
          assertTrue(bounded.cache.sizeBytes() <= maxBytes, "at " + path + ": " + bounded.cache.sizeBytes());
        }
      }
      bounded.cache.cleanUp();
      assertTrue(bounded.cache.sizeBytes() <= maxBytes, "size " + bounded.cache.sizeBytes());
      assertTrue(bounded.cache.sizeBytes() > maxBytes / 2, "the cache is used, not emptied: " + bounded.cache.sizeBytes());
      long entries = bounded.cache.entryCount();
      assertTrue(entries > 0 && entries < path, entries + " of " + path);
      assertEquals(path - entries, bounded.counter("lambda_proxy_cache_evictions", "cause", "size"), 0.0);
    }
  }

  @Test
  void entriesExpireFromTheStoreOnceEveryWindowIsOver() {
    FakeOrigin origin = FakeOrigin.answering(Answers.maxAge("x", 10));
    harness.serve(get("/things/1"), CacheHarness.policy(60, 5, 20), origin);
    harness.clock.advanceSeconds(29);
    harness.cache.cleanUp();
    assertEquals(1, harness.cache.entryCount());
    harness.clock.advanceSeconds(1);
    harness.cache.cleanUp();
    assertEquals(0, harness.cache.entryCount());
    assertEquals(1, harness.counter("lambda_proxy_cache_evictions", "cause", "expired"));
  }

  @Test
  void purgeDropsEveryQueryAndVariantOfAPath() {
    FakeOrigin origin = FakeOrigin.answering(call -> Answers.ok("v" + call).header("Vary", "Accept-Language").build());
    harness.serve(get("/things/1").header("Accept-Language", "en"), ttl(60), origin);
    harness.serve(get("/things/1").header("Accept-Language", "fr"), ttl(60), origin);
    harness.serve(get("/things/1?page=2").header("Accept-Language", "en"), ttl(60), origin);
    harness.serve(get("/things/1").route("/other").header("Accept-Language", "en"), ttl(60), origin);
    harness.serve(get("/things/10").header("Accept-Language", "en"), ttl(60), origin);
    harness.serve(get("/things/1/parts").header("Accept-Language", "en"), ttl(60), origin);
    assertEquals(6, harness.cache.entryCount());

    assertEquals(4, harness.cache.purge("/things/1"));
    assertEquals(2, harness.cache.entryCount());
    assertEquals("MISS", harness.serve(get("/things/1").header("Accept-Language", "en"), ttl(60), origin).cacheStatus());
    assertEquals("HIT", harness.serve(get("/things/10").header("Accept-Language", "en"), ttl(60), origin).cacheStatus());
    assertEquals("HIT", harness.serve(get("/things/1/parts").header("Accept-Language", "en"), ttl(60), origin).cacheStatus());
    assertEquals(0, harness.cache.purge("/nothing/here"));
  }

  @Test
  void purgeOfAPrefixAndOfEverything() {
    FakeOrigin origin = FakeOrigin.answering(call -> Answers.ok("v" + call).build());
    for (String path : List.of("/a", "/a/b", "/a/b/c", "/ab", "/z")) {
      harness.serve(get(path), ttl(60), origin);
    }
    assertEquals(3, harness.cache.purge("/a/*"));
    assertEquals(2, harness.cache.entryCount());
    assertEquals(2, harness.cache.purge("/*"));
    assertEquals(0, harness.cache.entryCount());
    harness.cache.cleanUp();
    assertEquals(0, harness.cache.sizeBytes());
    assertThrows(IllegalArgumentException.class, () -> harness.cache.purge("things"));
  }

  @Test
  void anAnswerInFlightDuringAPurgeIsNotStored() {
    FakeOrigin origin = FakeOrigin.answering(Answers.ok("old").build()).hold();
    CompletableFuture<CachedAnswer> pending = harness.serveAsync(get("/things/1"), ttl(60), origin);
    harness.cache.purge("/things/1");
    origin.release(Answers.ok("old").build());
    assertEquals("old", body(CacheHarness.await(pending)), "the client still gets its answer");
    origin.answerAtOnce(Answers.ok("new").build());
    CachedAnswer after = harness.serve(get("/things/1"), ttl(60), origin);
    assertEquals("MISS", after.cacheStatus());
    assertEquals("new", body(after));
  }

  @Test
  void anAuthorizedRequestsAnswerIsStoredOnlyWhenPublic() {
    FakeOrigin personal = FakeOrigin.answering(call -> Answers.ok("mine " + call).build());
    harness.serve(get("/things/me").header("Authorization", "Bearer a"), ttl(60), personal);
    assertEquals("MISS", harness.serve(get("/things/me").header("Authorization", "Bearer b"), ttl(60), personal).cacheStatus());
    assertEquals("MISS", harness.serve(get("/things/me"), ttl(60), personal).cacheStatus());

    FakeOrigin open = FakeOrigin.answering(Answers.ok("for all").cacheControl("public, max-age=60").build());
    harness.serve(get("/things/open").header("Authorization", "Bearer a"), ttl(60), open);
    assertEquals("HIT", harness.serve(get("/things/open"), ttl(60), open).cacheStatus());
  }

  @Test
  void anAuthorizedRequestsOwnAnswerLeavesTheSharedCopyAlone() {
    CachePolicy honor = new CachePolicy(Duration.ofSeconds(60), Duration.ZERO, Duration.ZERO, List.of(), true);
    FakeOrigin origin = FakeOrigin.answering(call -> Answers.ok("v" + call).build());
    harness.serve(get("/things/1"), honor, origin);
    CachedAnswer own = harness.serve(get("/things/1").header("Authorization", "Bearer a").header("Cache-Control", "no-cache"),
        honor, origin);
    assertEquals("v2", body(own));
    CachedAnswer shared = harness.serve(get("/things/1"), honor, origin);
    assertEquals("HIT", shared.cacheStatus());
    assertEquals("v1", body(shared));
  }

  @Test
  void aFailingOriginWithoutAStaleCopyFailsTheRequest() {
    FakeOrigin origin = FakeOrigin.answering(call -> {
      throw new IllegalStateException("boom");
    });
    CompletableFuture<CachedAnswer> answer = harness.serveAsync(get("/things/1"), ttl(60), origin);
    ExecutionException e = assertThrows(ExecutionException.class, () -> answer.get(5, TimeUnit.SECONDS));
    assertEquals("boom", e.getCause().getMessage());
  }

  @Test
  void metricsCountHitsMissesStaleBypassesEvictionsAndBytes() {
    CachePolicy policy = new CachePolicy(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ZERO, List.of(), true);
    FakeOrigin origin = FakeOrigin.answering(call -> Answers.ok("v" + call).build());
    harness.serve(get("/things/1"), policy, origin);
    harness.serve(get("/things/1"), policy, origin);
    harness.serve(get("/things/1"), policy, origin);
    harness.serve(get("/things/1").header("Cache-Control", "no-cache"), policy, origin);
    harness.clock.advanceSeconds(15);
    harness.serve(get("/things/1"), policy, origin);
    harness.serve(get("/things/2"), policy, origin);

    assertEquals(2, harness.counter("lambda_proxy_cache_requests", "result", "hit"));
    assertEquals(2, harness.counter("lambda_proxy_cache_requests", "result", "miss"));
    assertEquals(1, harness.counter("lambda_proxy_cache_requests", "result", "stale"));
    assertEquals(1, harness.counter("lambda_proxy_cache_requests", "result", "bypass"));
    assertEquals(1, harness.counter("lambda_proxy_cache_refreshes"));
    assertEquals(2, harness.gauge("lambda_proxy_cache_entries"));
    assertEquals(harness.cache.sizeBytes(), harness.gauge("lambda_proxy_cache_bytes"));
    assertTrue(harness.cache.sizeBytes() > 0);

    harness.clock.advanceSeconds(60);
    harness.cache.cleanUp();
    assertEquals(2, harness.counter("lambda_proxy_cache_evictions", "cause", "expired"));
    assertEquals(0, harness.gauge("lambda_proxy_cache_bytes"));
  }

  @Test
  void closingDropsEverythingUnregistersTheMetersAndPassesRequestsThrough() {
    CacheHarness closing = new CacheHarness();
    FakeOrigin origin = FakeOrigin.answering(Answers.ok("x").build());
    closing.serve(get("/things/1"), ttl(60), origin);
    closing.close();
    assertNull(closing.registry.find("lambda_proxy_cache_bytes").gauge());
    assertNull(closing.registry.find("lambda_proxy_cache_requests").counter());
    assertEquals(0, closing.cache.entryCount());
    assertEquals("BYPASS", closing.serve(get("/things/1"), ttl(60), origin).cacheStatus());
    assertEquals(2, origin.calls());
    try (ResponseCache next = new ResponseCache(1 << 20, 1 << 16, closing.clock, Runnable::run, closing.registry)) {
      next.serve(get("/things/1").build(), ttl(60), origin).join();
      assertEquals(1, closing.gauge("lambda_proxy_cache_entries"), "the new cache's gauge, not the closed one's");
      assertEquals(1, closing.counter("lambda_proxy_cache_requests", "result", "miss"));
    }
  }
}

package dev.lambdaproxy.cache;

import static dev.lambdaproxy.cache.Answers.body;
import static dev.lambdaproxy.cache.CacheHarness.await;
import static dev.lambdaproxy.cache.CacheHarness.policy;
import static dev.lambdaproxy.cache.CacheHarness.ttl;
import static dev.lambdaproxy.cache.Requests.get;
import static dev.lambdaproxy.cache.Requests.head;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lambdaproxy.http.ClientAnswer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Requests that miss together make one call; what its answer means for those who waited. */
class CoalescingTest {

  private static final int CLIENTS = 50;

  private final CacheHarness harness = new CacheHarness();

  @AfterEach
  void close() {
    harness.close();
  }

  /** Starts {@code n} requests at once from as many threads; returns once every serve() call has returned. */
  private List<CompletableFuture<CachedAnswer>> concurrently(int n, IntFunction<CompletableFuture<CachedAnswer>> request)
      throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<CompletableFuture<CachedAnswer>>> started = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int client = i;
        started.add(threads.submit(() -> {
          start.await();
          return request.apply(client);
        }));
      }
      start.countDown();
      List<CompletableFuture<CachedAnswer>> answers = new ArrayList<>();
      for (Future<CompletableFuture<CachedAnswer>> future : started) {
        answers.add(future.get(5, TimeUnit.SECONDS));
      }
      return answers;
    } finally {
      threads.shutdownNow();
    }
  }

  private List<CompletableFuture<CachedAnswer>> fiftyGets(CachePolicy policy, FakeOrigin origin) throws Exception {
    return concurrently(CLIENTS, client -> harness.serveAsync(get("/things/1"), policy, origin));
  }

  @Test
  void fiftyConcurrentMissesMakeOneCallAndAllGetItsAnswer() throws Exception {
    FakeOrigin origin = FakeOrigin.answering(Answers.ok("x").build()).hold();
    List<CompletableFuture<CachedAnswer>> answers = fiftyGets(ttl(60), origin);
    assertEquals(1, origin.calls());
    assertTrue(answers.stream().noneMatch(CompletableFuture::isDone));

    origin.release(Answers.ok("the answer").build());
    for (CompletableFuture<CachedAnswer> answer : answers) {
      CachedAnswer served = await(answer);
      assertEquals("MISS", served.cacheStatus());
      assertEquals("the answer", body(served));
    }
    assertEquals(1, origin.calls());
    assertEquals(CLIENTS - 1, harness.counter("lambda_proxy_cache_coalesced"));
    assertEquals(CLIENTS, harness.counter("lambda_proxy_cache_requests", "result", "miss"));
    assertEquals("HIT", harness.serve(get("/things/1"), ttl(60), origin).cacheStatus());
  }

  @Test
  void aFailedCallFailsEveryWaiterWithTheSameAnswer() throws Exception {
    FakeOrigin origin = FakeOrigin.answering(Answers.ok("x").build()).hold();
    List<CompletableFuture<CachedAnswer>> answers = fiftyGets(ttl(60), origin);
    origin.release(Answers.timeout());
    for (CompletableFuture<CachedAnswer> answer : answers) {
      ClientAnswer served = await(answer).answer();
      assertEquals(504, served.status());
      assertEquals("timeout", served.errorKind());
    }
    assertEquals(1, origin.calls());
  }

  @Test
  void aThrowingCallFailsEveryWaiterWithTheSameException() throws Exception {
    FakeOrigin origin = FakeOrigin.answering(Answers.ok("x").build()).hold();
    List<CompletableFuture<CachedAnswer>> answers = fiftyGets(ttl(60), origin);
    IllegalStateException failure = new IllegalStateException("client closed");
    origin.fail(failure);
    for (CompletableFuture<CachedAnswer> answer : answers) {
      ExecutionException e = assertThrows(ExecutionException.class, () -> answer.get(5, TimeUnit.SECONDS));
      assertSame(failure, e.getCause());
    }
    assertEquals(1, origin.calls());
  }

  @Test
  void withinStaleIfErrorEveryWaiterOfAFailedCallGetsTheStaleCopy() throws Exception {
    FakeOrigin origin = FakeOrigin.answering(Answers.ok("good").build());
    CachePolicy sie = policy(10, 0, 60);
    harness.serve(get("/things/1"), sie, origin);
    harness.clock.advanceSeconds(20);
    origin.hold();
    List<CompletableFuture<CachedAnswer>> answers = fiftyGets(sie, origin);
    assertEquals(2, origin.calls());
    origin.release(Answers.functionError());
    for (CompletableFuture<CachedAnswer> answer : answers) {
      CachedAnswer served = await(answer);
      assertEquals("STALE", served.cacheStatus());
      assertEquals("good", body(served));
    }
    assertEquals(CLIENTS, harness.counter("lambda_proxy_cache_requests", "result", "stale"));
  }

  @Test
  void aPrivateAnswerGoesToNobodyElseAndLaterRequestsDoNotQueue() throws Exception {
    FakeOrigin origin = FakeOrigin.answering(Answers.ok("x").build()).hold();
    List<CompletableFuture<CachedAnswer>> answers = fiftyGets(ttl(60), origin);
    assertEquals(1, origin.calls());

    origin.answerAtOnce(call -> Answers.ok("for caller " + call).cacheControl("private").build());
    origin.release(Answers.ok("for the leader").cacheControl("private").build());
    Set<String> bodies = new HashSet<>();
    for (CompletableFuture<CachedAnswer> answer : answers) {
      CachedAnswer served = await(answer);
      assertEquals("MISS", served.cacheStatus());
      bodies.add(body(served));
    }
    assertEquals(CLIENTS, bodies.size(), "each waiter got an answer made for it");
    assertTrue(bodies.contains("for the leader"));
    assertEquals(CLIENTS, origin.calls());

    // Hit-for-miss: the key is known not to share, so the next requests call at once, none waiting on another.
    origin.hold();
    List<CompletableFuture<CachedAnswer>> later = concurrently(10, client -> harness.serveAsync(get("/things/1"), ttl(60), origin));
    assertEquals(CLIENTS + 10, origin.calls());
    assertEquals(10, origin.pending());
    origin.release(Answers.ok("now public").build());
    later.forEach(answer -> assertEquals("now public", body(await(answer))));
    assertEquals("HIT", harness.serve(get("/things/1"), ttl(60), origin).cacheStatus(), "a shareable answer replaced the marker");
  }

  @Test
  void anAnswerThatIsSharedButNotStoredReachesEveryWaiter() throws Exception {
    FakeOrigin origin = FakeOrigin.answering(Answers.ok("x").build()).hold();
    List<CompletableFuture<CachedAnswer>> answers = fiftyGets(ttl(60), origin);
    origin.release(Answers.status(302).header("Location", "/elsewhere").build());
    for (CompletableFuture<CachedAnswer> answer : answers) {
      assertEquals(302, await(answer).answer().status());
    }
    assertEquals(1, origin.calls());
    origin.answerAtOnce(Answers.status(302).header("Location", "/elsewhere").build());
    assertEquals("MISS", harness.serve(get("/things/1"), ttl(60), origin).cacheStatus());
    assertEquals(2, origin.calls());
  }

  @Test
  void waitersOfAnotherVariantLookAgainAndShareOneCallOfTheirOwn() throws Exception {
    FakeOrigin en = FakeOrigin.answering(Answers.ok("en").header("Vary", "Accept-Language").build()).hold();
    FakeOrigin fr = FakeOrigin.answering(Answers.ok("fr").header("Vary", "Accept-Language").build()).hold();
    List<CompletableFuture<CachedAnswer>> answers = concurrently(CLIENTS, client -> client % 2 == 0
        ? harness.serveAsync(get("/things/1").header("Accept-Language", "en"), ttl(60), en)
        : harness.serveAsync(get("/things/1").header("Accept-Language", "fr"), ttl(60), fr));
    assertEquals(1, en.calls() + fr.calls(), "before the first answer nobody knows the answers vary");

    FakeOrigin leader = en.calls() == 1 ? en : fr;
    en.answerAtOnce(Answers.ok("en").header("Vary", "Accept-Language").build());
    fr.answerAtOnce(Answers.ok("fr").header("Vary", "Accept-Language").build());
    leader.release(Answers.ok(leader == en ? "en" : "fr").header("Vary", "Accept-Language").build());
    for (int client = 0; client < CLIENTS; client++) {
      assertEquals(client % 2 == 0 ? "en" : "fr", body(await(answers.get(client))));
    }
    assertEquals(2, en.calls() + fr.calls());
  }

  @Test
  void aHeadWaitsForAGetInFlight() {
    FakeOrigin origin = FakeOrigin.answering(Answers.ok("x").build()).hold();
    CompletableFuture<CachedAnswer> get = harness.serveAsync(get("/things/1"), ttl(60), origin);
    CompletableFuture<CachedAnswer> head = harness.serveAsync(head("/things/1"), ttl(60), origin);
    assertFalse(head.isDone());
    assertEquals(1, origin.calls());
    origin.release(Answers.ok("body").build());
    assertEquals("body", body(await(get)));
    assertEquals("body", body(await(head)));
  }

  @Test
  void aRequestForAnotherKeyDoesNotWait() {
    FakeOrigin origin = FakeOrigin.answering(Answers.ok("x").build()).hold();
    harness.serveAsync(get("/things/1"), ttl(60), origin);
    harness.serveAsync(get("/things/2"), ttl(60), origin);
    harness.serveAsync(get("/things/1?page=2"), ttl(60), origin);
    assertEquals(3, origin.calls());
    assertEquals(3, origin.pending());
  }

  @Test
  void aClientNoCacheHonouredDoesNotWaitForOthers() {
    CachePolicy honor = new CachePolicy(java.time.Duration.ofSeconds(60), java.time.Duration.ZERO, java.time.Duration.ZERO,
        List.of(), true);
    FakeOrigin origin = FakeOrigin.answering(Answers.ok("x").build()).hold();
    harness.serveAsync(get("/things/1"), honor, origin);
    CompletableFuture<CachedAnswer> bypass = harness.serveAsync(get("/things/1").header("Cache-Control", "no-cache"), honor, origin);
    assertEquals(2, origin.calls());
    origin.release(Answers.ok("fresh").build());
    assertEquals("BYPASS", await(bypass).cacheStatus());
  }
}

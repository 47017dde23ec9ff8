package dev.lambdaproxy.cache;

import static dev.lambdaproxy.cache.Answers.body;
import static dev.lambdaproxy.cache.Answers.header;
import static dev.lambdaproxy.cache.CacheHarness.policy;
import static dev.lambdaproxy.cache.CacheHarness.ttl;
import static dev.lambdaproxy.cache.Requests.get;
import static dev.lambdaproxy.cache.Requests.head;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lambdaproxy.http.ClientAnswer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** stale-while-revalidate and stale-if-error, from the route and from the function. */
class StaleTest {

  private final CacheHarness harness = new CacheHarness();

  @AfterEach
  void close() {
    harness.close();
  }

  private static ClientAnswer failure(String kind) {
    return switch (kind) {
      case "500" -> Answers.status(500).body("function says 500").build();
      case "503" -> Answers.status(503).body("function says 503").header("Retry-After", "5").build();
      case "function_error" -> Answers.functionError();
      default -> Answers.timeout();
    };
  }

  @Test
  void aStaleAnswerIsServedAtOnceWhileOneBackgroundCallRefreshesIt() throws Exception {
    CachePolicy swr = policy(10, 30, 0);
    FakeOrigin origin = FakeOrigin.answering(Answers.ok("old").build());
    harness.serve(get("/things/1"), swr, origin);
    harness.clock.advanceSeconds(15);
    origin.hold();

    int clients = 50;
    ExecutorService threads = Executors.newFixedThreadPool(clients);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Callable<CachedAnswer>> requests = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        requests.add(() -> {
          start.await();
          return harness.cache.serve(get("/things/1").build(), swr, origin).get(5, TimeUnit.SECONDS);
        });
      }
      List<Future<CachedAnswer>> answers = new ArrayList<>();
      for (Callable<CachedAnswer> request : requests) {
        answers.add(threads.submit(request));
      }
      start.countDown();
      for (Future<CachedAnswer> answer : answers) {
        CachedAnswer stale = answer.get(5, TimeUnit.SECONDS);
        assertEquals("STALE", stale.cacheStatus());
        assertEquals("STALE", header(stale, "X-Cache"));
        assertEquals("15", header(stale, "Age"));
        assertEquals("old", body(stale));
      }
    } finally {
      threads.shutdownNow();
    }
    assertEquals(1, harness.refreshes.submitted(), "one refresh for 50 stale hits");
    assertEquals(1, origin.calls(), "the refresh has not run yet: nobody waited for the function");

    harness.refreshes.runAll();
    assertEquals(2, origin.calls());
    assertEquals("STALE", harness.serve(get("/things/1"), swr, origin).cacheStatus(), "still stale while the refresh is out");
    assertEquals(1, harness.refreshes.submitted(), "and no second refresh while it is");

    origin.release(Answers.ok("new").build());
    CachedAnswer fresh = harness.serve(get("/things/1"), swr, origin);
    assertEquals("HIT", fresh.cacheStatus());
    assertEquals("new", body(fresh));
    assertEquals("0", header(fresh, "Age"));
    assertEquals(2, origin.calls());
  }

  @Test
  void theFunctionsOwnStaleWhileRevalidateIsHonoured() {
    FakeOrigin origin = FakeOrigin.answering(call -> Answers.ok("v" + call).cacheControl("max-age=10, stale-while-revalidate=20").build());
    harness.serve(get("/things/1"), ttl(60), origin);
    harness.clock.advanceSeconds(29);
    assertEquals("STALE", harness.serve(get("/things/1"), ttl(60), origin).cacheStatus());
    harness.refreshes.runAll();
    assertEquals("v2", body(harness.serve(get("/things/1"), ttl(60), origin)));
  }

  @Test
  void pastTheStaleWhileRevalidateWindowARequestWaitsForTheFunction() {
    FakeOrigin origin = FakeOrigin.answering(call -> Answers.ok("v" + call).build());
    harness.serve(get("/things/1"), policy(10, 5, 0), origin);
    harness.clock.advanceSeconds(14);
    assertEquals("STALE", harness.serve(get("/things/1"), policy(10, 5, 0), origin).cacheStatus());
    harness.clock.advanceSeconds(1);
    CompletableFuture<CachedAnswer> miss = harness.serveAsync(get("/things/1"), policy(10, 5, 0), origin);
    assertFalse(miss.isDone(), "it waits for the refresh already out rather than calling again");
    harness.refreshes.runAll();
    assertEquals("MISS", CacheHarness.await(miss).cacheStatus());
    assertEquals("v2", body(CacheHarness.await(miss)));
    assertEquals(2, origin.calls());
    harness.clock.advanceSeconds(15);
    assertEquals("MISS", harness.serve(get("/things/1"), policy(10, 5, 0), origin).cacheStatus(), "with no refresh out, it calls");
    assertEquals(3, origin.calls());
    assertEquals(1, harness.refreshes.submitted());
  }

  @Test
  void aFailedRefreshKeepsTheStaleCopy() {
    FakeOrigin origin = FakeOrigin.answering(call -> call == 1 ? Answers.ok("old").build() : Answers.timeout());
    harness.serve(get("/things/1"), policy(10, 30, 0), origin);
    harness.clock.advanceSeconds(12);
    harness.serve(get("/things/1"), policy(10, 30, 0), origin);
    harness.refreshes.runAll();
    CachedAnswer stale = harness.serve(get("/things/1"), policy(10, 30, 0), origin);
    assertEquals("STALE", stale.cacheStatus());
    assertEquals("old", body(stale));
    assertEquals(2, harness.refreshes.submitted(), "the next stale hit tries again");
  }

  @Test
  void aRefreshThatComesBackPrivateDropsTheStoredCopy() {
    FakeOrigin origin = FakeOrigin.answering(call -> call == 1 ? Answers.ok("public").build()
        : Answers.ok("private " + call).cacheControl("private").build());
    harness.serve(get("/things/1"), policy(10, 30, 0), origin);
    harness.clock.advanceSeconds(12);
    harness.serve(get("/things/1"), policy(10, 30, 0), origin);
    harness.refreshes.runAll();
    CachedAnswer after = harness.serve(get("/things/1"), policy(10, 30, 0), origin);
    assertEquals("MISS", after.cacheStatus());
    assertEquals("private 3", body(after));
    assertEquals(0, harness.cache.entryCount());
  }

  @Test
  void aHeadServesStaleButLeavesTheRefreshToAGet() {
    FakeOrigin origin = FakeOrigin.answering(Answers.ok("x").build());
    harness.serve(get("/things/1"), policy(10, 30, 0), origin);
    harness.clock.advanceSeconds(12);
    assertEquals("STALE", harness.serve(head("/things/1"), policy(10, 30, 0), origin).cacheStatus());
    assertEquals(0, harness.refreshes.submitted());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"500", "503", "function_error", "timeout"})
  void withinStaleIfErrorAFailedCallIsAnsweredWithTheStaleCopy(String kind) {
    FakeOrigin origin = FakeOrigin.answering(call -> call == 1 ? Answers.ok("good").build() : failure(kind));
    CachePolicy sie = policy(10, 0, 60);
    harness.serve(get("/things/1"), sie, origin);
    harness.clock.advanceSeconds(69);
    CachedAnswer stale = harness.serve(get("/things/1"), sie, origin);
    assertEquals("STALE", stale.cacheStatus());
    assertEquals(200, stale.answer().status());
    assertEquals("good", body(stale));
    assertEquals("69", header(stale, "Age"));
    assertEquals(2, origin.calls(), "the function was asked first");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"500", "503", "function_error", "timeout"})
  void pastStaleIfErrorTheFailureGoesToTheClient(String kind) {
    FakeOrigin origin = FakeOrigin.answering(call -> call == 1 ? Answers.ok("good").build() : failure(kind));
    CachePolicy sie = policy(10, 0, 60);
    harness.serve(get("/things/1"), sie, origin);
    harness.clock.advanceSeconds(70);
    CachedAnswer failed = harness.serve(get("/things/1"), sie, origin);
    assertEquals("MISS", failed.cacheStatus());
    assertEquals(failure(kind).status(), failed.answer().status());
    assertEquals(failure(kind).errorKind(), failed.answer().errorKind());
  }

  @Test
  void withoutStaleIfErrorAFailureIsNotHiddenAndTheCopyIsKeptForLater() {
    FakeOrigin origin = FakeOrigin.answering(call -> call == 2 ? Answers.timeout() : Answers.ok("v" + call).build());
    harness.serve(get("/things/1"), ttl(10), origin);
    harness.clock.advanceSeconds(10);
    assertEquals(504, harness.serve(get("/things/1"), ttl(10), origin).answer().status());
    assertEquals("v3", body(harness.serve(get("/things/1"), ttl(10), origin)));
  }

  @Test
  void theFunctionsOwnStaleIfErrorIsHonouredEvenWithMustRevalidate() {
    FakeOrigin origin = FakeOrigin.answering(call -> call == 1
        ? Answers.ok("good").cacheControl("max-age=10, must-revalidate, stale-if-error=100").build()
        : Answers.functionError());
    harness.serve(get("/things/1"), ttl(60), origin);
    harness.clock.advanceSeconds(50);
    assertEquals("STALE", harness.serve(get("/things/1"), ttl(60), origin).cacheStatus());
  }

  @Test
  void mustRevalidateForbidsTheRoutesStaleWindows() {
    FakeOrigin origin = FakeOrigin.answering(call -> call == 1
        ? Answers.ok("good").cacheControl("max-age=10, must-revalidate").build()
        : Answers.functionError());
    CachePolicy generous = policy(60, 60, 600);
    harness.serve(get("/things/1"), generous, origin);
    harness.clock.advanceSeconds(11);
    CachedAnswer failed = harness.serve(get("/things/1"), generous, origin);
    assertEquals("MISS", failed.cacheStatus());
    assertEquals(502, failed.answer().status());
  }

  @Test
  void aThrowingOriginIsAFailureTooAndTheStaleCopyStandsIn() {
    FakeOrigin origin = FakeOrigin.answering(call -> {
      if (call > 1) {
        throw new IllegalStateException("no connection");
      }
      return Answers.ok("good").build();
    });
    harness.serve(get("/things/1"), policy(10, 0, 60), origin);
    harness.clock.advanceSeconds(20);
    CompletableFuture<CachedAnswer> answer = harness.serveAsync(get("/things/1"), policy(10, 0, 60), origin);
    assertEquals("good", body(CacheHarness.await(answer)));
  }

  @Test
  void staleWindowsKeepTheEntryOnlyAsLongAsTheLongerOne() {
    FakeOrigin origin = FakeOrigin.answering(Answers.ok("x").build());
    harness.serve(get("/things/1"), policy(10, 5, 50), origin);
    harness.clock.advanceSeconds(59);
    harness.cache.cleanUp();
    assertTrue(harness.cache.entryCount() == 1);
    harness.clock.advanceSeconds(1);
    harness.cache.cleanUp();
    assertEquals(0, harness.cache.entryCount());
  }
}

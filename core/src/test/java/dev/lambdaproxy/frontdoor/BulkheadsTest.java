package dev.lambdaproxy.frontdoor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BulkheadsTest {

  private final Bulkheads bulkheads = new Bulkheads();

  @Test
  void atMostMaxAreInAndAReleasedPlaceIsTakenAgain() {
    Bulkheads.Permit first = bulkheads.tryEnter("/slow", 2);
    assertNotNull(first);
    assertNotNull(bulkheads.tryEnter("/slow", 2));
    assertNull(bulkheads.tryEnter("/slow", 2));
    assertNotNull(bulkheads.tryEnter("/other", 2), "routes count apart");
    first.run();
    assertEquals(1, bulkheads.inFlight("/slow"));
    assertNotNull(bulkheads.tryEnter("/slow", 2));
  }

  @Test
  void aPermitReleasedTwiceGivesBackOnePlace() {
    Bulkheads.Permit permit = bulkheads.tryEnter("/slow", 1);
    bulkheads.tryEnter("/other", 1);
    permit.run();
    permit.run();
    assertEquals(0, bulkheads.inFlight("/slow"));
    assertNotNull(bulkheads.tryEnter("/slow", 1));
    assertNull(bulkheads.tryEnter("/slow", 1), "the second release did not make room for two");
  }

  @Test
  void racingRequestsNeverGetMoreThanMaxPlaces() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch start = new CountDownLatch(1);
      AtomicInteger entered = new AtomicInteger();
      List<java.util.concurrent.Future<?>> tries = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        tries.add(pool.submit(() -> {
          start.await();
          if (bulkheads.tryEnter("/race", 5) != null) {
            entered.incrementAndGet();
          }
          return null;
        }));
      }
      start.countDown();
      for (var attempt : tries) {
        attempt.get(10, TimeUnit.SECONDS);
      }
      assertEquals(5, entered.get());
      assertEquals(5, bulkheads.inFlight("/race"));
    } finally {
      pool.shutdownNow();
    }
  }
}

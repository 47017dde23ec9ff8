package dev.lambdaproxy.frontdoor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LocalRateLimitStoreTest {

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final LocalRateLimitStore store = new LocalRateLimitStore(nanos::get);

  private int taken(String bucket, RateLimit limit, int tries) {
    int taken = 0;
    for (int i = 0; i < tries; i++) {
      if (store.tryTake(bucket, limit)) {
        taken++;
      }
    }
    return taken;
  }

  @Test
  void aFullBucketLetsTheBurstThroughThenTheRate() {
    RateLimit limit = new RateLimit(10, 5);
    assertEquals(5, taken("route /a", limit, 20), "the burst at once");
    nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(100));
    assertEquals(1, taken("route /a", limit, 20), "a tenth of a second brings one token back at 10/s");
    nanos.addAndGet(TimeUnit.SECONDS.toNanos(10));
    assertEquals(5, taken("route /a", limit, 20), "never more than the burst, however long it waited");
  }

  @Test
  void aFractionalRateRefillsAtThatRate() {
    RateLimit limit = new RateLimit(0.5, 1);
    assertTrue(store.tryTake("slow", limit));
    nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(1_900));
    assertFalse(store.tryTake("slow", limit));
    nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(100));
    assertTrue(store.tryTake("slow", limit), "one token every 2 s");
  }

  @Test
  void bucketsAreSeparateByName() {
    RateLimit limit = new RateLimit(1, 1);
    assertTrue(store.tryTake("plan basic key a", limit));
    assertFalse(store.tryTake("plan basic key a", limit));
    assertTrue(store.tryTake("plan basic key b", limit));
  }

  @Test
  void aChangedLimitReshapesTheBucketKeepingWhatWasTaken() {
    assertEquals(2, taken("route /a", new RateLimit(1, 2), 5));
    assertEquals(0, taken("route /a", new RateLimit(1, 10), 1), "a reload that grows the bucket gives no fresh burst");
    nanos.addAndGet(TimeUnit.SECONDS.toNanos(20));
    assertEquals(10, taken("route /a", new RateLimit(1, 10), 20), "it fills up to its new size");
  }

  @Test
  void aQuotaAllowsExactlyItsLimitInAPeriodAndStartsAgainInTheNext() {
    Quota quota = new Quota(5, Quota.Period.DAY);
    Instant morning = Instant.parse("2026-03-04T08:00:00Z");
    int counted = 0;
    for (int i = 0; i < 8; i++) {
      if (store.tryCount("plan basic key a", quota, morning)) {
        counted++;
      }
    }
    assertEquals(5, counted);
    assertFalse(store.tryCount("plan basic key a", quota, Instant.parse("2026-03-04T23:59:59Z")));
    assertTrue(store.tryCount("plan basic key b", quota, morning), "each key counts alone");
    assertTrue(store.tryCount("plan basic key a", quota, Instant.parse("2026-03-05T00:00:00Z")), "a new day, a new count");
  }
}

package dev.lambdaproxy.frontdoor;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.TokensInheritanceStrategy;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The {@link RateLimitStore} in this process's memory: Bucket4j's lock-free token buckets, and a
 * counter per quota. Names come from the configuration (routes, plans, key names), so the maps
 * stay as small as the configuration.
 */
public final class LocalRateLimitStore implements RateLimitStore {

  private final Map<String, Shaped> buckets = new ConcurrentHashMap<>();
  private final Map<String, Window> quotas = new ConcurrentHashMap<>();
  private final TimeMeter time;

  public LocalRateLimitStore() {
    this(System::nanoTime);
  }

  /** With a clock of its own, in nanoseconds (tests move it by hand). */
  public LocalRateLimitStore(LongSupplier nanoTime) {
    this.time = new TimeMeter() {
      @Override
      public long currentTimeNanos() {
        return nanoTime.getAsLong();
      }

      @Override
      public boolean isWallClockBased() {
        return false;
      }
    };
  }

  @Override
  public boolean tryTake(String bucket, RateLimit limit) {
    Shaped shaped = buckets.get(bucket);
    if (shaped == null || !shaped.limit.equals(limit)) {
      shaped = buckets.compute(bucket, (name, old) -> reshaped(old, limit));
    }
    return shaped.bucket.tryConsume(1);
  }

  private Shaped reshaped(Shaped old, RateLimit limit) {
    if (old == null) {
      return new Shaped(limit, Bucket.builder().withCustomTimePrecision(time).addLimit(bandwidth(limit)).build());
    }
    if (old.limit.equals(limit)) {
      return old;
    }
    // A reload changed the limit: the tokens left carry over (capped at the new size), not a fresh burst.
    old.bucket.replaceConfiguration(BucketConfiguration.builder().addLimit(bandwidth(limit)).build(), TokensInheritanceStrategy.AS_IS);
    return new Shaped(limit, old.bucket);
  }

  private static io.github.bucket4j.Bandwidth bandwidth(RateLimit limit) {
    double perSecond = limit.perSecond();
    // Whole rates refill per second; a fraction (0.5/s) as thousandths over 1000 s, the same rate with integer tokens.
    return perSecond == Math.rint(perSecond)
        ? io.github.bucket4j.Bandwidth.builder().capacity(limit.burst()).refillGreedy((long) perSecond, Duration.ofSeconds(1)).build()
        : io.github.bucket4j.Bandwidth.builder().capacity(limit.burst())
            .refillGreedy(Math.max(1, Math.round(perSecond * 1000)), Duration.ofSeconds(1000)).build();
  }

  @Override
  public boolean tryCount(String counter, Quota quota, Instant now) {
    return quotas.computeIfAbsent(counter, name -> new Window()).tryCount(quota, quota.period().start(now).getEpochSecond());
  }

  private record Shaped(RateLimit limit, Bucket bucket) {}

  /** One quota's count in its current period; a new period starts the count again. */
  private static final class Window {
    private long periodStart = Long.MIN_VALUE;
    private long used;

    synchronized boolean tryCount(Quota quota, long start) {
      if (start != periodStart) {
        periodStart = start;
        used = 0;
      }
      if (used >= quota.limit()) {
        return false;
      }
      used++;
      return true;
    }
  }
}

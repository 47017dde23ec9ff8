package dev.lambdaproxy.cache;

import com.github.benmanes.caffeine.cache.RemovalCause;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The cache's meters: requests by result, evictions by cause, coalesced waiters, background
 * refreshes, and gauges of bytes and entries read at scrape time. Removed from the registry on
 * {@link #close}, so a new cache (after a reload) registers its own.
 */
final class CacheMetrics implements AutoCloseable {

  private final MeterRegistry registry;
  private final List<Meter> meters = new ArrayList<>();
  private final Counter hits;
  private final Counter misses;
  private final Counter stale;
  private final Counter bypasses;
  private final Counter evictedForSize;
  private final Counter expired;
  private final Counter coalesced;
  private final Counter refreshes;

  <T> CacheMetrics(MeterRegistry registry, T cache, ToDoubleFunction<T> bytes, ToDoubleFunction<T> entries) {
    this.registry = registry;
    hits = result("hit");
    misses = result("miss");
    stale = result("stale");
    bypasses = result("bypass");
    evictedForSize = eviction("size");
    expired = eviction("expired");
    coalesced = add(Counter.builder("lambda_proxy_cache_coalesced")
        .description("requests that waited for another request's call to the function instead of making their own")
        .register(registry));
    refreshes = add(Counter.builder("lambda_proxy_cache_refreshes")
        .description("background calls that refreshed a stale answer").register(registry));
    add(Gauge.builder("lambda_proxy_cache_bytes", cache, bytes).baseUnit("bytes")
        .description("estimated bytes held by the response cache").strongReference(true).register(registry));
    add(Gauge.builder("lambda_proxy_cache_entries", cache, entries)
        .description("answers held by the response cache").strongReference(true).register(registry));
  }

  private Counter result(String result) {
    return add(Counter.builder("lambda_proxy_cache_requests").tag("result", result)
        .description("requests answered through the response cache, by result").register(registry));
  }

  private Counter eviction(String cause) {
    return add(Counter.builder("lambda_proxy_cache_evictions").tag("cause", cause)
        .description("stored answers dropped by the cache itself: size to stay within cache-max-bytes, expired past every window")
        .register(registry));
  }

  private <M extends Meter> M add(M meter) {
    meters.add(meter);
    return meter;
  }

  void served(String cacheStatus) {
    switch (cacheStatus) {
      case CachedAnswer.HIT -> hits.increment();
      case CachedAnswer.STALE -> stale.increment();
      case CachedAnswer.BYPASS -> bypasses.increment();
      default -> misses.increment();
    }
  }

  void evicted(RemovalCause cause) {
    if (cause == RemovalCause.EXPIRED) {
      expired.increment();
    } else {
      evictedForSize.increment();
    }
  }

  void coalesced() {
    coalesced.increment();
  }

  void refreshed() {
    refreshes.increment();
  }

  @Override
  public void close() {
    for (Meter meter : meters) {
      registry.remove(meter);
    }
  }
}

package dev.lambdaproxy.cache;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A cache on a clock the test moves, whose background refreshes wait until the test runs them. */
final class CacheHarness implements AutoCloseable {

  final MutableClock clock = new MutableClock();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final RecordingExecutor refreshes = new RecordingExecutor();
  final ResponseCache cache;

  CacheHarness() {
    this(1 << 20, 64 << 10);
  }

  CacheHarness(long maxBytes, long maxEntryBytes) {
    cache = new ResponseCache(maxBytes, maxEntryBytes, clock, refreshes, registry);
  }

  static CachePolicy ttl(long seconds) {
    return CachePolicy.of(Duration.ofSeconds(seconds));
  }

  static CachePolicy policy(long ttlSeconds, long staleWhileRevalidateSeconds, long staleIfErrorSeconds) {
    return new CachePolicy(Duration.ofSeconds(ttlSeconds), Duration.ofSeconds(staleWhileRevalidateSeconds),
        Duration.ofSeconds(staleIfErrorSeconds), List.of(), false);
  }

  CompletableFuture<CachedAnswer> serveAsync(Requests request, CachePolicy policy, FakeOrigin origin) {
    return cache.serve(request.build(), policy, origin);
  }

  CachedAnswer serve(Requests request, CachePolicy policy, FakeOrigin origin) {
    return await(serveAsync(request, policy, origin));
  }

  static CachedAnswer await(CompletableFuture<CachedAnswer> answer) {
    try {
      return answer.get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new AssertionError("the answer did not come: " + e, e);
    }
  }

  double counter(String name, String... tags) {
    Counter counter = registry.find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }

  double gauge(String name) {
    Gauge gauge = registry.find(name).gauge();
    return gauge == null ? Double.NaN : gauge.value();
  }

  @Override
  public void close() {
    cache.close();
  }
}

package dev.lambdaproxy.credentials;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Credentials from an AWS SDK source (the default chain, an STS role, ...), cached and renewed in
 * the background before they expire.
 *
 * <p>{@link #resolve()} returns the cached credentials, the very same object until they change,
 * without I/O, while they are good for more than {@link Timing#expiryMargin()}. It asks the source
 * on the calling thread only when nothing usable is cached, one caller at a time; after such a load
 * fails, callers get the same answer for {@link Timing#failureHold()} without asking again. Renewal
 * starts {@link Timing#refreshAhead()} before the end (half the lifetime for short-lived
 * credentials), on a scheduled executor, one renewal at a time; a request that finds the renewal
 * due also starts it. A failed renewal logs a warning and is retried with backoff while the
 * current credentials stay in use until they expire.
 *
 * <p>The SDK's own providers cache too (CachedSupplier) but block a caller in their stale window,
 * throw there when the service fails, log failed prefetches at debug only, and jitter their timing;
 * hence this cache. A source that still hands back the credentials we hold is asked again halfway
 * to their end.
 *
 * <p>Whoever creates one closes it: {@link CredentialsProviders#close()} for those it made, which
 * the proxy's owner (the jar's main, the WAR's context listener) closes on shutdown. Closing stops
 * renewal and closes the source; cached credentials stay usable until they expire.
 */
public final class AwsSdkCredentialsProvider implements CredentialsProvider, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AwsSdkCredentialsProvider.class);

  /**
   * When renewal happens.
   *
   * @param refreshAhead how long before the end renewal starts (at most half the lifetime)
   * @param expiryMargin how long before their expiration credentials are no longer handed out, so a
   *     request signed with them still arrives in time
   * @param failureHold how long a failed load's answer is repeated without asking the source again
   * @param minRetry the first retry delay of a failed renewal, doubled on each failure
   * @param maxRetry the longest retry delay
   */
  record Timing(Duration refreshAhead, Duration expiryMargin, Duration failureHold, Duration minRetry, Duration maxRetry) {

    static final Timing DEFAULT = new Timing(
        Duration.ofMinutes(15), Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofMinutes(1));

    Timing {
      for (Duration duration : new Duration[] {refreshAhead, expiryMargin, failureHold, minRetry, maxRetry}) {
        if (duration == null || duration.isNegative()) {
          throw new IllegalArgumentException("durations must be zero or positive: " + duration);
        }
      }
      if (minRetry.isZero() || maxRetry.compareTo(minRetry) < 0) {
        throw new IllegalArgumentException("need 0 < minRetry <= maxRetry");
      }
    }
  }

  private record Current(CredentialSource.Loaded loaded, long usableUntilMillis) {
  }

  private record Failure(String message, long atMillis) {
  }

  private final CredentialSource source;
  private final Clock clock;
  private final Timing timing;
  private final ScheduledExecutorService executor;
  private final boolean ownsExecutor;
  private final ReentrantLock loadLock = new ReentrantLock();
  private final AtomicBoolean refreshing = new AtomicBoolean();
  private final AtomicReference<ScheduledFuture<?>> scheduled = new AtomicReference<>();
  /** The load under way for callers that must not block, or null. */
  private final AtomicReference<java.util.concurrent.CompletableFuture<Void>> loading = new AtomicReference<>();

  private volatile Current current;
  private volatile long nextRefreshMillis = Long.MAX_VALUE;
  private volatile Failure lastFailure;
  private volatile String refreshProblem;
  private volatile boolean closed;
  private int refreshFailures; // guarded by loadLock

  AwsSdkCredentialsProvider(CredentialSource source, Clock clock, ScheduledExecutorService executor, Timing timing) {
    this.source = Objects.requireNonNull(source, "source");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.timing = Objects.requireNonNull(timing, "timing");
    this.ownsExecutor = executor == null;
    this.executor = executor != null ? executor : newExecutor();
  }

  /**
   * Caches and renews the credentials of any SDK provider (e.g. {@code DefaultCredentialsProvider.builder().build()}),
   * with its own renewal thread; close it to stop that thread and close {@code sdkProvider}.
   */
  public static AwsSdkCredentialsProvider of(String name, software.amazon.awssdk.auth.credentials.AwsCredentialsProvider sdkProvider) {
    return new AwsSdkCredentialsProvider(new SdkCredentialSource(name, sdkProvider), Clock.systemUTC(), null, Timing.DEFAULT);
  }

  /** A single daemon thread that renews credentials; whoever makes it shuts it down. */
  static ScheduledExecutorService newExecutor() {
    AtomicInteger number = new AtomicInteger();
    ThreadFactory threads = task -> {
      Thread thread = new Thread(task, "lambda-proxy-credentials-" + number.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, threads);
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    return Executors.unconfigurableScheduledExecutorService(executor);
  }

  @Override
  public AwsCredentials resolve() {
    Current cached = current;
    long now = clock.millis();
    if (cached != null && now < cached.usableUntilMillis) {
      if (now >= nextRefreshMillis) {
        refreshInBackground();
      }
      return cached.loaded.credentials();
    }
    return loadOnThisThread();
  }

  @Override
  public java.util.concurrent.CompletableFuture<Void> loading() {
    long now = clock.millis();
    Current cached = current;
    if (cached != null && now < cached.usableUntilMillis) {
      return null;
    }
    Failure failure = lastFailure;
    if (failure != null && now - failure.atMillis < timing.failureHold().toMillis()) {
      return null; // resolve() repeats the failure at once
    }
    while (true) {
      java.util.concurrent.CompletableFuture<Void> running = loading.get();
      if (running != null) {
        return running;
      }
      java.util.concurrent.CompletableFuture<Void> mine = new java.util.concurrent.CompletableFuture<>();
      if (!loading.compareAndSet(null, mine)) {
        continue;
      }
      Runnable load = () -> {
        try {
          resolve();
        } catch (RuntimeException e) {
          // The failure is held for failureHold: the caller's resolve() reports it without asking again.
        } finally {
          loading.set(null);
          mine.complete(null);
        }
      };
      try {
        executor.execute(load);
      } catch (RejectedExecutionException e) {
        load.run(); // closed: nothing will be fetched, and resolve() answers from what is cached
      }
      return mine;
    }
  }

  @Override
  public CredentialsStatus status() {
    Current cached = current;
    if (cached == null || clock.millis() >= cached.usableUntilMillis) {
      try {
        resolve();
      } catch (CredentialsUnavailableException e) {
        return CredentialsStatus.unavailable(e.getMessage());
      }
      cached = current;
    }
    return CredentialsStatus.ready(cached.loaded.source(), cached.loaded.expiration(), refreshProblem);
  }

  /** What this provider asks: e.g. {@code default chain} or {@code role arn:aws:iam::...}. */
  public String sourceName() {
    return source.name();
  }

  private AwsCredentials loadOnThisThread() {
    loadLock.lock();
    try {
      long now = clock.millis();
      Current cached = current;
      if (cached != null && now < cached.usableUntilMillis) {
        return cached.loaded.credentials();
      }
      Failure failure = lastFailure;
      if (failure != null && now - failure.atMillis < timing.failureHold().toMillis()) {
        throw new CredentialsUnavailableException(failure.message);
      }
      try {
        CredentialSource.Loaded loaded = fetch(now, false);
        install(loaded, now, cached);
        lastFailure = null;
        return loaded.credentials();
      } catch (CredentialsUnavailableException e) {
        String message = cached == null ? e.getMessage()
            : "the credentials from " + cached.loaded.source() + " expired at " + cached.loaded.expiration()
                + " and could not be renewed: " + e.getMessage();
        lastFailure = new Failure(message, clock.millis());
        throw message.equals(e.getMessage()) ? e : new CredentialsUnavailableException(message);
      }
    } finally {
      loadLock.unlock();
    }
  }

  private CredentialSource.Loaded fetch(long now, boolean renewal) {
    CredentialSource.Loaded loaded;
    try {
      loaded = renewal ? source.renew() : source.load();
    } catch (CredentialsUnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CredentialsUnavailableException(source.name() + ": " + Reasons.of(e));
    }
    if (loaded.expiration() != null && usableUntil(loaded) <= now) {
      throw new CredentialsUnavailableException(loaded.source() + " handed out credentials that expire at "
          + loaded.expiration() + ", too soon to use (now " + Instant.ofEpochMilli(now) + ")");
    }
    return loaded;
  }

  private long usableUntil(CredentialSource.Loaded loaded) {
    if (loaded.expiration() == null || loaded.expiration().getEpochSecond() > Long.MAX_VALUE / 2000) {
      return Long.MAX_VALUE;
    }
    return loaded.expiration().toEpochMilli() - timing.expiryMargin().toMillis();
  }

  // Called with loadLock held.
  private void install(CredentialSource.Loaded loaded, long now, Current previous) {
    long usableUntil = usableUntil(loaded);
    current = new Current(loaded, usableUntil);
    refreshFailures = 0;
    refreshProblem = null;
    long refreshAt = usableUntil == Long.MAX_VALUE ? Long.MAX_VALUE
        : usableUntil - Math.min(timing.refreshAhead().toMillis(), (usableUntil - now) / 2);
    scheduleRefresh(refreshAt, now);
    if (previous == null || !previous.loaded.source().equals(loaded.source())) {
      LOG.info("AWS credentials from {}{}", loaded.source(), loaded.expiration() == null ? "" : ", expiring " + loaded.expiration());
    } else {
      LOG.debug("AWS credentials from {} renewed, expiring {}", loaded.source(), loaded.expiration());
    }
  }

  // Called with loadLock held.
  private void scheduleRefresh(long at, long now) {
    nextRefreshMillis = at;
    ScheduledFuture<?> next = null;
    if (at != Long.MAX_VALUE && !closed) {
      try {
        next = executor.schedule(this::refreshOnTimer, Math.max(0, at - now), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        // Shut down: nothing renews any more, and nothing needs to.
      }
    }
    ScheduledFuture<?> before = scheduled.getAndSet(next);
    if (before != null) {
      before.cancel(false);
    }
  }

  private void refreshInBackground() {
    if (closed || !refreshing.compareAndSet(false, true)) {
      return;
    }
    try {
      executor.execute(this::refreshNow);
    } catch (RejectedExecutionException e) {
      refreshing.set(false);
    }
  }

  private void refreshOnTimer() {
    if (!closed && refreshing.compareAndSet(false, true)) {
      refreshNow();
    }
  }

  private void refreshNow() {
    try {
      loadLock.lock();
      try {
        refresh();
      } finally {
        loadLock.unlock();
      }
    } catch (RuntimeException e) {
      LOG.warn("Renewing the AWS credentials from {} failed: {}", source.name(), Reasons.of(e));
    } finally {
      refreshing.set(false);
    }
  }

  // Called with loadLock held, on the executor.
  private void refresh() {
    long now = clock.millis();
    Current cached = current;
    if (closed || cached == null) {
      return;
    }
    if (now < nextRefreshMillis) {
      // Early: a renewal came in between, or the wall clock stepped back since the timer was set.
      scheduleRefresh(nextRefreshMillis, now);
      return;
    }
    CredentialSource.Loaded loaded;
    try {
      loaded = fetch(now, true);
    } catch (CredentialsUnavailableException e) {
      refreshFailed(cached, e.getMessage(), now);
      return;
    }
    if (loaded.sameAs(cached.loaded)) {
      // The source caches too and still hands out what we hold: ask again halfway to their end.
      scheduleRefresh(now + Math.max(timing.minRetry().toMillis(), (cached.usableUntilMillis - now) / 2), now);
      return;
    }
    install(loaded, now, cached);
  }

  private void refreshFailed(Current cached, String message, long now) {
    if (closed) {
      return;
    }
    refreshFailures++;
    long backoff = Math.min(timing.maxRetry().toMillis(), timing.minRetry().toMillis() << Math.min(refreshFailures - 1, 20));
    refreshProblem = "renewing them failed " + refreshFailures + (refreshFailures == 1 ? " time" : " times")
        + ", last at " + Instant.ofEpochMilli(now) + ": " + message;
    scheduleRefresh(now + backoff, now);
    LOG.warn("Could not renew the AWS credentials from {}: {}; the current ones stay in use until they expire at {}"
        + " (next try in {} ms)", cached.loaded.source(), message, cached.loaded.expiration(), backoff);
  }

  /** Stops renewal (and its thread, when this provider made it) and closes the source. */
  @Override
  public void close() {
    closed = true;
    ScheduledFuture<?> pending = scheduled.getAndSet(null);
    if (pending != null) {
      pending.cancel(false);
    }
    if (ownsExecutor) {
      executor.shutdownNow();
    }
    source.close();
  }

  @Override
  public String toString() {
    Current cached = current;
    return "AwsSdkCredentialsProvider[" + source.name() + (cached == null ? ", nothing loaded"
        : ", credentials from " + cached.loaded.source() + ", access key " + cached.loaded.credentials().accessKeyId()
            + (cached.loaded.expiration() == null ? "" : ", expiring " + cached.loaded.expiration())) + "]";
  }
}

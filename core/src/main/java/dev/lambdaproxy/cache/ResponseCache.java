package dev.lambdaproxy.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.lambdaproxy.cache.Stored.Entry;
import dev.lambdaproxy.cache.Stored.HitForMiss;
import dev.lambdaproxy.cache.Stored.VarySpec;
import dev.lambdaproxy.http.ClientAnswer;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The response cache of the GET and HEAD routes that have {@code cache=}: function answers kept in
 * memory, bounded by bytes, fresh as RFC 9111 and the route's {@link CachePolicy} say.
 *
 * <p>One call, {@link #serve}, answers a request: fresh from the store ({@code HIT}); stale at once
 * while one background call refreshes it ({@code STALE}, stale-while-revalidate); or from the
 * function ({@code MISS}), one call per key however many requests miss together, with a stale copy
 * standing in if the function fails (stale-if-error).
 *
 * <p>Rules where HTTP leaves a choice:
 * <ul>
 *   <li>{@code no-cache} from the function means not stored: we cannot revalidate conditionally
 *       against Lambda, so "reuse only after revalidating" is "do not reuse".</li>
 *   <li>Requests that miss together wait for one call (the leader) and then: a shareable answer
 *       (no {@code private}, {@code no-store}, {@code no-cache}, {@code Set-Cookie} or
 *       {@code Vary: *}) goes to every waiter with the same values of the Vary headers, even when it
 *       is not stored (a 302, {@code max-age=0}, too large); a failure goes to every waiter (or the
 *       stale copy, within stale-if-error); an answer that is not shareable goes to nobody else: each
 *       waiter calls the function itself, and a hit-for-miss marker (as Varnish's) makes the
 *       following requests for that key, for two minutes or until a shareable answer is stored,
 *       call the function each without queueing.</li>
 *   <li>The function's {@code Cache-Control} and {@code Expires} pass to the client unchanged; when
 *       the route's default lifetime applied, nothing is added, so caches in front (a CDN) cache only
 *       what the function allows them to, and a purge here is not undone by copies there. Answers
 *       from the store carry {@code Age}, the seconds since the function answered (plus its own
 *       {@code Age}).</li>
 *   <li>A HEAD is answered from the GET's entry and waits for a GET in flight; a HEAD that misses
 *       calls the function and is not stored (the function saw HEAD, and may have sent no body).</li>
 *   <li>A response to a request with {@code Authorization} is shared only with {@code public},
 *       {@code s-maxage} or {@code must-revalidate} (RFC 9111 3.5).</li>
 *   <li>Any other method passes through ({@code BYPASS}); a POST, PUT, PATCH or DELETE that succeeds
 *       drops the entries of its path on its route (RFC 9111 4.4).</li>
 *   <li>A purge also keeps calls already in flight from storing their answers.</li>
 * </ul>
 */
public final class ResponseCache implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ResponseCache.class);

  /** How long a key whose answer could not be shared skips the waiting line (Varnish's default). */
  static final Duration HIT_FOR_MISS = Duration.ofMinutes(2);

  private static final Set<String> UNSAFE_METHODS = Set.of("POST", "PUT", "PATCH", "DELETE");

  /** A request re-looked-up after waiting (its variant differed) waits once more at most, then calls itself. */
  private static final int MAX_WAITS = 2;

  private final long maxEntryBytes;
  private final Clock clock;
  private final Executor refreshExecutor;
  private final CacheMetrics metrics;
  private final Cache<CacheKey, Stored> store;
  private final ConcurrentMap<CacheKey, Flight> flights = new ConcurrentHashMap<>();
  /** Counts purges: a call that started before one does not store its answer. */
  private final AtomicLong purges = new AtomicLong();
  private volatile boolean closed;

  /**
   * @param maxBytes what all stored answers may weigh together (see {@link CacheLimits})
   * @param maxEntryBytes what one stored answer may weigh; heavier ones are served, not stored
   * @param clock the time of freshness and Age; also the store's clock for expiry
   * @param refreshExecutor runs the background calls of stale-while-revalidate
   * @param registry where the cache's meters go ({@code lambda_proxy_cache_*})
   */
  public ResponseCache(long maxBytes, long maxEntryBytes, Clock clock, Executor refreshExecutor, MeterRegistry registry) {
    new CacheLimits(maxBytes, maxEntryBytes); // validates
    this.maxEntryBytes = maxEntryBytes;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.refreshExecutor = Objects.requireNonNull(refreshExecutor, "refreshExecutor");
    this.metrics = new CacheMetrics(Objects.requireNonNull(registry, "registry"), this, ResponseCache::sizeBytes,
        ResponseCache::entryCount);
    this.store = Caffeine.newBuilder()
        .maximumWeight(maxBytes)
        .weigher((CacheKey key, Stored value) -> (int) Math.min(Integer.MAX_VALUE, (long) key.weight() + value.weight()))
        .expireAfter(new RetainUntil())
        .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
        // Maintenance (evictions) on the calling thread: the bound holds right after each write.
        .executor(Runnable::run)
        .evictionListener((CacheKey key, Stored value, RemovalCause cause) -> {
          if (value instanceof Entry) {
            metrics.evicted(cause);
          }
        })
        .build();
  }

  /** A cache with {@link CacheLimits#DEFAULT}'s limits. */
  public ResponseCache(Clock clock, Executor refreshExecutor, MeterRegistry registry) {
    this(CacheLimits.DEFAULT.maxBytes(), CacheLimits.DEFAULT.maxEntryBytes(), clock, refreshExecutor, registry);
  }

  /**
   * Answers a request from the store, or calls {@code origin} (at most once per key at a time) and
   * maybe stores what it answers.
   *
   * <p>{@code origin} makes the call to the function for this request and returns the proxy's final
   * answer (a failure as a 5xx answer with its errorKind), its future completing within the route's
   * timeout: requests waiting on it wait that long at most, the cache adds no timer. It may be
   * called after the client has been answered (a background refresh), or on the thread of another
   * request's call when that call's answer could not be shared; so it must not block, must not write
   * to the client, and must not read the servlet request then (take what the call needs from it
   * before calling {@code serve}).
   *
   * @return the answer with {@code X-Cache} (and {@code Age} when from the store); failed only when
   *     {@code origin} failed (threw, or its future did) and no stale copy could stand in
   */
  public CompletableFuture<CachedAnswer> serve(CacheRequest request, CachePolicy policy,
      Supplier<CompletableFuture<ClientAnswer>> origin) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(origin, "origin");
    return serve(request, policy, origin, 0);
  }

  private CompletableFuture<CachedAnswer> serve(CacheRequest request, CachePolicy policy,
      Supplier<CompletableFuture<ClientAnswer>> origin, int waits) {
    String method = request.method().toUpperCase(Locale.ROOT);
    boolean get = method.equals("GET");
    if (closed || !(get || method.equals("HEAD"))) {
      return pass(request, method, origin);
    }
    CacheKey key = keyFor(request, policy);
    if (request.clientNoCache() && policy.honorClientNoCache()) {
      return fetch(request, policy, origin, key, get, CachedAnswer.BYPASS);
    }
    long now = clock.millis();
    Stored stored = store.getIfPresent(key);
    if (stored instanceof Entry entry) {
      if (entry.isFresh(now)) {
        return completed(fromStore(entry, now, CachedAnswer.HIT));
      }
      if (entry.servableWhileRevalidating(now)) {
        if (get) {
          refreshInBackground(key, request, policy, origin);
        }
        return completed(fromStore(entry, now, CachedAnswer.STALE));
      }
    }
    if (!get) {
      Flight flight = flights.get(key);
      return flight != null ? await(flight, key, request, policy, origin, waits) : fetch(request, policy, origin, key, false, CachedAnswer.MISS);
    }
    if (stored instanceof HitForMiss || waits >= MAX_WAITS) {
      return fetch(request, policy, origin, key, true, CachedAnswer.MISS);
    }
    Flight flight = new Flight(purges.get());
    Flight current = flights.putIfAbsent(key, flight);
    if (current != null) {
      return await(current, key, request, policy, origin, waits);
    }
    // Between the lookup and the flight, another leader may have stored the answer and left.
    if (store.getIfPresent(key) instanceof Entry entry && entry != stored && entry.isFresh(clock.millis())) {
      flights.remove(key, flight);
      flight.done.complete(Outcome.LOOK_AGAIN);
      return completed(fromStore(entry, clock.millis(), CachedAnswer.HIT));
    }
    return lead(flight, key, request, policy, origin);
  }

  /**
   * Drops stored answers by path, every query and variant of it on every route: {@code /*} is
   * everything, {@code /a/*} is {@code /a} and everything below it, anything else the one path.
   *
   * @return how many answers were dropped
   */
  public int purge(String path) {
    Objects.requireNonNull(path, "path");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with '/', was '" + path + "'");
    }
    return remove(key -> key.matchesPurge(path));
  }

  /** What the stored answers weigh, estimated (bodies, headers, keys), in bytes. */
  public long sizeBytes() {
    return store.policy().eviction().map(eviction -> eviction.weightedSize().orElse(0)).orElse(0L);
  }

  /** How many answers are stored (variants count one each); walks the store. */
  public long entryCount() {
    return store.asMap().values().stream().filter(Entry.class::isInstance).count();
  }

  /** Runs the store's pending maintenance now (evictions, expiries), so sizes are exact. */
  public void cleanUp() {
    store.cleanUp();
  }

  /** Drops everything and unregisters the meters; requests after this pass through. */
  @Override
  public void close() {
    closed = true;
    metrics.close();
    store.invalidateAll();
    store.cleanUp();
  }

  private CacheKey keyFor(CacheRequest request, CachePolicy policy) {
    CacheKey spec = CacheKey.spec(request.routeKey(), request.path(), request.rawQuery());
    List<String> names = policy.vary();
    if (store.getIfPresent(spec) instanceof VarySpec varySpec) {
      names = union(varySpec.names(), names);
    }
    return spec.withVariant(names, request.header());
  }

  private static List<String> union(List<String> a, List<String> b) {
    if (b.isEmpty() || a.equals(b)) {
      return a;
    }
    TreeSet<String> names = new TreeSet<>(a);
    names.addAll(b);
    return List.copyOf(names);
  }

  private CompletableFuture<CachedAnswer> lead(Flight flight, CacheKey key, CacheRequest request, CachePolicy policy,
      Supplier<CompletableFuture<ClientAnswer>> origin) {
    return call(origin)
        .handle((answer, failure) -> settle(flight, key, request, policy, answer, failure))
        .thenCompose(outcome -> forCaller(outcome, key, CachedAnswer.MISS));
  }

  /** The leader's call is over: store what may be stored, then release the waiters. */
  private Outcome settle(Flight flight, CacheKey key, CacheRequest request, CachePolicy policy, ClientAnswer answer,
      Throwable failure) {
    Outcome outcome;
    try {
      outcome = resolve(request, policy, key, flight.purgesAtStart, answer, failure, true);
    } catch (RuntimeException bug) {
      LOG.error("response cache: storing the answer for {} failed", key.path(), bug);
      outcome = Outcome.failure(bug);
    } finally {
      flights.remove(key, flight);
    }
    flight.done.complete(outcome);
    return outcome;
  }

  private CompletableFuture<CachedAnswer> await(Flight flight, CacheKey key, CacheRequest request, CachePolicy policy,
      Supplier<CompletableFuture<ClientAnswer>> origin, int waits) {
    metrics.coalesced();
    return flight.done.thenCompose(outcome -> forWaiter(outcome, key, request, policy, origin, waits + 1));
  }

  private CompletableFuture<CachedAnswer> forWaiter(Outcome outcome, CacheKey key, CacheRequest request, CachePolicy policy,
      Supplier<CompletableFuture<ClientAnswer>> origin, int waits) {
    boolean get = request.method().equalsIgnoreCase("GET");
    if (outcome == Outcome.LOOK_AGAIN) {
      return serve(request, policy, origin, waits);
    }
    if (outcome.failed()) {
      CachedAnswer stale = staleOnError(key);
      if (stale != null) {
        return completed(stale);
      }
      if (outcome.failure() != null) {
        metrics.served(CachedAnswer.MISS);
        return CompletableFuture.failedFuture(outcome.failure());
      }
      return outcome.shareable()
          ? completed(answered(outcome.answer(), CachedAnswer.MISS, -1))
          : fetch(request, policy, origin, key, get, CachedAnswer.MISS);
    }
    if (!outcome.shareable()) {
      return fetch(request, policy, origin, key, get, CachedAnswer.MISS);
    }
    if (CacheKey.values(outcome.vary(), request.header()).equals(outcome.varyValues())) {
      return completed(answered(outcome.answer(), CachedAnswer.MISS, -1));
    }
    // Another variant: once its Vary spec is stored, look up again and maybe wait for that variant's call.
    return outcome.stored() ? serve(request, policy, origin, waits) : fetch(request, policy, origin, key, get, CachedAnswer.MISS);
  }

  /** One call of our own, not shared with anyone. */
  private CompletableFuture<CachedAnswer> fetch(CacheRequest request, CachePolicy policy,
      Supplier<CompletableFuture<ClientAnswer>> origin, CacheKey key, boolean mayStore, String cacheStatus) {
    long purgesAtStart = purges.get();
    return call(origin)
        .handle((answer, failure) -> resolve(request, policy, key, purgesAtStart, answer, failure, mayStore))
        .thenCompose(outcome -> forCaller(outcome, key, cacheStatus));
  }

  private void refreshInBackground(CacheKey key, CacheRequest request, CachePolicy policy,
      Supplier<CompletableFuture<ClientAnswer>> origin) {
    Flight flight = new Flight(purges.get());
    if (flights.putIfAbsent(key, flight) != null) {
      return; // one refresh per key at a time
    }
    metrics.refreshed();
    try {
      refreshExecutor.execute(() -> call(origin).handle((answer, failure) -> settle(flight, key, request, policy, answer, failure)));
    } catch (RejectedExecutionException e) {
      LOG.warn("response cache: no thread to refresh {}: {}", key.path(), e.getMessage());
      flights.remove(key, flight);
      flight.done.complete(Outcome.LOOK_AGAIN);
    }
  }

  private CompletableFuture<CachedAnswer> pass(CacheRequest request, String method,
      Supplier<CompletableFuture<ClientAnswer>> origin) {
    boolean unsafe = UNSAFE_METHODS.contains(method);
    return call(origin).thenApply(answer -> {
      if (unsafe && answer.status() < 400 && !closed) {
        remove(key -> key.route().equals(request.routeKey()) && key.path().equals(request.path()));
      }
      return answered(answer, CachedAnswer.BYPASS, -1);
    });
  }

  private CompletableFuture<CachedAnswer> forCaller(Outcome outcome, CacheKey key, String cacheStatus) {
    if (outcome.failed()) {
      CachedAnswer stale = staleOnError(key);
      if (stale != null) {
        return completed(stale);
      }
      if (outcome.failure() != null) {
        metrics.served(cacheStatus);
        return CompletableFuture.failedFuture(outcome.failure());
      }
    }
    return completed(answered(outcome.answer(), cacheStatus, -1));
  }

  /** What a call's answer means for the store and for those waiting on it; stores it when it may. */
  private Outcome resolve(CacheRequest request, CachePolicy policy, CacheKey key, long purgesAtStart, ClientAnswer answer,
      Throwable failure, boolean mayStore) {
    if (failure != null) {
      return Outcome.failure(unwrap(failure));
    }
    long now = clock.millis();
    boolean authorized = request.header().apply("authorization") != null;
    if (Freshness.failed(answer)) {
      // The stored copy, if any, stays for stale-if-error.
      boolean shareable = answer.errorKind() != null || Freshness.of(answer, policy, authorized, now).shareable();
      return new Outcome(answer, null, true, shareable, false, List.of(), List.of());
    }
    Freshness.Verdict verdict = Freshness.of(answer, policy, authorized, now);
    boolean stored = mayStore && record(key, request, policy, answer, verdict, now, purgesAtStart);
    return new Outcome(answer, null, false, verdict.shareable(), stored, verdict.vary(),
        CacheKey.values(verdict.vary(), request.header()));
  }

  /** Stores an answer, or marks its key, as its verdict says; true when stored. */
  private boolean record(CacheKey key, CacheRequest request, CachePolicy policy, ClientAnswer answer, Freshness.Verdict verdict,
      long now, long purgesAtStart) {
    if (!verdict.shareable()) {
      LOG.debug("response cache: {} not shared ({})", key.path(), verdict.reason());
      if (!verdict.reason().equals(Freshness.AUTHORIZATION)) {
        // Unshareable for everyone; an answer made for one authorized requester says nothing about the others'.
        store.put(key, new HitForMiss(now + HIT_FOR_MISS.toMillis()));
      }
      return false;
    }
    if (!verdict.storable()) {
      LOG.debug("response cache: {} not stored ({})", key.path(), verdict.reason());
      store.invalidate(key); // the function's newer word replaces what we had
      return false;
    }
    ClientAnswer kept = withoutHeaders(answer, "age", "x-cache");
    Entry entry = new Entry(kept, now, verdict.initialAgeMillis(), verdict.lifetimeMillis(), verdict.staleWhileRevalidateMillis(),
        verdict.staleIfErrorMillis(), Entry.weigh(kept));
    CacheKey spec = key.specKey();
    CacheKey variantKey = spec.withVariant(verdict.vary(), request.header());
    if ((long) entry.weight() + variantKey.weight() > maxEntryBytes) {
      LOG.debug("response cache: {} not stored ({} bytes, more than cache-max-entry-bytes)", key.path(), entry.weight());
      store.invalidate(key);
      return false;
    }
    recordVarySpec(spec, verdict.vary(), policy, entry.retainUntilMillis());
    store.put(variantKey, entry);
    if (!variantKey.equals(key)) {
      store.invalidate(key); // looked up under an older Vary spec: nothing finds it any more
    }
    if (purges.get() != purgesAtStart) {
      store.asMap().remove(variantKey, entry); // a purge came while the function was answering
      return false;
    }
    return true;
  }

  private void recordVarySpec(CacheKey spec, List<String> names, CachePolicy policy, long retainUntilMillis) {
    if (names.equals(policy.vary())) {
      store.invalidate(spec); // the route's own list is known without a spec
      return;
    }
    store.asMap().compute(spec, (key, old) -> old instanceof VarySpec varySpec && varySpec.names().equals(names)
        && varySpec.retainUntilMillis() >= retainUntilMillis ? old : new VarySpec(names, retainUntilMillis));
  }

  private int remove(Predicate<CacheKey> which) {
    purges.incrementAndGet();
    int removed = 0;
    for (CacheKey key : store.asMap().keySet()) {
      if (which.test(key) && store.asMap().remove(key) instanceof Entry) {
        removed++;
      }
    }
    return removed;
  }

  /** The stored copy of a key when it may stand in for a failed call, else null. */
  private CachedAnswer staleOnError(CacheKey key) {
    long now = clock.millis();
    if (store.getIfPresent(key) instanceof Entry entry) {
      if (entry.isFresh(now)) {
        return fromStore(entry, now, CachedAnswer.HIT); // another call stored a new one meanwhile
      }
      if (entry.servableOnError(now)) {
        return fromStore(entry, now, CachedAnswer.STALE);
      }
    }
    return null;
  }

  private CachedAnswer fromStore(Entry entry, long now, String cacheStatus) {
    return answered(entry.answer(), cacheStatus, entry.ageMillis(now) / 1000);
  }

  /** The answer with our X-Cache (and Age, when not negative), counted in the metrics. */
  private CachedAnswer answered(ClientAnswer answer, String cacheStatus, long ageSeconds) {
    List<ClientAnswer.Header> headers = new ArrayList<>(answer.headers().size() + 2);
    for (ClientAnswer.Header header : answer.headers()) {
      if (!header.name().equalsIgnoreCase("x-cache") && !(ageSeconds >= 0 && header.name().equalsIgnoreCase("age"))) {
        headers.add(header);
      }
    }
    if (ageSeconds >= 0) {
      headers.add(new ClientAnswer.Header("Age", Long.toString(ageSeconds)));
    }
    headers.add(new ClientAnswer.Header("X-Cache", cacheStatus));
    metrics.served(cacheStatus);
    return new CachedAnswer(new ClientAnswer(answer.status(), headers, answer.contentType(), answer.body(), answer.errorKind()),
        cacheStatus);
  }

  private static ClientAnswer withoutHeaders(ClientAnswer answer, String... lowerNames) {
    List<ClientAnswer.Header> headers = new ArrayList<>(answer.headers().size());
    outer:
    for (ClientAnswer.Header header : answer.headers()) {
      for (String name : lowerNames) {
        if (header.name().equalsIgnoreCase(name)) {
          continue outer;
        }
      }
      headers.add(header);
    }
    return headers.size() == answer.headers().size()
        ? answer
        : new ClientAnswer(answer.status(), headers, answer.contentType(), answer.body(), answer.errorKind());
  }

  private static CompletableFuture<CachedAnswer> completed(CachedAnswer answer) {
    return CompletableFuture.completedFuture(answer);
  }

  private static CompletableFuture<ClientAnswer> call(Supplier<CompletableFuture<ClientAnswer>> origin) {
    try {
      CompletableFuture<ClientAnswer> call = origin.get();
      return call != null ? call : CompletableFuture.failedFuture(new NullPointerException("origin returned no future"));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** One call to the function that requests for the same key wait on. */
  private static final class Flight {
    final long purgesAtStart;
    final CompletableFuture<Outcome> done = new CompletableFuture<>();

    Flight(long purgesAtStart) {
      this.purgesAtStart = purgesAtStart;
    }
  }

  /**
   * How a call ended, for those who waited on it.
   *
   * @param failure what the call threw, when it did not answer
   * @param failed whether the function failed (see {@link Freshness#failed}), or the call threw
   * @param vary the headers the answer varies on, and {@code varyValues} the leader's values of them
   */
  private record Outcome(ClientAnswer answer, Throwable failure, boolean failed, boolean shareable, boolean stored,
      List<String> vary, List<String> varyValues) {

    /** The leader found the answer already stored: waiters look up again. */
    static final Outcome LOOK_AGAIN = new Outcome(null, null, false, false, false, List.of(), List.of());

    static Outcome failure(Throwable failure) {
      return new Outcome(null, failure, true, true, false, List.of(), List.of());
    }
  }

  /** Keeps each stored thing until its last window closes. */
  private static final class RetainUntil implements Expiry<CacheKey, Stored> {
    @Override
    public long expireAfterCreate(CacheKey key, Stored value, long currentTime) {
      return Math.max(0, TimeUnit.MILLISECONDS.toNanos(value.retainUntilMillis()) - currentTime);
    }

    @Override
    public long expireAfterUpdate(CacheKey key, Stored value, long currentTime, long currentDuration) {
      return expireAfterCreate(key, value, currentTime);
    }

    @Override
    public long expireAfterRead(CacheKey key, Stored value, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }
}

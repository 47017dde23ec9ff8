package dev.lambdaproxy.frontdoor;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Invocations in flight per route ({@code max-concurrency=N}), so that one slow route gets 429s
 * instead of taking the whole upstream pool. Counted by route pattern, so a reload keeps the count
 * of the requests still out.
 */
public final class Bulkheads {

  private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

  /**
   * Enters the route's bulkhead.
   *
   * @return the permit, to be {@link Permit#run() released} when the request ends; null when {@code max} are in flight
   */
  public Permit tryEnter(String route, int max) {
    AtomicInteger count = inFlight.computeIfAbsent(route, r -> new AtomicInteger());
    for (int now = count.get(); now < max; now = count.get()) {
      if (count.compareAndSet(now, now + 1)) {
        return new Permit(count);
      }
    }
    return null;
  }

  /** The requests of {@code route} in flight now. */
  public int inFlight(String route) {
    AtomicInteger count = inFlight.get(route);
    return count == null ? 0 : count.get();
  }

  /** A place in a bulkhead; running it gives the place back, the first time only, however often it runs. */
  public static final class Permit implements Runnable {
    private final AtomicInteger count;
    private final AtomicBoolean released = new AtomicBoolean();

    private Permit(AtomicInteger count) {
      this.count = count;
    }

    @Override
    public void run() {
      if (released.compareAndSet(false, true)) {
        count.decrementAndGet();
      }
    }
  }
}

package dev.lambdaproxy.runtime;

import dev.lambdaproxy.cache.ResponseCache;
import dev.lambdaproxy.frontdoor.FrontDoorState;
import java.util.Objects;
import java.util.concurrent.ForkJoinPool;

/**
 * What the proxy servlet runs on, handed from whoever started it (the jar's server, or the WAR's
 * initializer) to the shared wiring: the live configuration and the telemetry, and what outlives
 * every reload: the cache and the front door's counts (rate limits, quotas, bulkheads).
 */
public record ProxyRuntime(LiveConfig live, Telemetry telemetry, ResponseCache cache, FrontDoorState frontDoor) {

  public ProxyRuntime {
    Objects.requireNonNull(live, "live");
    Objects.requireNonNull(telemetry, "telemetry");
    Objects.requireNonNull(cache, "cache");
    Objects.requireNonNull(frontDoor, "frontDoor");
  }

  /** A runtime whose cache is sized by the configuration loaded at start. */
  public static ProxyRuntime of(LiveConfig live, Telemetry telemetry) {
    ProxyConfig config = live.current();
    // Background refreshes only start an async call, so the common pool is enough to run them.
    ResponseCache cache = new ResponseCache(config.cacheLimits().maxBytes(), config.cacheLimits().maxEntryBytes(),
        config.clock(), ForkJoinPool.commonPool(), telemetry.registry());
    return new ProxyRuntime(live, telemetry, cache, FrontDoorState.local());
  }
}

package dev.lambdaproxy.frontdoor;

import java.util.Objects;

/**
 * What the front door counts across requests and reloads: token buckets and quota counters (in a
 * {@link RateLimitStore}) and the requests in each route's bulkhead. Made once with the runtime;
 * configurations come and go, this stays.
 */
public record FrontDoorState(RateLimitStore limits, Bulkheads bulkheads) {

  public FrontDoorState {
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(bulkheads, "bulkheads");
  }

  /** Everything in this process's memory. */
  public static FrontDoorState local() {
    return new FrontDoorState(new LocalRateLimitStore(), new Bulkheads());
  }
}

package dev.lambdaproxy.frontdoor;

/**
 * A token bucket's shape, as API Gateway throttles: {@code perSecond} tokens come back each second,
 * and the bucket holds at most {@code burst}. A full bucket lets {@code burst} requests through at
 * once; after that, {@code perSecond} a second.
 *
 * @param perSecond the steady rate, requests per second, above zero
 * @param burst the bucket's size, at least 1
 */
public record RateLimit(double perSecond, long burst) {

  public RateLimit {
    if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
      throw new IllegalArgumentException("perSecond must be a positive number, was " + perSecond);
    }
    if (burst < 1) {
      throw new IllegalArgumentException("burst must be at least 1, was " + burst);
    }
  }

  /** A rate with a burst, or without one: then the rate rounded up, at least 1 (a bucket must hold a whole request). */
  public static RateLimit of(double perSecond, Integer burst) {
    return new RateLimit(perSecond, burst != null ? burst : Math.max(1, (long) Math.ceil(perSecond)));
  }
}

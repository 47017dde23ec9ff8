package dev.lambdaproxy.importer.api;

import dev.lambdaproxy.importer.source.Location;

/**
 * A rate limit: requests per second and the bucket's size.
 *
 * @param rate requests per second, or null
 * @param burst the most requests at once, or null
 */
public record Throttle(Double rate, Integer burst, Location location) {

  public boolean isEmpty() {
    return rate == null && burst == null;
  }
}

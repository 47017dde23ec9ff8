package dev.lambdaproxy.frontdoor;

import java.time.Instant;

/**
 * Where the front door keeps its token buckets and quota counters, by name ({@code route /orders},
 * {@code plan basic key mobile}). It outlives reloads: a bucket is found again by its name, and
 * reshaped when its limit changed. This process's memory is the store for now ({@link
 * LocalRateLimitStore}); a store shared by a fleet of proxies can stand in its place.
 */
public interface RateLimitStore {

  /**
   * Takes one token from the named bucket.
   *
   * @param bucket the bucket's name; never a secret (API keys are named by their name in the settings)
   * @param limit the bucket's shape: made with it when new, reshaped to it when it changed
   * @return false when the bucket is empty: the request is over the rate
   */
  boolean tryTake(String bucket, RateLimit limit);

  /**
   * Counts one request against the named quota, in the period {@code now} falls in.
   *
   * @return false when the period's quota is spent (and nothing is counted)
   */
  boolean tryCount(String counter, Quota quota, Instant now);
}

package dev.lambdaproxy.frontdoor;

import java.util.Objects;

/**
 * A usage plan ({@code usage-plan.NAME.*}): the rate, burst and quota each of its API keys gets,
 * counted per key, as API Gateway's usage plans do.
 *
 * @param name the plan's name in the settings
 * @param rate each key's token bucket, or null for no rate limit
 * @param quota each key's requests per period, or null for no quota
 */
public record UsagePlan(String name, RateLimit rate, Quota quota) {

  public UsagePlan {
    Objects.requireNonNull(name, "name");
  }
}

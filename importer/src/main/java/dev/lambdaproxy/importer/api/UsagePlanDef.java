package dev.lambdaproxy.importer.api;

import dev.lambdaproxy.importer.source.Location;
import java.util.List;
import java.util.Objects;

/**
 * A usage plan: what each of its API keys may do.
 *
 * @param id how API keys and template references find it (a logical id, or the name)
 * @param name the name it gets in {@code lambda-proxy.properties}
 * @param throttle the rate and burst per key, or null
 * @param quotaLimit requests per period, or null
 * @param quotaPeriod {@code DAY}, {@code WEEK} or {@code MONTH}, or null
 */
public record UsagePlanDef(String id, String name, Throttle throttle, Long quotaLimit, String quotaPeriod, List<Finding> leftovers,
    Location location) {

  public UsagePlanDef {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    leftovers = List.copyOf(leftovers);
    Objects.requireNonNull(location, "location");
  }
}

package dev.lambdaproxy.importer.api;

import dev.lambdaproxy.importer.source.Location;
import java.util.List;
import java.util.Objects;

/**
 * An API key: never its value, which stays in the environment.
 *
 * @param id how usage plan keys find it (a logical id)
 * @param name the name it gets in {@code lambda-proxy.properties}
 * @param plans the ids of the usage plans it belongs to
 * @param enabled false for a key API Gateway refuses
 */
public record ApiKeyDef(String id, String name, List<String> plans, boolean enabled, Location location) {

  public ApiKeyDef {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    plans = List.copyOf(plans);
    Objects.requireNonNull(location, "location");
  }

  public ApiKeyDef withPlan(String plan) {
    List<String> more = new java.util.ArrayList<>(plans);
    if (!more.contains(plan)) {
      more.add(plan);
    }
    return new ApiKeyDef(id, name, more, enabled, location);
  }
}

package dev.lambdaproxy.route;

import java.util.Map;
import java.util.Objects;

/**
 * A request path matched to a route.
 *
 * @param route the most specific route that matched
 * @param pathParameters the values of the pattern's variables, decoded; empty when it has none
 * @param remainder what a prefix or greedy route leaves after its fixed part, as decoded segments
 *     joined by '/' with no leading '/'; empty for exact and template routes
 */
public record RouteMatch(Route route, Map<String, String> pathParameters, String remainder) {

  public RouteMatch {
    Objects.requireNonNull(route, "route");
    pathParameters = Map.copyOf(pathParameters);
    Objects.requireNonNull(remainder, "remainder");
  }
}

package dev.lambdaproxy.route;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A request path matched to a route.
 *
 * @param route the most specific route that matched
 * @param pathParameters the values of the pattern's variables, decoded; empty when it has none
 * @param remainder what a prefix or greedy route leaves after its fixed part, as decoded segments
 *     joined by '/' with no leading '/'; empty for exact and template routes
 * @param allowedMethods the methods the lines of the matched path take together, in the order
 *     written (the {@code Allow} of a 405); empty when one of them takes every method
 */
public record RouteMatch(Route route, Map<String, String> pathParameters, String remainder, Set<String> allowedMethods) {

  public RouteMatch {
    Objects.requireNonNull(route, "route");
    pathParameters = Map.copyOf(pathParameters);
    Objects.requireNonNull(remainder, "remainder");
    allowedMethods = Collections.unmodifiableSet(new LinkedHashSet<>(allowedMethods));
  }

  /** A match on a path that has one line: what that line allows is all the path allows. */
  public RouteMatch(Route route, Map<String, String> pathParameters, String remainder) {
    this(route, pathParameters, remainder, route.methods());
  }
}

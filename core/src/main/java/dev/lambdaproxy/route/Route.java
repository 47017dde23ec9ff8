package dev.lambdaproxy.route;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * One line of the routes table: which paths it takes, what answers them, and how.
 *
 * @param path the path pattern (exact, template, greedy or prefix)
 * @param target the function or HTTP endpoint that answers
 * @param methods the methods the route accepts; empty means every method
 * @param timeout how long to wait for the target; null means the proxy-wide setting
 * @param line the line of the routes file the route came from
 * @param frontDoor what the route asks of the front door (authorizer, API key, limits, CORS)
 */
public record Route(PathPattern path, RouteTarget target, Set<String> methods, Duration timeout, int line,
    FrontDoorOptions frontDoor) {

  public Route {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(frontDoor, "frontDoor");
    methods = Collections.unmodifiableSet(new LinkedHashSet<>(methods)); // the order written, for Allow
  }

  /** A route that asks nothing of the front door. */
  public Route(PathPattern path, RouteTarget target, Set<String> methods, Duration timeout, int line) {
    this(path, target, methods, timeout, line, FrontDoorOptions.NONE);
  }

  public boolean allows(String method) {
    return methods.isEmpty() || methods.contains(method);
  }

  /** The pattern as written, e.g. {@code /users/{id}}. */
  public String pattern() {
    return path.toString();
  }

  /** The function of a Lambda route; null for an HTTP endpoint. */
  public FunctionTarget function() {
    return target instanceof FunctionTarget function ? function : null;
  }

  /** The endpoint of an HTTP endpoint route; null for a Lambda route. */
  public HttpEndpoint endpoint() {
    return target instanceof HttpEndpoint endpoint ? endpoint : null;
  }
}

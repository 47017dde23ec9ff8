package dev.lambdaproxy.importer.api;

import dev.lambdaproxy.importer.source.Location;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** One API as read from an export or a template, built while it is read. */
public final class ApiDef {

  private final String name;
  private final ApiKind kind;
  private final Location location;
  private final List<Operation> operations = new ArrayList<>();
  private final Map<String, AuthorizerDef> authorizers = new LinkedHashMap<>();
  private final Map<String, Throttle> routeThrottles = new LinkedHashMap<>();
  private final List<Finding> leftovers = new ArrayList<>();
  private CorsDef cors;
  private Throttle defaultThrottle;

  /**
   * @param name how the report names it: a logical id and type, or the export's file
   */
  public ApiDef(String name, ApiKind kind, Location location) {
    this.name = Objects.requireNonNull(name, "name");
    this.kind = Objects.requireNonNull(kind, "kind");
    this.location = Objects.requireNonNull(location, "location");
  }

  public String name() {
    return name;
  }

  public ApiKind kind() {
    return kind;
  }

  public Location location() {
    return location;
  }

  /** Its methods, in the order read. */
  public List<Operation> operations() {
    return operations;
  }

  /** The operation of a path and method (path compared as API Gateway does, without a trailing '/'), or null. */
  public Operation operation(String path, String method) {
    String wanted = trimSlash(path);
    for (Operation operation : operations) {
      if (operation.method().equals(method) && trimSlash(operation.path()).equals(wanted)) {
        return operation;
      }
    }
    return null;
  }

  private static String trimSlash(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  /** Its authorizers and security schemes, by the name its methods use. */
  public Map<String, AuthorizerDef> authorizers() {
    return authorizers;
  }

  /** Rate limits of single routes, by {@code METHOD /path} (a stage's method settings, a route's settings). */
  public Map<String, Throttle> routeThrottles() {
    return routeThrottles;
  }

  /** What the API as a whole does that the proxy does not (resource policy, custom domain...). */
  public List<Finding> leftovers() {
    return leftovers;
  }

  /** Null when it has none. */
  public CorsDef cors() {
    return cors;
  }

  public void cors(CorsDef cors) {
    this.cors = cors;
  }

  /** The rate limit of every route without its own, or null. */
  public Throttle defaultThrottle() {
    return defaultThrottle;
  }

  public void defaultThrottle(Throttle throttle) {
    this.defaultThrottle = throttle;
  }

  @Override
  public String toString() {
    return name;
  }
}

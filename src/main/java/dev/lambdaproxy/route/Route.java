package dev.lambdaproxy.route;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * One line of the routes table: which function answers a path, and how.
 *
 * @param path the exact request path, inside the servlet context
 * @param function the function to invoke
 * @param contentType the Content-Type of a function's plain string answer
 * @param methods the methods the route accepts; empty means every method
 * @param timeout how long to wait for the function; null means the proxy-wide setting
 * @param line the line of the routes file the route came from
 */
public record Route(String path, FunctionRef function, String contentType, Set<String> methods, Duration timeout, int line) {

  public static final String DEFAULT_CONTENT_TYPE = "text/plain; charset=utf-8";

  public Route {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(function, "function");
    Objects.requireNonNull(contentType, "contentType");
    methods = Set.copyOf(methods);
  }

  public boolean allows(String method) {
    return methods.isEmpty() || methods.contains(method);
  }
}

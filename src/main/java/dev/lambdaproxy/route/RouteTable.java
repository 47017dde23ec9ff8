package dev.lambdaproxy.route;

import dev.lambdaproxy.config.ConfigException;
import dev.lambdaproxy.config.ConfigLine;
import dev.lambdaproxy.config.Settings;
import dev.lambdaproxy.config.Suggestions;
import java.io.IOException;
import java.io.Reader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The routes of {@code routes.properties}: immutable once parsed, looked up per request. */
public final class RouteTable {

  public static final String FILE_NAME = "routes.properties";

  static final Set<String> OPTIONS = Set.of("qualifier", "content-type", "methods", "timeout-ms");
  static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

  private final Map<String, Route> byPath;
  private final List<Route> routes;

  private RouteTable(List<Route> routes) {
    this.routes = List.copyOf(routes);
    Map<String, Route> map = new HashMap<>();
    for (Route route : routes) {
      map.put(route.path(), route);
    }
    this.byPath = Map.copyOf(map);
  }

  public static RouteTable of(Collection<Route> routes) {
    return new RouteTable(new ArrayList<>(routes));
  }

  /** The route for a request path, or null. */
  public Route match(String path) {
    return byPath.get(path);
  }

  public List<Route> routes() {
    return routes;
  }

  public int size() {
    return routes.size();
  }

  /**
   * Parses a routes file: one {@code PATH = FUNCTION [; option=value]...} a line.
   *
   * @throws ConfigException naming the line and what is wrong with it
   */
  public static RouteTable parse(Reader reader) throws IOException {
    List<Route> routes = new ArrayList<>();
    Map<String, Route> seen = new HashMap<>();
    for (ConfigLine line : ConfigLine.read(FILE_NAME, reader)) {
      Route route = parseLine(line);
      Route first = seen.putIfAbsent(route.path(), route);
      if (first != null) {
        throw line.error("duplicate route for " + route.path() + " (first on line " + first.line() + ")");
      }
      routes.add(route);
    }
    return new RouteTable(routes);
  }

  static Route parseLine(ConfigLine line) {
    String path = line.key();
    if (!path.startsWith("/")) {
      throw line.error("route path '" + path + "' must start with '/'");
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c <= ' ' || c == '?' || c == '#' || c == 0x7f) {
        throw line.error("route path '" + path + "' must not contain spaces, control characters, '?' or '#'");
      }
    }
    List<String> parts = splitOptions(line);
    String functionText = parts.get(0);
    if (functionText.isEmpty()) {
      throw line.error("empty function name for " + path);
    }
    FunctionRef function;
    try {
      function = FunctionRef.parse(functionText);
    } catch (IllegalArgumentException e) {
      throw line.error(e.getMessage());
    }
    String contentType = Route.DEFAULT_CONTENT_TYPE;
    Set<String> methods = Set.of();
    Duration timeout = null;
    Set<String> given = new TreeSet<>();
    for (String part : parts.subList(1, parts.size())) {
      int equals = part.indexOf('=');
      if (equals <= 0) {
        throw line.error("expected 'option=value' after ';', found '" + part + "'");
      }
      String option = part.substring(0, equals).strip().toLowerCase(Locale.ROOT);
      String value = unquote(part.substring(equals + 1).strip());
      if (!OPTIONS.contains(option)) {
        throw line.error("unknown option '" + option + "'" + Suggestions.didYouMean(option, OPTIONS));
      }
      if (!given.add(option)) {
        throw line.error("option '" + option + "' is given twice");
      }
      if (value.isEmpty()) {
        throw line.error("option '" + option + "' has no value");
      }
      switch (option) {
        case "qualifier" -> {
          if (!FunctionRef.isValidQualifier(value)) {
            throw line.error("qualifier '" + value + "' is not an alias or version ($LATEST, 1, live...)");
          }
          if (function.qualifier() != null && !function.qualifier().equals(value)) {
            throw line.error("qualifier '" + value + "' contradicts the ':" + function.qualifier() + "' of the function");
          }
          function = function.withQualifier(value);
        }
        case "content-type" -> contentType = contentType(line, value);
        case "methods" -> methods = methods(line, value);
        case "timeout-ms" -> {
          try {
            timeout = Settings.millis(value, Settings.MAX_TIMEOUT);
          } catch (IllegalArgumentException e) {
            throw line.error("timeout-ms: " + e.getMessage());
          }
        }
        default -> throw new IllegalStateException(option);
      }
    }
    return new Route(path, function, contentType, methods, timeout, line.number());
  }

  /** Splits at {@code ;} outside double quotes, so a quoted Content-Type may carry parameters. */
  private static List<String> splitOptions(ConfigLine line) {
    List<String> parts = new ArrayList<>();
    String value = line.value();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      }
      if (c == ';' && !quoted) {
        parts.add(current.toString().strip());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    if (quoted) {
      throw line.error("unclosed '\"'");
    }
    parts.add(current.toString().strip());
    return parts;
  }

  private static String unquote(String value) {
    return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
        ? value.substring(1, value.length() - 1).strip()
        : value;
  }

  private static String contentType(ConfigLine line, String value) {
    int slash = value.indexOf('/');
    if (slash <= 0 || slash == value.length() - 1 || value.chars().anyMatch(c -> c < ' ' || c == 0x7f)) {
      throw line.error("content-type '" + value + "' is not a media type such as text/html");
    }
    // The proxy sends a string answer as UTF-8, so a text type without a charset gets one.
    String lower = value.toLowerCase(Locale.ROOT);
    if (lower.startsWith("text/") && !lower.contains("charset=")) {
      return value + "; charset=utf-8";
    }
    return value;
  }

  private static Set<String> methods(ConfigLine line, String value) {
    Set<String> methods = new LinkedHashSet<>();
    for (String method : value.split(",")) {
      String upper = method.strip().toUpperCase(Locale.ROOT);
      if (!METHODS.contains(upper)) {
        throw line.error("method '" + method.strip() + "' is not one of " + new TreeSet<>(METHODS));
      }
      methods.add(upper);
    }
    return methods;
  }

  /** Checks, once at start-up, that every route can be given a region and so an endpoint. */
  public void requireRegions(Settings settings) {
    if (settings.region() != null) {
      return;
    }
    for (Route route : routes) {
      if (route.function().region() == null) {
        throw new ConfigException(FILE_NAME + ":" + route.line() + ": no region for function '"
            + route.function().display() + "': set region in " + Settings.FILE_NAME
            + " or AWS_REGION, or name the function by its full ARN");
      }
    }
  }
}

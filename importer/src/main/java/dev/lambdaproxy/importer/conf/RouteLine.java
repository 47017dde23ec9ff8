package dev.lambdaproxy.importer.conf;

import dev.lambdaproxy.importer.source.Location;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One line of the written {@code routes.properties}: a path, the methods it takes (empty for all),
 * its target and options, and the methods of the API it came from.
 */
final class RouteLine {

  /** The options in the order lines write them: what is called, then the front door. */
  static final List<String> OPTION_ORDER = List.of("event", "timeout-ms", "authorizer", "scopes", "require-api-key", "cors", "rate",
      "burst", "max-concurrency");

  /** The methods a routes file knows, in the order lines name them. */
  static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

  private final String path;
  private final Set<String> methods = new LinkedHashSet<>();
  private final String target;
  private final Map<String, String> options;
  private final List<String> sources = new ArrayList<>();
  private final Location firstSource;

  RouteLine(String path, String target, Map<String, String> options, Location firstSource) {
    this.path = Objects.requireNonNull(path, "path");
    this.target = Objects.requireNonNull(target, "target");
    this.options = new LinkedHashMap<>(options);
    this.firstSource = firstSource;
  }

  String path() {
    return path;
  }

  Set<String> methods() {
    return methods;
  }

  String target() {
    return target;
  }

  Map<String, String> options() {
    return options;
  }

  /** {@code GET 01-petstore.json:52 /paths/~1pets/get}: where each method of the line came from. */
  List<String> sources() {
    return sources;
  }

  Location firstSource() {
    return firstSource;
  }

  /** Whether another line would do exactly what this one does for its methods. */
  boolean sameTargetAs(RouteLine other) {
    return path.equals(other.path) && target.equals(other.target) && options.equals(other.options);
  }

  private static int rank(String option) {
    int rank = OPTION_ORDER.indexOf(option);
    return rank < 0 ? OPTION_ORDER.size() : rank;
  }

  /** A value as routes.properties reads it: in double quotes when it holds ';', '"' or blanks. */
  static String quoted(String value) {
    if (value.chars().noneMatch(c -> c == ';' || c == '"' || Character.isWhitespace(c))) {
      return value;
    }
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  /** The line as routes.properties writes it; {@code methods=} only when it does not take every method. */
  String render() {
    StringBuilder line = new StringBuilder(path).append(" = ").append(target);
    if (!methods.isEmpty() && !methods.containsAll(METHODS)) {
      Set<String> ordered = new TreeSet<>((a, b) -> Integer.compare(METHODS.indexOf(a), METHODS.indexOf(b)));
      ordered.addAll(methods);
      line.append(" ; methods=").append(String.join(",", ordered));
    }
    List<Map.Entry<String, String>> ordered = new ArrayList<>(options.entrySet());
    ordered.sort((a, b) -> Integer.compare(rank(a.getKey()), rank(b.getKey())));
    for (Map.Entry<String, String> option : ordered) {
      line.append(" ; ").append(option.getKey()).append('=').append(quoted(option.getValue()));
    }
    return line.toString();
  }
}

package dev.lambdaproxy.route;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The path side of a route: an exact path ({@code /hello}), a template ({@code /users/{id}}), a
 * greedy template ({@code /files/{path+}}) or a prefix ({@code /api/*}).
 *
 * <p>Patterns are ordered by how specific they are: exact before template before greedy before
 * prefix; within a kind, more literal segments first; then, segment by segment from the left, a
 * literal before a variable. Two patterns of the same shape (the same
 * literals and variables in the same places) could match the same paths with nothing to choose
 * between them: that is a configuration error, found by {@link #sameShape}.
 */
public final class PathPattern implements Comparable<PathPattern> {

  /** What a pattern is, most specific first. */
  public enum Kind { EXACT, TEMPLATE, GREEDY, PREFIX }

  private enum SegmentKind { LITERAL, VARIABLE, GREEDY }

  private record Segment(SegmentKind kind, String text) {}

  private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z0-9._-]+");

  private final String text;
  private final Kind kind;
  private final Segment[] segments;

  private PathPattern(String text, Kind kind, Segment[] segments) {
    this.text = text;
    this.kind = kind;
    this.segments = segments;
  }

  /**
   * Parses a route key.
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  public static PathPattern parse(String text) {
    Objects.requireNonNull(text, "text");
    if (!text.startsWith("/")) {
      throw new IllegalArgumentException("route path '" + text + "' must start with '/'");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c <= ' ' || c == '?' || c == '#' || c == 0x7f) {
        throw new IllegalArgumentException("route path '" + text + "' must not contain spaces, control characters, '?' or '#'");
      }
    }
    boolean prefix = text.endsWith("/*");
    String body = prefix ? text.substring(0, text.length() - 2) : text;
    if (body.contains("*")) {
      throw new IllegalArgumentException("route path '" + text + "': '*' may only end a path, as in /api/*");
    }
    List<Segment> segments = new ArrayList<>();
    Set<String> names = new HashSet<>();
    boolean variables = false;
    boolean greedy = false;
    String[] parts = body.isEmpty() ? new String[0] : body.substring(1).split("/", -1);
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (part.startsWith("{") && part.endsWith("}")) {
        String name = part.substring(1, part.length() - 1);
        boolean plus = name.endsWith("+");
        if (plus) {
          name = name.substring(0, name.length() - 1);
          if (i != parts.length - 1 || prefix) {
            throw new IllegalArgumentException("route path '" + text + "': a greedy {" + name + "+} must be the last segment");
          }
          greedy = true;
        }
        if (!VARIABLE_NAME.matcher(name).matches()) {
          throw new IllegalArgumentException("route path '" + text + "': '" + part + "' is not a {name} or {name+}");
        }
        if (!names.add(name)) {
          throw new IllegalArgumentException("route path '" + text + "': {" + name + "} appears twice");
        }
        variables = true;
        segments.add(new Segment(plus ? SegmentKind.GREEDY : SegmentKind.VARIABLE, name));
      } else if (part.contains("{") || part.contains("}")) {
        throw new IllegalArgumentException("route path '" + text + "': a {variable} must be a whole segment");
      } else {
        segments.add(new Segment(SegmentKind.LITERAL, part));
      }
    }
    if (prefix && variables) {
      throw new IllegalArgumentException("route path '" + text + "': a prefix route /path/* cannot have {variables}");
    }
    Kind kind = prefix ? Kind.PREFIX : greedy ? Kind.GREEDY : variables ? Kind.TEMPLATE : Kind.EXACT;
    return new PathPattern(text, kind, segments.toArray(Segment[]::new));
  }

  public Kind kind() {
    return kind;
  }

  /** The pattern as written. */
  @Override
  public String toString() {
    return text;
  }

  /** The {@code /api} of a prefix pattern {@code /api/*} (empty for {@code /*}). */
  String prefix() {
    return kind == Kind.PREFIX ? text.substring(0, text.length() - 2) : text;
  }

  /**
   * Matches a decoded, normalized path.
   *
   * @param segments the path split on '/' without the leading empty segment ({@code /a/b} gives [a, b])
   * @return the path parameters (an empty map when the pattern has none), or null when it does not match
   */
  Map<String, String> match(String path, String[] segments) {
    switch (kind) {
      case EXACT:
        return text.equals(path) ? Map.of() : null;
      case PREFIX: {
        String prefix = prefix();
        return path.equals(prefix) || path.startsWith(prefix + "/") || prefix.isEmpty() ? Map.of() : null;
      }
      default:
        break;
    }
    boolean greedy = kind == Kind.GREEDY;
    int fixed = greedy ? this.segments.length - 1 : this.segments.length;
    if (greedy ? segments.length <= fixed : segments.length != fixed) {
      return null; // a greedy variable needs at least one segment, as {proxy+} in API Gateway
    }
    Map<String, String> parameters = null;
    for (int i = 0; i < fixed; i++) {
      Segment segment = this.segments[i];
      if (segment.kind == SegmentKind.LITERAL) {
        if (!segment.text.equals(segments[i])) {
          return null;
        }
      } else {
        if (segments[i].isEmpty()) {
          return null; // /users/ does not give an empty {id}
        }
        if (parameters == null) {
          parameters = new LinkedHashMap<>();
        }
        parameters.put(segment.text, segments[i]);
      }
    }
    if (greedy) {
      String rest = String.join("/", Arrays.copyOfRange(segments, fixed, segments.length));
      if (rest.isEmpty()) {
        return null;
      }
      if (parameters == null) {
        parameters = new LinkedHashMap<>();
      }
      parameters.put(this.segments[fixed].text, rest);
    }
    return parameters == null ? Map.of() : parameters;
  }

  /** The names of the pattern's variables, left to right, a greedy one included. */
  public List<String> variables() {
    List<String> names = new ArrayList<>();
    for (Segment segment : segments) {
      if (segment.kind != SegmentKind.LITERAL) {
        names.add(segment.text);
      }
    }
    return names;
  }

  /** The name of the greedy variable ({@code path} of {@code /files/{path+}}), or null. */
  public String greedyVariable() {
    return kind == Kind.GREEDY ? segments[segments.length - 1].text : null;
  }

  /** How many leading segments of a matched path the pattern consumed before its greedy part or prefix ends. */
  int fixedSegments() {
    if (kind == Kind.GREEDY) {
      return segments.length - 1;
    }
    return segments.length;
  }

  private int literals() {
    int count = 0;
    for (Segment segment : segments) {
      if (segment.kind == SegmentKind.LITERAL) {
        count++;
      }
    }
    return count;
  }

  /**
   * The pattern with its variables unnamed ({@code /users/{}}, {@code /files/{+}}): two patterns
   * with the same shape match exactly the same paths.
   */
  public String shape() {
    if (kind == Kind.EXACT || kind == Kind.PREFIX) {
      return text;
    }
    StringBuilder shape = new StringBuilder(text.length());
    for (Segment segment : segments) {
      shape.append('/').append(switch (segment.kind) {
        case LITERAL -> segment.text;
        case VARIABLE -> "{}";
        case GREEDY -> "{+}";
      });
    }
    return shape.toString();
  }

  /** Whether two patterns have the same literals and variables in the same places: neither could win. */
  public boolean sameShape(PathPattern other) {
    if (kind != other.kind || segments.length != other.segments.length) {
      return false;
    }
    for (int i = 0; i < segments.length; i++) {
      Segment a = segments[i];
      Segment b = other.segments[i];
      if (a.kind != b.kind || (a.kind == SegmentKind.LITERAL && !a.text.equals(b.text))) {
        return false;
      }
    }
    return true;
  }

  /** Most specific first. */
  @Override
  public int compareTo(PathPattern other) {
    int byKind = kind.compareTo(other.kind);
    if (byKind != 0) {
      return byKind;
    }
    int byLiterals = Integer.compare(other.literals(), literals());
    if (byLiterals != 0) {
      return byLiterals;
    }
    int common = Math.min(segments.length, other.segments.length);
    for (int i = 0; i < common; i++) {
      int bySegment = segments[i].kind.compareTo(other.segments[i].kind);
      if (bySegment != 0) {
        return bySegment;
      }
    }
    // Longer first: /api/v1/* before /api/*; among templates the lengths never overlap anyway.
    int byLength = Integer.compare(other.segments.length, segments.length);
    return byLength != 0 ? byLength : text.compareTo(other.text);
  }
}

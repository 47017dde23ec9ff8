package dev.lambdaproxy.cache;

import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The directives of a {@code Cache-Control} field (RFC 9111 5.2): names lower-cased, quoted
 * arguments unquoted; the first of a repeated directive counts.
 */
final class CacheControl {

  /** RFC 9111 1.2.2: a delta-seconds too large to represent is taken as 2^31. */
  static final long MAX_DELTA_SECONDS = 1L << 31;

  static final CacheControl NONE = new CacheControl(Map.of());

  private final Map<String, String> directives;

  private CacheControl(Map<String, String> directives) {
    this.directives = directives;
  }

  /** Parses one or more Cache-Control values joined by commas. */
  static CacheControl parse(String value) {
    if (value == null || value.isBlank()) {
      return NONE;
    }
    Map<String, String> directives = new HashMap<>();
    int i = 0;
    int length = value.length();
    while (i < length) {
      int nameStart = i;
      while (i < length && value.charAt(i) != ',' && value.charAt(i) != '=') {
        i++;
      }
      String name = value.substring(nameStart, i).strip().toLowerCase(Locale.ROOT);
      String argument = "";
      if (i < length && value.charAt(i) == '=') {
        i++;
        while (i < length && value.charAt(i) == ' ') {
          i++;
        }
        if (i < length && value.charAt(i) == '"') {
          StringBuilder quoted = new StringBuilder();
          i++;
          while (i < length && value.charAt(i) != '"') {
            if (value.charAt(i) == '\\' && i + 1 < length) {
              i++;
            }
            quoted.append(value.charAt(i++));
          }
          i++; // the closing quote
          argument = quoted.toString();
          while (i < length && value.charAt(i) != ',') {
            i++;
          }
        } else {
          int argumentStart = i;
          while (i < length && value.charAt(i) != ',') {
            i++;
          }
          argument = value.substring(argumentStart, i).strip();
        }
      }
      i++; // the comma
      if (!name.isEmpty()) {
        directives.putIfAbsent(name, argument);
      }
    }
    return new CacheControl(Collections.unmodifiableMap(directives));
  }

  boolean has(String name) {
    return directives.containsKey(name);
  }

  boolean isEmpty() {
    return directives.isEmpty();
  }

  /**
   * A delta-seconds argument: null when the directive is absent; 0 when its argument is not a
   * non-negative integer (RFC 9111 4.2.1: an invalid lifetime means stale); at most 2^31.
   */
  Long seconds(String name) {
    String argument = directives.get(name);
    if (argument == null) {
      return null;
    }
    return deltaSeconds(argument);
  }

  /** A delta-seconds value (RFC 9111 1.2.2), 0 when invalid, at most 2^31. */
  static long deltaSeconds(String text) {
    String digits = text.strip();
    if (digits.isEmpty()) {
      return 0;
    }
    long seconds = 0;
    for (int i = 0; i < digits.length(); i++) {
      char c = digits.charAt(i);
      if (c < '0' || c > '9') {
        return 0;
      }
      seconds = Math.min(MAX_DELTA_SECONDS, seconds * 10 + (c - '0'));
    }
    return seconds;
  }

  @Override
  public String toString() {
    return directives.toString();
  }
}

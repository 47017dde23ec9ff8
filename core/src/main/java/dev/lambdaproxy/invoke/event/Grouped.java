package dev.lambdaproxy.invoke.event;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Values grouped by name in order of first appearance: the shape of an event's headers and query
 * parameters. Built once per event, read by its writer.
 */
final class Grouped {

  /** One name and all its values, in arrival order. */
  static final class Group {
    final String name;
    final List<String> values = new ArrayList<>(1);

    Group(String name) {
      this.name = name;
    }

    String last() {
      return values.get(values.size() - 1);
    }

    /** API Gateway 2.0 joins repeated values with a bare comma: {@code "value1,value2"}. */
    String joined() {
      return values.size() == 1 ? values.get(0) : String.join(",", values);
    }
  }

  private final Map<String, Group> groups = new LinkedHashMap<>();

  private Grouped() {}

  Collection<Group> groups() {
    return groups.values();
  }

  boolean isEmpty() {
    return groups.isEmpty();
  }

  Group get(String key) {
    return groups.get(key);
  }

  private void add(String key, String name, String value) {
    groups.computeIfAbsent(key, k -> new Group(name)).values.add(value);
  }

  /**
   * Headers grouped without regard to case, as HTTP names are.
   *
   * @param lowerCaseNames whether names are shown lower-cased (2.0) or with the first spelling received (1.0)
   * @param leftOut a lower-case name to leave out, or null
   */
  static Grouped headers(List<Header> headers, boolean lowerCaseNames, String leftOut) {
    Grouped grouped = new Grouped();
    for (Header header : headers) {
      String key = header.name().toLowerCase(Locale.ROOT);
      if (!key.equals(leftOut)) {
        grouped.add(key, lowerCaseNames ? key : header.name(), header.value());
      }
    }
    return grouped;
  }

  /**
   * Query parameters, names and values form-decoded ({@code +} is a space), names case-sensitive as
   * API Gateway treats them. A parameter without {@code =} has the value {@code ""}.
   */
  static Grouped query(String rawQuery) {
    Grouped grouped = new Grouped();
    if (rawQuery == null) {
      return grouped;
    }
    int start = 0;
    while (start <= rawQuery.length()) {
      int end = rawQuery.indexOf('&', start);
      if (end < 0) {
        end = rawQuery.length();
      }
      if (end > start) {
        int equals = rawQuery.indexOf('=', start);
        if (equals < 0 || equals > end) {
          equals = end;
        }
        String name = decode(rawQuery, start, equals);
        String value = equals == end ? "" : decode(rawQuery, equals + 1, end);
        grouped.add(name, name, value);
      }
      start = end + 1;
    }
    return grouped;
  }

  /**
   * Form-decodes {@code text[from, to)}. A {@code %} not followed by two hex digits stays as it is
   * rather than failing the request; bytes that are not UTF-8 become U+FFFD.
   */
  static String decode(String text, int from, int to) {
    boolean plain = true;
    for (int i = from; i < to && plain; i++) {
      char c = text.charAt(i);
      plain = c != '%' && c != '+';
    }
    if (plain) {
      return text.substring(from, to);
    }
    StringBuilder decoded = new StringBuilder(to - from);
    byte[] pending = null;
    int pendingLength = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      int octet = c == '%' ? hex(text, i + 1, to) : -1;
      if (octet >= 0) {
        if (pending == null) {
          pending = new byte[(to - i) / 3]; // every escaped byte takes three characters
        }
        pending[pendingLength++] = (byte) octet;
        i += 2;
        continue;
      }
      if (pendingLength > 0) {
        decoded.append(new String(pending, 0, pendingLength, StandardCharsets.UTF_8));
        pendingLength = 0;
      }
      decoded.append(c == '+' ? ' ' : c);
    }
    if (pendingLength > 0) {
      decoded.append(new String(pending, 0, pendingLength, StandardCharsets.UTF_8));
    }
    return decoded.toString();
  }

  /** The byte of the two hex digits at {@code text[at, at + 2)}, or -1. */
  private static int hex(String text, int at, int to) {
    if (at + 1 >= to) {
      return -1;
    }
    int high = hexDigit(text.charAt(at));
    int low = hexDigit(text.charAt(at + 1));
    return high < 0 || low < 0 ? -1 : high << 4 | low;
  }

  /** ASCII only: {@link Character#digit} would also take other scripts' digits. */
  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}

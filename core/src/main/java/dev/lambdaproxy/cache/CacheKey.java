package dev.lambdaproxy.cache;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Where an answer is stored: route, path and sorted query (GET and HEAD share it), plus the
 * variant, the values of the request headers its Vary names.
 *
 * <p>{@code variant} is null for the key of the Vary spec of (route, path, query): the header names
 * its answers vary on, known only once an answer came.
 */
record CacheKey(String route, String path, String query, String variant) {

  /** Stands for a header the request did not send, which differs from one sent empty. */
  private static final String ABSENT = "\u0001";
  private static final char SEPARATOR = '\u0000';

  /** What a key costs besides its characters (object headers, references, hash). */
  static final int OVERHEAD = 64;

  /** The key of the Vary spec of a (route, path, query). */
  static CacheKey spec(String route, String path, String rawQuery) {
    return new CacheKey(route, path, sortedQuery(rawQuery), null);
  }

  CacheKey withVariant(List<String> varyNames, Function<String, String> header) {
    return new CacheKey(route, path, query, variant(varyNames, header));
  }

  CacheKey specKey() {
    return variant == null ? this : new CacheKey(route, path, query, null);
  }

  int weight() {
    return OVERHEAD + 2 * (route.length() + path.length() + query.length() + (variant == null ? 0 : variant.length()));
  }

  /**
   * The query with its parameters sorted by name, then value, each kept as the client encoded it;
   * empty parameters ({@code a=1&&b=2}) are dropped.
   */
  static String sortedQuery(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    String[] parameters = rawQuery.split("&");
    if (parameters.length == 1) {
      return rawQuery;
    }
    Arrays.sort(parameters, CacheKey::compareParameters);
    StringBuilder sorted = new StringBuilder(rawQuery.length());
    for (String parameter : parameters) {
      if (!parameter.isEmpty()) {
        if (sorted.length() > 0) {
          sorted.append('&');
        }
        sorted.append(parameter);
      }
    }
    return sorted.toString();
  }

  private static int compareParameters(String a, String b) {
    int aEquals = a.indexOf('=');
    int bEquals = b.indexOf('=');
    String aName = aEquals < 0 ? a : a.substring(0, aEquals);
    String bName = bEquals < 0 ? b : b.substring(0, bEquals);
    int byName = aName.compareTo(bName);
    if (byName != 0) {
      return byName;
    }
    // "a" (no value) sorts before "a=" and "a=x".
    String aValue = aEquals < 0 ? "" : a.substring(aEquals);
    String bValue = bEquals < 0 ? "" : b.substring(bEquals);
    return aValue.compareTo(bValue);
  }

  /** The request's values of the Vary headers, in the order of the (sorted) names, values trimmed. */
  static String variant(List<String> varyNames, Function<String, String> header) {
    if (varyNames.isEmpty()) {
      return "";
    }
    StringBuilder variant = new StringBuilder();
    for (String name : varyNames) {
      String value = header.apply(name);
      variant.append(name).append('=').append(value == null ? ABSENT : value.strip()).append(SEPARATOR);
    }
    return variant.toString();
  }

  /** The request's values of some headers, trimmed, for comparing two requests. */
  static List<String> values(List<String> names, Function<String, String> header) {
    List<String> values = new ArrayList<>(names.size());
    for (String name : names) {
      String value = header.apply(name);
      values.add(value == null ? ABSENT : value.strip());
    }
    return values;
  }

  /**
   * Whether this key is covered by a purge pattern: {@code /*} is everything, {@code /a/*} is
   * {@code /a} and everything below it, anything else the one path.
   */
  boolean matchesPurge(String pattern) {
    if (pattern.equals("/*")) {
      return true;
    }
    if (pattern.endsWith("/*")) {
      String prefix = pattern.substring(0, pattern.length() - 2);
      return path.equals(prefix) || (path.startsWith(prefix) && path.charAt(prefix.length()) == '/');
    }
    return path.equals(pattern);
  }
}

package dev.lambdaproxy.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * How one route caches, from its options in {@code routes.properties}.
 *
 * <p>The function's own {@code Cache-Control} and {@code Expires} win over these defaults: {@link #ttl}
 * applies only to an answer that gives no lifetime of its own, and the stale windows only to an
 * answer that sends no {@code stale-while-revalidate} / {@code stale-if-error} of its own (nor
 * {@code must-revalidate}, {@code proxy-revalidate} or {@code s-maxage}, which forbid stale serves
 * the function did not allow itself).
 *
 * @param ttl {@code cache=}: how long an answer without a lifetime of its own stays fresh; zero stores
 *     only answers that give one
 * @param staleWhileRevalidate {@code stale-while-revalidate=}: how long past its freshness an answer is
 *     served at once while one background call refreshes it
 * @param staleIfError {@code stale-if-error=}: how long past its freshness an answer stands in for a
 *     failed call (5xx, timeout, function error)
 * @param vary {@code vary=}: request headers (lower-case) that select a variant, on top of the
 *     function's {@code Vary}
 * @param honorClientNoCache {@code client-no-cache=honor}: a client's {@code Cache-Control: no-cache}
 *     (or {@code Pragma: no-cache}) goes to the function; by default it is ignored, so clients cannot
 *     force invocations
 */
public record CachePolicy(Duration ttl, Duration staleWhileRevalidate, Duration staleIfError, List<String> vary,
    boolean honorClientNoCache) {

  /** The route options this class reads; a route table that checks option names should accept these. */
  public static final Set<String> OPTIONS = Set.of("cache", "stale-while-revalidate", "stale-if-error", "vary", "client-no-cache");

  public CachePolicy {
    requireWindow("ttl", ttl);
    requireWindow("staleWhileRevalidate", staleWhileRevalidate);
    requireWindow("staleIfError", staleIfError);
    Objects.requireNonNull(vary, "vary");
    TreeSet<String> names = new TreeSet<>();
    for (String name : vary) {
      names.add(headerName(Objects.requireNonNull(name, "vary name")));
    }
    vary = List.copyOf(names);
  }

  /** A policy with a default lifetime and nothing else: no stale serves, no route {@code vary=}. */
  public static CachePolicy of(Duration ttl) {
    return new CachePolicy(ttl, Duration.ZERO, Duration.ZERO, List.of(), false);
  }

  /**
   * Reads a route's cache options; the other options of the route are ignored.
   *
   * @param routeOptions option name (lower-case) to value
   * @return the policy, or null when the route has no {@code cache=} and so caches nothing
   * @throws IllegalArgumentException naming the option and what is wrong with its value
   */
  public static CachePolicy parse(Map<String, String> routeOptions) {
    String cache = routeOptions.get("cache");
    if (cache == null) {
      for (String option : OPTIONS) {
        if (routeOptions.containsKey(option)) {
          throw new IllegalArgumentException(option + " needs cache=DURATION on the same route (cache=30s, cache=5m)");
        }
      }
      return null;
    }
    Duration ttl = Durations.parse("cache", cache);
    Duration swr = window(routeOptions, "stale-while-revalidate");
    Duration sie = window(routeOptions, "stale-if-error");
    List<String> vary = routeOptions.containsKey("vary") ? varyList(routeOptions.get("vary")) : List.of();
    boolean honor = false;
    String clientNoCache = routeOptions.get("client-no-cache");
    if (clientNoCache != null) {
      switch (clientNoCache.strip().toLowerCase(Locale.ROOT)) {
        case "honor" -> honor = true;
        case "ignore" -> honor = false;
        default -> throw new IllegalArgumentException("client-no-cache: '" + clientNoCache + "' must be honor or ignore");
      }
    }
    return new CachePolicy(ttl, swr, sie, vary, honor);
  }

  private static Duration window(Map<String, String> routeOptions, String option) {
    String value = routeOptions.get(option);
    return value == null ? Duration.ZERO : Durations.parse(option, value);
  }

  private static List<String> varyList(String text) {
    List<String> names = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      String name = part.strip();
      if (name.equals("*")) {
        throw new IllegalArgumentException("vary: '*' would make every request a variant of its own; list header names,"
            + " as in vary=accept-language,x-tenant");
      }
      if (name.isEmpty() || !isToken(name)) {
        throw new IllegalArgumentException("vary: '" + text + "' must be header names separated by commas,"
            + " as in vary=accept-language,x-tenant");
      }
      names.add(name);
    }
    return names;
  }

  private static String headerName(String name) {
    String lower = name.strip().toLowerCase(Locale.ROOT);
    if (!isToken(lower) || lower.equals("*")) {
      throw new IllegalArgumentException("vary: '" + name + "' is not a header name");
    }
    return lower;
  }

  static boolean isToken(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static void requireWindow(String name, Duration window) {
    Objects.requireNonNull(window, name);
    if (window.isNegative() || window.compareTo(Durations.MAX) > 0) {
      throw new IllegalArgumentException(name + " must be between 0 and 365 days, was " + window);
    }
  }
}

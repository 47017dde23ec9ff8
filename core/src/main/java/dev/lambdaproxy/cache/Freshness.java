package dev.lambdaproxy.cache;

import dev.lambdaproxy.http.ClientAnswer;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether a function's answer may be shared and stored, and for how long: RFC 9111 for a shared
 * cache, with RFC 5861's stale-while-revalidate and stale-if-error, the route's policy filling in
 * what the function leaves unsaid.
 */
final class Freshness {

  /** RFC 9111 4.2.2's heuristically cacheable statuses that this cache stores; other statuses never are. */
  static final Set<Integer> STORABLE_STATUSES = Set.of(200, 203, 204, 300, 301, 404, 410);

  /** Proxy-made errors that mean the function failed, whatever status the route maps them to. */
  static final Set<String> FAILURE_KINDS = Set.of("function_error", "timeout");

  /** The reason of an answer not shared because its request carried Authorization. */
  static final String AUTHORIZATION = "authorization";

  private Freshness() {}

  /**
   * The cache's reading of one answer.
   *
   * @param shareable whether the answer may go to clients other than the one it was made for
   *     (concurrent waiters, later requests): no {@code private}, {@code no-store}, {@code no-cache},
   *     {@code Set-Cookie}, {@code Vary: *}, nor a response to an authorized request that the function
   *     did not mark as shared
   * @param storable whether it is kept: shareable, a function's answer, a storable status and some
   *     time left to use it
   * @param reason why it is not stored, or {@code stored}
   * @param vary the request headers that select its variant (the function's Vary and the route's),
   *     lower-case and sorted
   */
  record Verdict(boolean shareable, boolean storable, String reason, long lifetimeMillis, long staleWhileRevalidateMillis,
      long staleIfErrorMillis, long initialAgeMillis, List<String> vary) {

    static Verdict notShareable(String reason, List<String> vary) {
      return new Verdict(false, false, reason, 0, 0, 0, 0, vary);
    }
  }

  /** Whether the function failed: a 5xx, or a function error or timeout whatever its status. */
  static boolean failed(ClientAnswer answer) {
    return answer.status() >= 500 || (answer.errorKind() != null && FAILURE_KINDS.contains(answer.errorKind()));
  }

  static Verdict of(ClientAnswer answer, CachePolicy policy, boolean requestAuthorized, long nowMillis) {
    CacheControl cacheControl = CacheControl.parse(header(answer, "cache-control"));
    TreeSet<String> varyNames = new TreeSet<>(policy.vary());
    boolean varyStar = readVary(header(answer, "vary"), varyNames);
    List<String> vary = List.copyOf(varyNames);
    if (cacheControl.has("no-store")) {
      return Verdict.notShareable("no-store", vary);
    }
    if (cacheControl.has("private")) {
      return Verdict.notShareable("private", vary);
    }
    if (cacheControl.has("no-cache")) {
      // We cannot revalidate against Lambda (no conditional Invoke), so "use only after revalidation" is "do not reuse".
      return Verdict.notShareable("no-cache", vary);
    }
    if (header(answer, "set-cookie") != null) {
      return Verdict.notShareable("set-cookie", vary);
    }
    if (varyStar) {
      return Verdict.notShareable("vary *", vary);
    }
    Long sMaxAge = cacheControl.seconds("s-maxage");
    if (requestAuthorized && !(cacheControl.has("public") || sMaxAge != null || cacheControl.has("must-revalidate"))) {
      return Verdict.notShareable(AUTHORIZATION, vary); // RFC 9111 3.5
    }
    Long maxAge = cacheControl.seconds("max-age");
    String expires = firstHeader(answer, "expires");
    long lifetime;
    if (sMaxAge != null) {
      lifetime = sMaxAge * 1000;
    } else if (maxAge != null) {
      lifetime = maxAge * 1000;
    } else if (expires != null) {
      lifetime = expiresLifetime(expires, firstHeader(answer, "date"), nowMillis);
    } else {
      lifetime = policy.ttl().toMillis();
    }
    // Stale serves the function did not allow itself are forbidden by these (RFC 9111 4.2.4, 5.2.2.10).
    boolean forbidsRouteStale = cacheControl.has("must-revalidate") || cacheControl.has("proxy-revalidate") || sMaxAge != null;
    long staleWhileRevalidate = window(cacheControl.seconds("stale-while-revalidate"), forbidsRouteStale, policy.staleWhileRevalidate().toMillis());
    long staleIfError = window(cacheControl.seconds("stale-if-error"), forbidsRouteStale, policy.staleIfError().toMillis());
    String age = header(answer, "age");
    long initialAge = age == null ? 0 : CacheControl.deltaSeconds(firstValue(age)) * 1000;
    String reason;
    if (answer.errorKind() != null) {
      reason = "proxy error";
    } else if (!STORABLE_STATUSES.contains(answer.status())) {
      reason = "status " + answer.status();
    } else if (initialAge >= lifetime + Math.max(staleWhileRevalidate, staleIfError)) {
      reason = "no lifetime";
    } else {
      reason = "stored";
    }
    return new Verdict(true, reason.equals("stored"), reason, lifetime, staleWhileRevalidate, staleIfError, initialAge, vary);
  }

  private static long window(Long fromAnswer, boolean forbidsRouteStale, long fromRoute) {
    if (fromAnswer != null) {
      return fromAnswer * 1000;
    }
    return forbidsRouteStale ? 0 : fromRoute;
  }

  /** Expires minus Date, or minus now without a valid Date; an invalid Expires means already expired. */
  private static long expiresLifetime(String expires, String date, long nowMillis) {
    Instant expiresAt = httpDate(expires);
    if (expiresAt == null) {
      return 0;
    }
    Instant dateAt = date == null ? null : httpDate(date);
    long base = dateAt != null ? dateAt.toEpochMilli() : nowMillis;
    return Math.min(Math.max(0, expiresAt.toEpochMilli() - base), CacheControl.MAX_DELTA_SECONDS * 1000);
  }

  static Instant httpDate(String text) {
    try {
      return Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(text.strip()));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** Adds the names of a Vary value to {@code names}; true when it holds {@code *}. */
  private static boolean readVary(String value, Set<String> names) {
    if (value == null) {
      return false;
    }
    boolean star = false;
    for (String part : value.split(",")) {
      String name = part.strip().toLowerCase(Locale.ROOT);
      if (name.equals("*")) {
        star = true;
      } else if (!name.isEmpty()) {
        names.add(name);
      }
    }
    return star;
  }

  private static String firstValue(String joined) {
    int comma = joined.indexOf(',');
    return comma < 0 ? joined : joined.substring(0, comma);
  }

  /** The first value of a header (dates hold commas, so theirs cannot be joined), or null. */
  static String firstHeader(ClientAnswer answer, String lowerName) {
    for (ClientAnswer.Header header : answer.headers()) {
      if (header.name().equalsIgnoreCase(lowerName)) {
        return header.value();
      }
    }
    return null;
  }

  /** All values of a header, in order, joined by ", "; null when the answer has none. */
  static String header(ClientAnswer answer, String lowerName) {
    String joined = null;
    for (ClientAnswer.Header header : answer.headers()) {
      if (header.name().equalsIgnoreCase(lowerName)) {
        joined = joined == null ? header.value() : joined + ", " + header.value();
      }
    }
    return joined;
  }
}

package dev.lambdaproxy.cache;

import java.util.Objects;
import java.util.function.Function;

/**
 * What the cache needs to know of a client request.
 *
 * @param routeKey the route it matched (its pattern, e.g. {@code /users/{id}}); entries of two routes never mix
 * @param method the client's method; GET and HEAD share entries
 * @param path the path inside the context, decoded, as routes match it
 * @param rawQuery the query as the client sent it (still encoded), or null for none
 * @param header the client's request header by lower-case name (several values comma-joined), or null
 *     when absent. It is read after the client was answered (a background refresh learns the Vary of
 *     its answer then), so it must look up a copy of the headers, never the live servlet request,
 *     which the container recycles
 * @param clientNoCache whether the client asked for a fresh answer ({@link #asksForFreshAnswer})
 */
public record CacheRequest(String routeKey, String method, String path, String rawQuery, Function<String, String> header,
    boolean clientNoCache) {

  public CacheRequest {
    Objects.requireNonNull(routeKey, "routeKey");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(header, "header");
  }

  /** A request whose {@link #clientNoCache} is read from its own headers. */
  public static CacheRequest of(String routeKey, String method, String path, String rawQuery, Function<String, String> header) {
    return new CacheRequest(routeKey, method, path, rawQuery, header, asksForFreshAnswer(header));
  }

  /**
   * Whether a client's headers ask caches for a fresh answer: {@code Cache-Control: no-cache} or
   * {@code max-age=0}, or {@code Pragma: no-cache} when there is no Cache-Control (RFC 9111 5.4).
   */
  public static boolean asksForFreshAnswer(Function<String, String> header) {
    String cacheControl = header.apply("cache-control");
    if (cacheControl != null) {
      CacheControl directives = CacheControl.parse(cacheControl);
      Long maxAge = directives.seconds("max-age");
      return directives.has("no-cache") || (maxAge != null && maxAge == 0);
    }
    String pragma = header.apply("pragma");
    return pragma != null && CacheControl.parse(pragma).has("no-cache");
  }
}

package dev.lambdaproxy.cache;

import dev.lambdaproxy.http.ClientAnswer;
import java.util.Objects;

/**
 * The answer for the client and where it came from.
 *
 * @param answer the answer, with {@code X-Cache} set to {@code cacheStatus} and, when it was served from
 *     the store, {@code Age}
 * @param cacheStatus {@link #HIT} (fresh from the store), {@link #MISS} (the function was called for
 *     this request or one it waited for), {@link #STALE} (a stale copy, while a refresh runs or because
 *     the function failed), {@link #BYPASS} (straight from the function, the cache not consulted)
 */
public record CachedAnswer(ClientAnswer answer, String cacheStatus) {

  public static final String HIT = "HIT";
  public static final String MISS = "MISS";
  public static final String STALE = "STALE";
  public static final String BYPASS = "BYPASS";

  public CachedAnswer {
    Objects.requireNonNull(answer, "answer");
    Objects.requireNonNull(cacheStatus, "cacheStatus");
  }
}

package dev.lambdaproxy.cache;

import dev.lambdaproxy.http.ClientAnswer;
import java.util.List;

/** What the store holds under a {@link CacheKey}. */
sealed interface Stored {

  /** When the store may drop it, in clock millis. */
  long retainUntilMillis();

  /** Its estimated weight in bytes, without the key's. */
  int weight();

  /**
   * A stored answer, without the headers the cache sets when serving it ({@code Age}, {@code X-Cache}).
   *
   * @param initialAgeMillis how old it was when stored (the function's {@code Age})
   */
  record Entry(ClientAnswer answer, long storedAtMillis, long initialAgeMillis, long lifetimeMillis,
      long staleWhileRevalidateMillis, long staleIfErrorMillis, int weight) implements Stored {

    long ageMillis(long nowMillis) {
      return initialAgeMillis + Math.max(0, nowMillis - storedAtMillis);
    }

    boolean isFresh(long nowMillis) {
      return ageMillis(nowMillis) < lifetimeMillis;
    }

    boolean servableWhileRevalidating(long nowMillis) {
      return ageMillis(nowMillis) < lifetimeMillis + staleWhileRevalidateMillis;
    }

    boolean servableOnError(long nowMillis) {
      return ageMillis(nowMillis) < lifetimeMillis + staleIfErrorMillis;
    }

    @Override
    public long retainUntilMillis() {
      return storedAtMillis - initialAgeMillis + lifetimeMillis + Math.max(staleWhileRevalidateMillis, staleIfErrorMillis);
    }

    /** Body, headers and content type, plus what the objects around them cost. */
    static int weigh(ClientAnswer answer) {
      long weight = 160L + answer.body().length;
      for (ClientAnswer.Header header : answer.headers()) {
        weight += 48 + 2L * (header.name().length() + header.value().length());
      }
      if (answer.contentType() != null) {
        weight += 48 + 2L * answer.contentType().length();
      }
      return (int) Math.min(Integer.MAX_VALUE, weight);
    }
  }

  /** The request headers the answers of a (route, path, query) vary on, lower-case and sorted. */
  record VarySpec(List<String> names, long retainUntilMillis) implements Stored {

    @Override
    public int weight() {
      int weight = 64;
      for (String name : names) {
        weight += 48 + 2 * name.length();
      }
      return weight;
    }
  }

  /**
   * The last answer for this key could not be shared (Varnish's hit-for-miss): requests go to the
   * function each on its own instead of queueing behind one another, and a shareable answer may
   * still replace this marker.
   */
  record HitForMiss(long retainUntilMillis) implements Stored {

    @Override
    public int weight() {
      return 32;
    }
  }
}

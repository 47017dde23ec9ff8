package dev.lambdaproxy.cache;

import java.util.Map;

/**
 * How much memory the response cache may use, from the {@code cache-max-bytes} and
 * {@code cache-max-entry-bytes} settings.
 *
 * @param maxBytes what all stored answers may weigh together (body, headers and key, estimated)
 * @param maxEntryBytes what one answer may weigh; a heavier one is served but not stored
 */
public record CacheLimits(long maxBytes, long maxEntryBytes) {

  public static final long DEFAULT_MAX_BYTES = 64L << 20;
  public static final long DEFAULT_MAX_ENTRY_BYTES = 1L << 20;
  public static final CacheLimits DEFAULT = new CacheLimits(DEFAULT_MAX_BYTES, DEFAULT_MAX_ENTRY_BYTES);

  public CacheLimits {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("cache-max-bytes must be at least 1 byte, was " + maxBytes);
    }
    if (maxEntryBytes < 1 || maxEntryBytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("cache-max-entry-bytes must be between 1 byte and 2GB, was " + maxEntryBytes);
    }
    if (maxEntryBytes > maxBytes) {
      throw new IllegalArgumentException("cache-max-entry-bytes (" + maxEntryBytes + ") must not exceed cache-max-bytes ("
          + maxBytes + ")");
    }
  }

  /**
   * Reads {@code cache-max-bytes} (default 64MB) and {@code cache-max-entry-bytes} (default 1MB, or
   * cache-max-bytes when that is smaller): a number of bytes or one with KB, MB or GB (1024-based).
   *
   * @param settings setting name to value; other settings are ignored
   * @throws IllegalArgumentException naming the setting and what is wrong with its value
   */
  public static CacheLimits parse(Map<String, String> settings) {
    String max = settings.get("cache-max-bytes");
    String entry = settings.get("cache-max-entry-bytes");
    long maxBytes = max == null ? DEFAULT_MAX_BYTES : Durations.parseBytes("cache-max-bytes", max);
    long maxEntryBytes = entry == null
        ? Math.min(DEFAULT_MAX_ENTRY_BYTES, maxBytes)
        : Durations.parseBytes("cache-max-entry-bytes", entry);
    return new CacheLimits(maxBytes, maxEntryBytes);
  }
}

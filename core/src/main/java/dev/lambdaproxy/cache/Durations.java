package dev.lambdaproxy.cache;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the durations and byte sizes of the cache options: {@code 30s}, {@code 15m}, {@code 64MB}. */
final class Durations {

  /** Longer than anyone should keep an answer; also keeps every sum of windows far from overflow. */
  static final Duration MAX = Duration.ofDays(365);

  private static final Pattern DURATION = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)?");
  private static final Pattern SIZE = Pattern.compile("(\\d{1,15})\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?");

  private Durations() {}

  /**
   * A duration: a number with a unit ({@code ms}, {@code s}, {@code m}, {@code h}, {@code d}), or a
   * plain number of seconds as in Cache-Control.
   *
   * @param option the option's name, for the message
   */
  static Duration parse(String option, String text) {
    String value = text.strip().toLowerCase(Locale.ROOT);
    Matcher matcher = DURATION.matcher(value);
    if (!matcher.matches()) {
      throw new IllegalArgumentException(option + ": '" + text + "' is not a duration; write a number with a unit"
          + " (30s, 15m, 1h, 2d) or a plain number of seconds");
    }
    long amount = Long.parseLong(matcher.group(1));
    String unit = matcher.group(2) == null ? "s" : matcher.group(2);
    Duration duration = switch (unit) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    };
    if (duration.compareTo(MAX) > 0) {
      throw new IllegalArgumentException(option + ": '" + text + "' is longer than the most allowed, 365d");
    }
    return duration;
  }

  /**
   * A byte size: a plain number of bytes, or one with {@code KB}, {@code MB}, {@code GB} (1024-based;
   * {@code K}, {@code KiB} and friends mean the same).
   */
  static long parseBytes(String option, String text) {
    String value = text.strip().toLowerCase(Locale.ROOT);
    Matcher matcher = SIZE.matcher(value);
    if (!matcher.matches()) {
      throw new IllegalArgumentException(option + ": '" + text + "' is not a size; write a number of bytes or one with"
          + " KB, MB or GB (64MB, 512KB)");
    }
    long amount = Long.parseLong(matcher.group(1));
    String unit = matcher.group(2) == null ? "b" : matcher.group(2);
    int shift = switch (unit.charAt(0)) {
      case 'k' -> 10;
      case 'm' -> 20;
      case 'g' -> 30;
      default -> 0;
    };
    if (amount > (Long.MAX_VALUE >> shift)) {
      throw new IllegalArgumentException(option + ": '" + text + "' is too large");
    }
    return amount << shift;
  }
}

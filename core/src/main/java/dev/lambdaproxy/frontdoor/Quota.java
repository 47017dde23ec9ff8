package dev.lambdaproxy.frontdoor;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/**
 * A usage plan's quota: at most {@code limit} requests per key in each calendar {@link Period} in
 * UTC, as API Gateway counts them ({@code 10000/DAY}). A quota of {@code 5/DAY} allows exactly 5
 * requests between 00:00 and 24:00 UTC.
 *
 * @param limit the requests allowed in a period, at least 1
 * @param period the calendar period the count restarts with
 */
public record Quota(long limit, Period period) {

  /** A calendar period in UTC. Weeks start on Sunday, as API Gateway's (offset 0). */
  public enum Period {
    DAY, WEEK, MONTH;

    /** The first instant of the period {@code now} falls in. */
    public Instant start(Instant now) {
      LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
      LocalDate first = switch (this) {
        case DAY -> day;
        case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.SUNDAY));
        case MONTH -> day.withDayOfMonth(1);
      };
      return first.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
  }

  public Quota {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
    java.util.Objects.requireNonNull(period, "period");
  }

  /**
   * {@code N/DAY}, {@code N/WEEK} or {@code N/MONTH} (any case).
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  public static Quota parse(String text) {
    String[] parts = text.strip().split("\\s*/\\s*", -1);
    if (parts.length != 2) {
      throw new IllegalArgumentException("'" + text + "' is not a quota; write requests per period: 10000/DAY, 500/WEEK or 20000/MONTH");
    }
    long limit;
    try {
      limit = Long.parseLong(parts[0]);
    } catch (NumberFormatException e) {
      limit = 0;
    }
    if (limit < 1) {
      throw new IllegalArgumentException("'" + text + "': the number of requests must be a whole number of at least 1");
    }
    Period period;
    try {
      period = Period.valueOf(parts[1].toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + text + "': the period must be DAY, WEEK or MONTH");
    }
    return new Quota(limit, period);
  }

  @Override
  public String toString() {
    return limit + "/" + period;
  }
}

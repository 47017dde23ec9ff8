package dev.lambdaproxy.sigv4;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * The signing instant in the two forms SigV4 uses: {@code x-amz-date} ({@code yyyyMMdd'T'HHmmss'Z'},
 * UTC) and the date of the credential scope ({@code yyyyMMdd}).
 *
 * @see <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#create-string-to-sign">
 *     Create a string to sign (RequestDateTime)</a>
 */
public record SigningTime(String amzDate, String date) {

  private static final int AMZ_DATE_LENGTH = 16;
  private static final int MAX_YEAR = 9999;

  public SigningTime {
    Objects.requireNonNull(amzDate, "amzDate");
    Objects.requireNonNull(date, "date");
    if (amzDate.length() != AMZ_DATE_LENGTH || !amzDate.startsWith(date)) {
      throw new IllegalArgumentException(
          "amzDate must be yyyyMMdd'T'HHmmss'Z' on date " + date + ": '" + amzDate + "'");
    }
  }

  /** The signing time of {@code instant}, truncated to the second. */
  public static SigningTime of(Instant instant) {
    LocalDateTime utc = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
    int year = utc.getYear();
    if (year < 0 || year > MAX_YEAR) {
      throw new IllegalArgumentException("instant is outside years 0000-9999: " + instant);
    }
    // A hand-rolled format: DateTimeFormatter costs far more, and this runs per request.
    char[] chars = new char[AMZ_DATE_LENGTH];
    put(chars, 0, year, 4);
    put(chars, 4, utc.getMonthValue(), 2);
    put(chars, 6, utc.getDayOfMonth(), 2);
    chars[8] = 'T';
    put(chars, 9, utc.getHour(), 2);
    put(chars, 11, utc.getMinute(), 2);
    put(chars, 13, utc.getSecond(), 2);
    chars[15] = 'Z';
    String amzDate = new String(chars);
    return new SigningTime(amzDate, amzDate.substring(0, 8));
  }

  private static void put(char[] chars, int offset, int value, int digits) {
    for (int i = offset + digits - 1; i >= offset; i--) {
      chars[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }
}

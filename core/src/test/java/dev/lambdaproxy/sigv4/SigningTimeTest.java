package dev.lambdaproxy.sigv4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SigningTimeTest {

  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final long LAST_SECOND_OF_9999 = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      2015-08-30T12:36:00Z           | 20150830T123600Z | 20150830
      2015-08-30T12:36:00.999999999Z | 20150830T123600Z | 20150830
      2000-02-29T23:59:59Z           | 20000229T235959Z | 20000229
      1970-01-01T00:00:00Z           | 19700101T000000Z | 19700101
      0001-01-01T00:00:00Z           | 00010101T000000Z | 00010101
      9999-12-31T23:59:59Z           | 99991231T235959Z | 99991231
      """)
  void formatsAmzDateAndScopeDateInUtc(String instant, String amzDate, String date) {
    SigningTime time = SigningTime.of(Instant.parse(instant));
    assertEquals(amzDate, time.amzDate());
    assertEquals(date, time.date());
  }

  @Test
  void agreesWithDateTimeFormatterAcrossCenturies() {
    Random random = new Random(7);
    for (int i = 0; i < 10_000; i++) {
      Instant instant = Instant.ofEpochSecond(Math.floorMod(random.nextLong(), LAST_SECOND_OF_9999 + 1));
      assertEquals(AMZ_DATE.format(instant), SigningTime.of(instant).amzDate(), instant::toString);
    }
  }

  @Test
  void yearsOutsideFourDigitsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> SigningTime.of(Instant.parse("+10000-01-01T00:00:00Z")));
  }
}

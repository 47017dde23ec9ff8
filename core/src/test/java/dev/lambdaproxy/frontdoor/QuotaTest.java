package dev.lambdaproxy.frontdoor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuotaTest {

  @ParameterizedTest(name = "{0} at {1} started at {2}")
  @CsvSource({
      "DAY, 2026-03-04T23:59:59Z, 2026-03-04T00:00:00Z",
      "DAY, 2026-03-05T00:00:00Z, 2026-03-05T00:00:00Z",
      "WEEK, 2026-03-04T12:00:00Z, 2026-03-01T00:00:00Z",
      "WEEK, 2026-03-01T00:00:00Z, 2026-03-01T00:00:00Z",
      "WEEK, 2026-02-28T23:59:59Z, 2026-02-22T00:00:00Z",
      "MONTH, 2026-03-31T23:59:59Z, 2026-03-01T00:00:00Z",
      "MONTH, 2024-02-29T10:00:00Z, 2024-02-01T00:00:00Z"})
  void aPeriodIsACalendarPeriodInUtcAndWeeksStartOnSunday(Quota.Period period, String now, String start) {
    assertEquals(Instant.parse(start), period.start(Instant.parse(now)));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"10000/DAY, 10000, DAY", "5/week, 5, WEEK", "20 / Month, 20, MONTH"})
  void aQuotaIsRequestsPerPeriod(String text, long limit, Quota.Period period) {
    assertEquals(new Quota(limit, period), Quota.parse(text));
  }
}

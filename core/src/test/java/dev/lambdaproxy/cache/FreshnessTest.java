package dev.lambdaproxy.cache;

import static dev.lambdaproxy.cache.CacheHarness.policy;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lambdaproxy.http.ClientAnswer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The freshness rules: what the function's headers and status mean for storing and sharing its answer. */
class FreshnessTest {

  private static final long NOW = MutableClock.START.toEpochMilli();
  private static final CachePolicy ROUTE_60S = policy(60, 0, 0);

  private static String httpDate(long secondsFromNow) {
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.ofEpochMilli(NOW).plusSeconds(secondsFromNow).atOffset(ZoneOffset.UTC));
  }

  /** name, status, headers ("Name: value" each), route policy, request had Authorization, then the verdict. */
  static Stream<Arguments> rules() {
    return Stream.of(
        rule("the route default applies when the function says nothing", 200, List.of(), ROUTE_60S, "stored", 60, 0, 0),
        rule("Cache-Control: public alone says no lifetime: route default", 200, List.of("Cache-Control: public"), ROUTE_60S, "stored", 60, 0, 0),
        rule("max-age wins over the route default", 200, List.of("Cache-Control: max-age=10"), ROUTE_60S, "stored", 10, 0, 0),
        rule("max-age=0 wins over the route default: not stored", 200, List.of("Cache-Control: max-age=0"), ROUTE_60S, "no lifetime", 0, 0, 0),
        rule("s-maxage wins over max-age", 200, List.of("Cache-Control: max-age=10, s-maxage=30"), ROUTE_60S, "stored", 30, 0, 0),
        rule("s-maxage wins over max-age in any order", 200, List.of("Cache-Control: s-maxage=30, max-age=10"), ROUTE_60S, "stored", 30, 0, 0),
        rule("directive names are case-insensitive", 200, List.of("Cache-Control: MAX-AGE=15"), ROUTE_60S, "stored", 15, 0, 0),
        rule("a quoted argument counts", 200, List.of("Cache-Control: max-age=\"15\""), ROUTE_60S, "stored", 15, 0, 0),
        rule("several Cache-Control fields are one list", 200, List.of("Cache-Control: public", "Cache-Control: max-age=15"), ROUTE_60S, "stored", 15, 0, 0),
        rule("an invalid max-age means stale", 200, List.of("Cache-Control: max-age=soon"), ROUTE_60S, "no lifetime", 0, 0, 0),
        rule("max-age wins over Expires", 200, List.of("Cache-Control: max-age=20", "Expires: " + httpDate(3600)), ROUTE_60S, "stored", 20, 0, 0),
        rule("Expires counts from Date", 200, List.of("Date: " + httpDate(-100), "Expires: " + httpDate(20)), ROUTE_60S, "stored", 120, 0, 0),
        rule("Expires without Date counts from now", 200, List.of("Expires: " + httpDate(300)), ROUTE_60S, "stored", 300, 0, 0),
        rule("Expires in the past: not stored", 200, List.of("Expires: " + httpDate(-5)), ROUTE_60S, "no lifetime", 0, 0, 0),
        rule("an invalid Expires means already expired", 200, List.of("Expires: 0"), ROUTE_60S, "no lifetime", 0, 0, 0),
        rule("no-store is never stored", 200, List.of("Cache-Control: no-store, max-age=60"), ROUTE_60S, "no-store", 0, 0, 0),
        rule("private is never stored", 200, List.of("Cache-Control: private, max-age=60"), ROUTE_60S, "private", 0, 0, 0),
        rule("private with field names is never stored either", 200, List.of("Cache-Control: private=\"x-user\", max-age=60"), ROUTE_60S, "private", 0, 0, 0),
        rule("no-cache is not stored: we cannot revalidate", 200, List.of("Cache-Control: no-cache"), ROUTE_60S, "no-cache", 0, 0, 0),
        rule("Set-Cookie is never stored, even public", 200, List.of("Cache-Control: public, max-age=60", "Set-Cookie: id=1"), ROUTE_60S, "set-cookie", 0, 0, 0),
        rule("Vary: * is never stored", 200, List.of("Vary: Accept, *"), ROUTE_60S, "vary *", 0, 0, 0),
        rule("the function's Age counts against its lifetime", 200, List.of("Cache-Control: max-age=60", "Age: 50"), ROUTE_60S, "stored", 60, 0, 0),
        rule("an answer older than its lifetime is not stored", 200, List.of("Cache-Control: max-age=60", "Age: 60"), ROUTE_60S, "no lifetime", 60, 0, 0),
        rule("route stale windows apply to a silent function", 200, List.of(), policy(60, 30, 300), "stored", 60, 30, 300),
        rule("the function's stale-while-revalidate wins", 200, List.of("Cache-Control: max-age=10, stale-while-revalidate=5"), policy(60, 30, 300), "stored", 10, 5, 300),
        rule("the function's stale-if-error wins", 200, List.of("Cache-Control: max-age=10, stale-if-error=7"), policy(60, 30, 300), "stored", 10, 30, 7),
        rule("must-revalidate forbids the route's stale windows", 200, List.of("Cache-Control: max-age=10, must-revalidate"), policy(60, 30, 300), "stored", 10, 0, 0),
        rule("proxy-revalidate forbids the route's stale windows", 200, List.of("Cache-Control: max-age=10, proxy-revalidate"), policy(60, 30, 300), "stored", 10, 0, 0),
        rule("s-maxage implies proxy-revalidate for the route's windows", 200, List.of("Cache-Control: s-maxage=10"), policy(60, 30, 300), "stored", 10, 0, 0),
        rule("but the function's own windows stand beside s-maxage", 200, List.of("Cache-Control: s-maxage=10, stale-while-revalidate=20, stale-if-error=40"), policy(60, 30, 300), "stored", 10, 20, 40),
        rule("cache=0 stores only answers that give a lifetime", 200, List.of(), policy(0, 0, 0), "no lifetime", 0, 0, 0),
        rule("cache=0 with a function max-age stores", 200, List.of("Cache-Control: max-age=5"), policy(0, 0, 0), "stored", 5, 0, 0),
        rule("cache=0 with a stale window stores an answer stale at once", 200, List.of(), policy(0, 0, 60), "stored", 0, 0, 60),
        rule("a proxy-made answer is shared, never stored", 429, List.of("Retry-After: 1"), ROUTE_60S, "proxy error", 60, 0, 0)
    );
  }

  private static Arguments rule(String name, int status, List<String> headers, CachePolicy policy, String reason,
      long lifetimeSeconds, long swrSeconds, long sieSeconds) {
    return Arguments.of(name, status, headers, policy, reason, lifetimeSeconds, swrSeconds, sieSeconds);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void freshnessRules(String name, int status, List<String> headers, CachePolicy policy, String reason, long lifetimeSeconds,
      long swrSeconds, long sieSeconds) {
    Answers builder = Answers.status(status).body("x");
    for (String header : headers) {
      int colon = header.indexOf(':');
      builder.header(header.substring(0, colon), header.substring(colon + 1).strip());
    }
    if (status == 429) {
      builder.errorKind("throttled");
    }
    Freshness.Verdict verdict = Freshness.of(builder.build(), policy, false, NOW);
    boolean shareable = !List.of("no-store", "private", "no-cache", "set-cookie", "vary *").contains(reason);
    assertAll(
        () -> assertEquals(reason, verdict.reason(), "reason"),
        () -> assertEquals(reason.equals("stored"), verdict.storable(), "storable"),
        () -> assertEquals(shareable, verdict.shareable(), "shareable"),
        () -> {
          if (shareable) {
            assertEquals(lifetimeSeconds * 1000, verdict.lifetimeMillis(), "lifetime");
            assertEquals(swrSeconds * 1000, verdict.staleWhileRevalidateMillis(), "stale-while-revalidate");
            assertEquals(sieSeconds * 1000, verdict.staleIfErrorMillis(), "stale-if-error");
          }
        });
  }

  @ParameterizedTest(name = "status {0} stored: {1}")
  @CsvSource({
      "200, true", "203, true", "204, true", "300, true", "301, true", "404, true", "410, true",
      "201, false", "202, false", "206, false", "302, false", "303, false", "307, false", "308, false",
      "400, false", "401, false", "403, false", "405, false", "429, false",
  })
  void onlyTheHeuristicallyCacheableStatusesAreStored(int status, boolean stored) {
    Freshness.Verdict verdict = Freshness.of(Answers.status(status).cacheControl("max-age=60").build(), ROUTE_60S, false, NOW);
    assertEquals(stored, verdict.storable());
    assertEquals(stored ? "stored" : "status " + status, verdict.reason());
  }

  @ParameterizedTest(name = "a response to an authorized request with ''{0}'' is shared: {1}")
  @CsvSource(delimiter = '|', value = {
      "max-age=60 | false",
      "'' | false",
      "public, max-age=60 | true",
      "s-maxage=60 | true",
      "max-age=60, must-revalidate | true",
  })
  void responsesToAuthorizedRequestsAreSharedOnlyWhenTheFunctionSaysSo(String cacheControl, boolean shared) {
    Answers answer = Answers.ok("x");
    if (!cacheControl.isEmpty()) {
      answer.cacheControl(cacheControl);
    }
    Freshness.Verdict verdict = Freshness.of(answer.build(), ROUTE_60S, true, NOW);
    assertEquals(shared, verdict.shareable());
    assertEquals(shared, verdict.storable());
  }

  @Test
  void varyNamesAreTheFunctionsAndTheRoutesLowerCasedAndSorted() {
    CachePolicy routeVary = new CachePolicy(java.time.Duration.ofSeconds(60), java.time.Duration.ZERO, java.time.Duration.ZERO,
        List.of("x-tenant"), false);
    ClientAnswer answer = Answers.ok("x").header("Vary", "Accept-Language, Accept").header("vary", "X-TENANT").build();
    assertEquals(List.of("accept", "accept-language", "x-tenant"), Freshness.of(answer, routeVary, false, NOW).vary());
  }

  @ParameterizedTest(name = "status {0}, errorKind {1}: failed {2}")
  @CsvSource(nullValues = "NULL", value = {
      "500, NULL, true",
      "502, function_error, true",
      "503, NULL, true",
      "504, timeout, true",
      "502, unreachable, true",
      "400, function_error, true",
      "404, NULL, false",
      "429, throttled, false",
      "200, NULL, false",
  })
  void theFunctionFailedOnA5xxOrAFunctionErrorOrTimeout(int status, String errorKind, boolean failed) {
    assertEquals(failed, Freshness.failed(Answers.status(status).errorKind(errorKind).build()));
  }

  @ParameterizedTest(name = "Cache-Control ''{0}''")
  @CsvSource(delimiter = '|', value = {
      "no-cache=\"set-cookie, x-a\", max-age=5 | 5",
      "max-age=5,,public | 5",
      "  max-age = 5 | 5",
      "max-age=99999999999999999999 | 2147483648",
  })
  void cacheControlParsingIsTolerant(String value, long maxAge) {
    CacheControl cacheControl = CacheControl.parse(value);
    assertEquals(maxAge, cacheControl.seconds("max-age"));
  }
}

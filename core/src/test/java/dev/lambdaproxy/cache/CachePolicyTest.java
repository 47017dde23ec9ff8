package dev.lambdaproxy.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The cache's route options and settings, as routes.properties and lambda-proxy.properties give them. */
class CachePolicyTest {

  @ParameterizedTest(name = "cache={0} is {1} ms")
  @CsvSource({
      "30s, 30000",
      "15m, 900000",
      "1h, 3600000",
      "2d, 172800000",
      "45, 45000",
      "0, 0",
      "0s, 0",
      "250ms, 250",
      "' 10S ', 10000",
      "365d, 31536000000",
  })
  void durationsAreReadInEveryUnitAndPlainNumbersAreSeconds(String value, long millis) {
    assertEquals(Duration.ofMillis(millis), CachePolicy.parse(Map.of("cache", value)).ttl());
  }

  @ParameterizedTest(name = "{0}={1} is refused")
  @CsvSource({
      "cache, 10x",
      "cache, -5s",
      "cache, 1.5h",
      "cache, s",
      "cache, 1 h",
      "cache, 366d",
      "cache, 9999999999999",
      "stale-while-revalidate, soon",
      "stale-if-error, 1w",
  })
  void badDurationsAreRefusedNamingTheOptionAndTheValue(String option, String value) {
    Map<String, String> options = option.equals("cache") ? Map.of("cache", value) : Map.of("cache", "30s", option, value);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CachePolicy.parse(options));
    assertTrue(e.getMessage().startsWith(option + ": '" + value + "'"), e.getMessage());
  }

  @Test
  void aRouteWithoutCacheCachesNothingAndItsOtherOptionsAreIgnored() {
    assertNull(CachePolicy.parse(Map.of("methods", "GET", "timeout-ms", "500")));
  }

  @Test
  void cacheOptionsWithoutCacheAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CachePolicy.parse(Map.of("stale-if-error", "1h")));
    assertEquals("stale-if-error needs cache=DURATION on the same route (cache=30s, cache=5m)", e.getMessage());
  }

  @Test
  void everyOptionIsRead() {
    CachePolicy policy = CachePolicy.parse(Map.of("cache", "5m", "stale-while-revalidate", "30s", "stale-if-error", "1h",
        "vary", "X-Tenant, accept-language", "client-no-cache", "honor", "event", "raw"));
    assertEquals(new CachePolicy(Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofHours(1),
        List.of("accept-language", "x-tenant"), true), policy);
  }

  @Test
  void defaultsAreNoStaleWindowsNoVaryAndClientNoCacheIgnored() {
    assertEquals(CachePolicy.of(Duration.ofSeconds(30)), CachePolicy.parse(Map.of("cache", "30s")));
    assertFalse(CachePolicy.parse(Map.of("cache", "30s", "client-no-cache", "ignore")).honorClientNoCache());
  }

  @Test
  void varyNamesAreLowerCasedSortedAndDeduplicated() {
    assertEquals(List.of("accept", "x-a"), CachePolicy.parse(Map.of("cache", "1m", "vary", "X-A,Accept,x-a")).vary());
  }

  @ParameterizedTest(name = "vary={0} is refused")
  @CsvSource(delimiter = '|', value = {
      "*",
      "accept,*",
      "accept,,x-a",
      "bad header",
      "a:b",
  })
  void varyMustBeHeaderNames(String value) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CachePolicy.parse(Map.of("cache", "1m", "vary", value)));
    assertTrue(e.getMessage().startsWith("vary: "), e.getMessage());
  }

  @Test
  void clientNoCacheIsHonorOrIgnore() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CachePolicy.parse(Map.of("cache", "1m", "client-no-cache", "yes")));
    assertEquals("client-no-cache: 'yes' must be honor or ignore", e.getMessage());
  }

  @Test
  void theRecordRefusesNegativeWindows() {
    assertThrows(IllegalArgumentException.class,
        () -> new CachePolicy(Duration.ofSeconds(-1), Duration.ZERO, Duration.ZERO, List.of(), false));
    assertThrows(NullPointerException.class, () -> new CachePolicy(null, Duration.ZERO, Duration.ZERO, List.of(), false));
  }

  @Test
  void theOptionNamesAreListedForTheRouteTable() {
    assertEquals(java.util.Set.of("cache", "stale-while-revalidate", "stale-if-error", "vary", "client-no-cache"), CachePolicy.OPTIONS);
  }

  @ParameterizedTest(name = "cache-max-bytes={0} is {1} bytes")
  @CsvSource({
      "64MB, 67108864",
      "512KB, 524288",
      "512k, 524288",
      "1GiB, 1073741824",
      "2g, 2147483648",
      "100000, 100000",
      "' 8 MB ', 8388608",
  })
  void sizesAreReadWith1024BasedUnits(String value, long bytes) {
    assertEquals(bytes, CacheLimits.parse(Map.of("cache-max-bytes", value)).maxBytes());
  }

  @Test
  void limitsDefaultTo64MbAnd1MbPerEntry() {
    assertEquals(new CacheLimits(64L << 20, 1L << 20), CacheLimits.parse(Map.of()));
    assertEquals(new CacheLimits(1000, 1000), CacheLimits.parse(Map.of("cache-max-bytes", "1000")),
        "the entry limit never exceeds the total");
    assertEquals(new CacheLimits(64L << 20, 4096), CacheLimits.parse(Map.of("cache-max-entry-bytes", "4KB")));
  }

  @ParameterizedTest(name = "{0}={1} is refused")
  @CsvSource({
      "cache-max-bytes, lots, 'cache-max-bytes: ''lots'' is not a size; write a number of bytes or one with KB, MB or GB (64MB, 512KB)'",
      "cache-max-bytes, 0, 'cache-max-bytes must be at least 1 byte, was 0'",
      "cache-max-bytes, 99999999999999GB, 'cache-max-bytes: ''99999999999999GB'' is too large'",
      "cache-max-entry-bytes, 128MB, 'cache-max-entry-bytes (134217728) must not exceed cache-max-bytes (67108864)'",
      "cache-max-entry-bytes, -1, 'cache-max-entry-bytes: ''-1'' is not a size; write a number of bytes or one with KB, MB or GB (64MB, 512KB)'",
  })
  void badSizesAreRefusedNamingTheSetting(String setting, String value, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CacheLimits.parse(Map.of(setting, value)));
    assertEquals(message, e.getMessage());
  }

  @Test
  void theCacheRefusesLimitsThatCannotHold() {
    assertThrows(IllegalArgumentException.class,
        () -> new ResponseCache(100, 200, java.time.Clock.systemUTC(), Runnable::run,
            new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));
  }
}

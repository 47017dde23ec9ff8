package dev.lambdaproxy.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Keys: the sorted query, the variant of the Vary headers, and which keys a purge covers. */
class CacheKeyTest {

  @ParameterizedTest(name = "''{0}'' sorts to ''{1}''")
  @CsvSource(delimiter = '|', nullValues = "NULL", value = {
      "NULL | ''",
      "'' | ''",
      "a=1 | a=1",
      "b=2&a=1 | a=1&b=2",
      "a=2&a=1 | a=1&a=2",
      "a=1&&b=2& | a=1&b=2",
      "q=%20x&p=A%2Bb | p=A%2Bb&q=%20x",
      "a=&a&a=0 | a&a=&a=0",
      "ab=1&a=2 | a=2&ab=1",
      "Z=1&a=1 | Z=1&a=1",
  })
  void queryParametersAreSortedByNameThenValueKeepingTheirEncoding(String rawQuery, String sorted) {
    assertEquals(sorted, CacheKey.sortedQuery(rawQuery));
  }

  @Test
  void variantValuesAreTrimmedAndNamesComeInTheGivenSortedOrder() {
    Map<String, String> spaced = Map.of("accept-language", "  en ", "x-tenant", "t1");
    Map<String, String> plain = Map.of("x-tenant", "t1", "accept-language", "en");
    List<String> names = List.of("accept-language", "x-tenant");
    assertEquals(CacheKey.variant(names, spaced::get), CacheKey.variant(names, plain::get));
    assertNotEquals(CacheKey.variant(names, plain::get), CacheKey.variant(names, Map.of("x-tenant", "t2", "accept-language", "en")::get));
  }

  @Test
  void anAbsentHeaderIsNotTheSameVariantAsAnEmptyOne() {
    List<String> names = List.of("x-tenant");
    assertNotEquals(CacheKey.variant(names, Map.<String, String>of()::get), CacheKey.variant(names, Map.of("x-tenant", "")::get));
  }

  @Test
  void noVaryNamesMeansOneVariant() {
    assertEquals("", CacheKey.variant(List.of(), Map.of("accept", "x")::get));
  }

  @ParameterizedTest(name = "purge {0} covers {1}: {2}")
  @CsvSource({
      "/*, /, true",
      "/*, /a/b, true",
      "/a, /a, true",
      "/a, /a/b, false",
      "/a, /ab, false",
      "/a/*, /a, true",
      "/a/*, /a/b/c, true",
      "/a/*, /ab, false",
      "/a/b, /a, false",
  })
  void purgePatternsCoverTheirPathsOnly(String pattern, String path, boolean covered) {
    assertEquals(covered, new CacheKey("/r", path, "", "").matchesPurge(pattern));
  }

  @Test
  void theWeightCountsEveryCharacter() {
    CacheKey key = new CacheKey("/r", "/path", "a=1", "");
    assertEquals(CacheKey.OVERHEAD + 2 * (2 + 5 + 3), key.weight());
  }
}

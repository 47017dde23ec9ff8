package dev.lambdaproxy.sigv4;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CanonicalQueryStringTest {

  @ParameterizedTest(name = "\"{0}\" -> \"{1}\"")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      ""                             | ""
      Qualifier=PROD                 | Qualifier=PROD
      b=2&a=1                        | a=1&b=2
      a=2&a=1&a=10                   | a=1&a=10&a=2
      Param2=value2&Param1=value1    | Param1=value1&Param2=value2
      a                              | a=
      a=                             | a=
      a&b=                           | a=&b=
      =x                             | ""
      =x&b=1                         | b=1
      a=1&&b=2&                      | a=1&b=2
      a=b=c                          | a=b%3Dc
      k=a+b                          | k=a%2Bb
      k=a%20b                        | k=a%20b
      k=a%2fb%3a                     | k=a%2Fb%3A
      %E1%88%B4=1&Param=2&Param-3=3  | %E1%88%B4=1&Param=2&Param-3=3
      ሴ=bar                          | %E1%88%B4=bar
      a-b=1&a=2                      | a=2&a-b=1
      B=1&a=2                        | B=1&a=2
      k=%7E%2D                       | k=~-
      """)
  void canonicalQueryDecodesReencodesAndSortsByNameThenValue(String rawQuery, String expected) {
    assertEquals(expected, CanonicalQueryString.of(rawQuery));
  }

  @Test
  void nullQueryIsEmpty() {
    assertEquals("", CanonicalQueryString.of(null));
  }
}

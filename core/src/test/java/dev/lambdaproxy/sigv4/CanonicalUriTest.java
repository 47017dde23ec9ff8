package dev.lambdaproxy.sigv4;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CanonicalUriTest {

  @ParameterizedTest(name = "normalize {0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      /                          | /
      //                         | /
      /./                        | /
      /example/..                | /
      /example1/example2/../..   | /
      /./example                 | /example
      //example//                | /example/
      /a/b/..                    | /a
      /a/./b/                    | /a/b/
      /a/../../b                 | /b
      /a/.b/..c                  | /a/.b/..c
      /a%2E/b                    | /a%2E/b
      /2015-03-31/functions/f/invocations | /2015-03-31/functions/f/invocations
      """)
  void normalizeRemovesDotSegmentsAndRepeatedSlashes(String path, String expected) {
    assertEquals(expected, CanonicalUri.normalize(path));
  }

  @ParameterizedTest(name = "{0} normalize={1} -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
      //example//                | false | //example//
      //example//                | true  | /example/
      /example/..                | false | /example/..
      /a%3Ab/../c%3Ad            | true  | /c%253Ad
      /a%3Ab                     | false | /a%253Ab
      """)
  void canonicalUriNormalizesOnlyWhenAskedAndThenEncodesOnceMore(
      String path, boolean normalize, String expected) {
    assertEquals(expected, CanonicalUri.of(path, normalize));
  }
}

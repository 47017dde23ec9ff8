package dev.lambdaproxy.sigv4;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UriEncoderTest {

  @ParameterizedTest(name = "encode \"{0}\" -> {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      abc                        | abc
      ""                         | ""
      -._~AZaz09                 | -._~AZaz09
      "a b"                      | a%20b
      a+b                        | a%2Bb
      a*b                        | a%2Ab
      a/b                        | a%2Fb
      %3A                        | %253A
      :@!$&'()*,;=?#[]           | %3A%40%21%24%26%27%28%29%2A%2C%3B%3D%3F%23%5B%5D
      é                          | %C3%A9
      ሴ                          | %E1%88%B4
      😀                         | %F0%9F%98%80
      """)
  void encodeEscapesEverythingButUnreservedCharacters(String input, String expected) {
    assertEquals(expected, UriEncoder.encode(input));
  }

  @ParameterizedTest(name = "encodePath \"{0}\" -> {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      /                          | /
      //a//                      | //a//
      "/example space/"          | /example%20space/
      /a%2Fb                     | /a%252Fb
      /2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Ahello/invocations | /2015-03-31/functions/arn%253Aaws%253Alambda%253Aus-east-1%253A123456789012%253Afunction%253Ahello/invocations
      /functions/my:fn/invocations | /functions/my%3Afn/invocations
      """)
  void encodePathKeepsSlashesAndEncodesExistingEscapesAgain(String input, String expected) {
    assertEquals(expected, UriEncoder.encodePath(input));
  }

  @ParameterizedTest(name = "reencode \"{0}\" -> {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      abc                        | abc
      %3a                        | %3A
      %3A                        | %3A
      %7E                        | ~
      %41%42                     | AB
      %2f                        | %2F
      %E1%88%B4                  | %E1%88%B4
      ሴ                          | %E1%88%B4
      a+b                        | a%2Bb
      "a b"                      | a%20b
      %20                        | %20
      %                          | %25
      %4                         | %254
      %zz                        | %25zz
      100%                       | 100%25
      %FF                        | %FF
      """)
  void reencodeDecodesValidEscapesAndEncodesStrictly(String input, String expected) {
    assertEquals(expected, UriEncoder.reencode(input));
  }

  @Test
  void encodeAgreesWithUrlEncoderAfterTheSigV4Fixups() {
    Random random = new Random(42);
    for (int i = 0; i < 2_000; i++) {
      StringBuilder s = new StringBuilder();
      for (int j = random.nextInt(12); j > 0; j--) {
        int cp = random.nextInt(4) == 0 ? 0x80 + random.nextInt(0x10000 - 0x80) : random.nextInt(0x80);
        if (!Character.isSurrogate((char) cp)) {
          s.appendCodePoint(cp);
        }
      }
      String expected = URLEncoder.encode(s.toString(), StandardCharsets.UTF_8)
          .replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
      assertEquals(expected, UriEncoder.encode(s.toString()), () -> "input " + s);
    }
  }

  @Test
  void loneSurrogateEncodesAsQuestionMarkLikeStringGetBytes() {
    assertEquals("a%3Fb", UriEncoder.encode("a\uD800b"));
  }
}

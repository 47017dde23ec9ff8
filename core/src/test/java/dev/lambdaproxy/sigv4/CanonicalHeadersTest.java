package dev.lambdaproxy.sigv4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CanonicalHeadersTest {

  private static final String DATE = "20150830T123600Z";
  private static final Header HOST = new Header("Host", "example.amazonaws.com");

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("value is trimmed", List.of(new Header("My-Header1", "  value1 \t")),
            "my-header1:value1\n"),
        Arguments.of("inner whitespace runs collapse to one space",
            List.of(new Header("My-Header2", "\"a   b \t\r\n c\"")), "my-header2:\"a b c\"\n"),
        Arguments.of("repeated name joins values in order sent",
            List.of(new Header("My-Header1", "value4"), new Header("my-header1", "value1"),
                new Header("MY-HEADER1", "value3")), "my-header1:value4,value1,value3\n"),
        Arguments.of("empty values stay empty between commas",
            List.of(new Header("X-A", ""), new Header("X-A", "  ")), "x-a:,\n"),
        Arguments.of("names sort by lower case", List.of(new Header("b", "2"), new Header("A", "1")),
            "a:1\nb:2\n"),
        Arguments.of("values keep their case", List.of(new Header("My-Header1", "VALUE1")),
            "my-header1:VALUE1\n"),
        Arguments.of("unsigned headers are left out",
            List.of(new Header("User-Agent", "x"), new Header("Connection", "close"),
                new Header("Expect", "100-continue"), new Header("X-Amzn-Trace-Id", "Root=1"),
                new Header("Transfer-Encoding", "chunked"), new Header("X-Forwarded-For", "10.0.0.1")),
            ""),
        Arguments.of("caller's signer headers are replaced by the signer's own",
            List.of(new Header("Authorization", "old"), new Header("X-Amz-Date", "19990101T000000Z"),
                new Header("x-amz-security-token", "stale")), ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void canonicalHeadersFollowTheSpec(String description, List<Header> given, String expectedLines) {
    List<Header> headers = new ArrayList<>(given);
    headers.add(HOST);
    String canonical = CanonicalHeaders.of(headers, DATE, null).canonicalHeaders();
    String expected = expectedLines + "host:example.amazonaws.com\nx-amz-date:" + DATE + "\n";
    assertEquals(sortLines(expected), canonical);
  }

  @Test
  void signedHeadersListDistinctNamesOncePlusDateAndToken() {
    CanonicalHeaders headers = CanonicalHeaders.of(
        List.of(HOST, new Header("X-B", "1"), new Header("x-b", "2"), new Header("Content-Type", "t")),
        DATE, "token");
    assertEquals("content-type;host;x-amz-date;x-amz-security-token;x-b", headers.signedHeaders());
    assertTrue(headers.canonicalHeaders().contains("x-amz-security-token:token\n"));
  }

  @Test
  void hostIsRequired() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CanonicalHeaders.of(List.of(new Header("X-A", "1")), DATE, null));
    assertTrue(e.getMessage().contains("Host"), e.getMessage());
  }

  @Test
  void toStringListsSignedNamesNotValues() {
    String text = CanonicalHeaders.of(List.of(HOST), DATE, "secret-token").toString();
    assertEquals("CanonicalHeaders[host;x-amz-date;x-amz-security-token]", text);
  }

  private static String sortLines(String lines) {
    return String.join("\n", Stream.of(lines.split("\n")).sorted().toList()) + "\n";
  }
}

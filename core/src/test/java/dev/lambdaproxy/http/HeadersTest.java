package dev.lambdaproxy.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The proxy's own Forwarded element, quoted as RFC 7239 section 4 and 6 ask. */
class HeadersTest {

  static Stream<Arguments> elements() {
    return Stream.of(
        Arguments.of("an IPv4 peer and a plain host are tokens", "203.0.113.9", "https", "shop.example",
            "for=203.0.113.9;proto=https;host=shop.example"),
        Arguments.of("an IPv6 peer is bracketed and quoted", "2001:db8::1", "http", "shop.example",
            "for=\"[2001:db8::1]\";proto=http;host=shop.example"),
        Arguments.of("an IPv6 peer the container already bracketed is quoted once", "[::1]", "http", "shop.example",
            "for=\"[::1]\";proto=http;host=shop.example"),
        Arguments.of("a host with a port is quoted, a colon not being a token character", "127.0.0.1", "http", "proxy.test:8080",
            "for=127.0.0.1;proto=http;host=\"proxy.test:8080\""),
        Arguments.of("a quote or backslash in a host is escaped", "127.0.0.1", "http", "a\"b\\c",
            "for=127.0.0.1;proto=http;host=\"a\\\"b\\\\c\""),
        Arguments.of("a request without Host gets no host parameter", "127.0.0.1", "http", null,
            "for=127.0.0.1;proto=http"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("elements")
  void forwardedElementQuotesWhatIsNotAToken(String name, String peer, String proto, String host, String expected) {
    assertEquals(expected, Headers.forwardedElement(peer, proto, host));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("addresses")
  void unbracketedGivesTheAddressAsForwardedForListsIt(String address, String expected) {
    assertEquals(expected, Headers.unbracketed(address));
  }

  static Stream<Arguments> addresses() {
    return Stream.of(Arguments.of("[::1]", "::1"), Arguments.of("::1", "::1"), Arguments.of("127.0.0.1", "127.0.0.1"));
  }
}

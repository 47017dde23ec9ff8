package dev.lambdaproxy.reliability;

import static dev.lambdaproxy.reliability.Fixtures.KEY;
import static dev.lambdaproxy.reliability.Fixtures.SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lambdaproxy.testing.FakeLambda;
import dev.lambdaproxy.testing.Handlers;
import dev.lambdaproxy.testing.ProxyHarness;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests whose framing two HTTP parsers could read differently are refused by the server (400)
 * before anything is forwarded: FakeLambda sees no call, and a request hidden after the first is
 * never answered.
 */
class RequestSmugglingTest {

  /** A request hidden in the body of the first: answering it would prove a desynchronised parser. */
  private static final String HIDDEN = "GET /echo HTTP/1.1\r\nHost: proxy.test\r\nConnection: close\r\n\r\n";

  private static FakeLambda lambda;
  private static ProxyHarness proxy;

  @BeforeAll
  static void start() throws Exception {
    lambda = FakeLambda.builder().credentials(KEY, SECRET).function("echo", Handlers.echo()).start();
    proxy = ProxyHarness.builder().lambda(lambda, KEY, SECRET).routes("/echo = echo\n").start();
  }

  @AfterAll
  static void stop() throws Exception {
    proxy.close();
    lambda.close();
  }

  @BeforeEach
  void forget() {
    lambda.reset();
  }

  static Stream<Arguments> ambiguous() {
    String post = "POST /echo HTTP/1.1\r\nHost: proxy.test\r\n";
    return Stream.of(
        Arguments.of("Content-Length then Transfer-Encoding (CL.TE)",
            post + "Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + HIDDEN),
        Arguments.of("Transfer-Encoding then Content-Length (TE.CL)",
            post + "Transfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n5c\r\n" + HIDDEN + "\r\n0\r\n\r\n"),
        Arguments.of("two different Content-Lengths", post + "Content-Length: 2\r\nContent-Length: 60\r\n\r\n{}" + HIDDEN),
        Arguments.of("two equal Content-Lengths", post + "Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}" + HIDDEN),
        Arguments.of("a Content-Length list", post + "Content-Length: 2, 2\r\n\r\n{}" + HIDDEN),
        Arguments.of("a signed Content-Length", post + "Content-Length: +2\r\n\r\n{}" + HIDDEN),
        Arguments.of("a Content-Length with junk", post + "Content-Length: 2x\r\n\r\n{}" + HIDDEN),
        Arguments.of("a negative Content-Length", post + "Content-Length: -1\r\n\r\n{}" + HIDDEN),
        Arguments.of("obs-fold (a header line continued by a space)",
            post + "Content-Type: application/json\r\n Transfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n{}" + HIDDEN),
        Arguments.of("a bare CR inside a header", post + "X-Note: a\rTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n{}" + HIDDEN),
        Arguments.of("NUL inside a header", post + "X-Note: a\u0000b\r\nContent-Length: 2\r\n\r\n{}" + HIDDEN),
        Arguments.of("two Transfer-Encodings", post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n" + HIDDEN),
        Arguments.of("an unknown transfer coding", post + "Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n" + HIDDEN),
        Arguments.of("chunked not last", post + "Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n" + HIDDEN),
        Arguments.of("whitespace before the colon", post + "Transfer-Encoding : chunked\r\nContent-Length: 2\r\n\r\n{}" + HIDDEN),
        Arguments.of("a space in a header name", post + "Transfer Encoding: chunked\r\nContent-Length: 2\r\n\r\n{}" + HIDDEN),
        Arguments.of("a chunk size that overflows",
            post + "Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFF2\r\n{}\r\n0\r\n\r\n" + HIDDEN),
        Arguments.of("a chunk size with junk", post + "Transfer-Encoding: chunked\r\n\r\n2 x\r\n{}\r\n0\r\n\r\n" + HIDDEN),
        Arguments.of("two Host headers", "GET /echo HTTP/1.1\r\nHost: proxy.test\r\nHost: evil.example\r\n\r\n" + HIDDEN),
        Arguments.of("no Host on HTTP/1.1", "GET /echo HTTP/1.1\r\nX-Note: 1\r\n\r\n" + HIDDEN));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ambiguous")
  void anAmbiguousRequestIsRefusedAndNothingIsForwarded(String name, String request) throws Exception {
    RawHttp.Response response = RawHttp.send(proxy.server().port(), request);
    assertTrue(response.status() == 400 || response.status() == 501, name + ": " + response);
    assertEquals(1, response.responseCount(), name + ": the hidden request must never be answered:\n" + response);
    assertEquals(0, lambda.requestCount(), name + ": nothing reaches AWS");
  }

  @Test
  void twoHonestPipelinedRequestsAreBothAnsweredSoTheCheckAboveCanSeeASecondAnswer() throws Exception {
    RawHttp.Response response = RawHttp.send(proxy.server().port(),
        "POST /echo HTTP/1.1\r\nHost: proxy.test\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}" + HIDDEN);
    assertEquals(200, response.status(), response.toString());
    assertEquals(2, response.responseCount(), response.toString());
    assertEquals(2, lambda.requestCount());
  }
}

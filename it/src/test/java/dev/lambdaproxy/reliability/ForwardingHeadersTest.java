package dev.lambdaproxy.reliability;

import static dev.lambdaproxy.reliability.Fixtures.KEY;
import static dev.lambdaproxy.reliability.Fixtures.SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.lambdaproxy.config.TrustedProxies;
import dev.lambdaproxy.http.Headers;
import dev.lambdaproxy.testing.FakeHttpFunction;
import dev.lambdaproxy.testing.FakeLambda;
import dev.lambdaproxy.testing.Handlers;
import dev.lambdaproxy.testing.Invocation;
import dev.lambdaproxy.testing.ProxyHarness;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What an HTTP endpoint learns about the client follows {@code trusted-proxies}, the rule the
 * events' {@code sourceIp} follows: from an untrusted peer the client's X-Forwarded-* and
 * Forwarded are replaced by what the proxy saw (so a function that believes the first element is
 * not fooled); from a trusted one the chain is kept and the peer appended. The endpoint gets the
 * client's User-Agent, once. Requests go on a raw socket so the proxy sees exactly these headers.
 */
class ForwardingHeadersTest {

  private static final String PEER = "127.0.0.1";
  private static final TrustedProxies ENDPOINT_TRUSTS_THE_PROXY = TrustedProxies.parse(PEER + "/32");
  private static final String EVENT_RESULT = "{\"statusCode\":200,\"body\":\"ok\"}";

  private static FakeHttpFunction endpoint;
  private static FakeLambda lambda;
  /** No trusted-proxies: every client is its own peer. */
  private static ProxyHarness direct;
  /** trusted-proxies = 127.0.0.1/32: the test client stands for a load balancer in front. */
  private static ProxyHarness behindLoadBalancer;

  @BeforeAll
  static void start() throws Exception {
    endpoint = FakeHttpFunction.builder().answer(200, "text/plain", "ok").start();
    lambda = FakeLambda.builder().credentials(KEY, SECRET)
        .function("echo", Handlers.echo())
        .function("recorder", Handlers.returning(EVENT_RESULT))
        .start();
    String routes = "/ep/* = " + endpoint.uri() + "/stage\n/echo = echo\n/event = recorder ; event=apigw-v2\n";
    direct = ProxyHarness.builder().lambda(lambda, KEY, SECRET).routes(routes).start();
    behindLoadBalancer = ProxyHarness.builder().lambda(lambda, KEY, SECRET).settings("trusted-proxies = 127.0.0.1/32\n")
        .routes(routes).start();
  }

  @AfterAll
  static void stop() throws Exception {
    behindLoadBalancer.close();
    direct.close();
    lambda.close();
    endpoint.close();
  }

  @BeforeEach
  void forget() {
    endpoint.reset();
    lambda.reset();
  }

  /** Name, whether the peer is trusted, the client's headers (Host first), and what the endpoint must receive (empty: none). */
  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("a client's X-Forwarded-For is replaced by the address it connects from", false,
            "Host: proxy.test\r\nX-Forwarded-For: 6.6.6.6\r\n",
            Map.of("X-Forwarded-For", List.of(PEER))),
        Arguments.of("a client's Forwarded is replaced by the element the proxy writes", false,
            "Host: proxy.test\r\nForwarded: for=6.6.6.6;host=evil\r\n",
            Map.of("Forwarded", List.of("for=127.0.0.1;proto=http;host=proxy.test"))),
        Arguments.of("a client's X-Forwarded-Host and X-Forwarded-Proto are replaced by its Host and scheme", false,
            "Host: proxy.test\r\nX-Forwarded-Host: evil\r\nX-Forwarded-Proto: https\r\n",
            Map.of("X-Forwarded-Host", List.of("proxy.test"), "X-Forwarded-Proto", List.of("http"))),
        Arguments.of("a client's X-Forwarded-Port, X-Forwarded-Server and X-Real-IP are dropped", false,
            "Host: proxy.test\r\nX-Forwarded-Port: 443\r\nX-Forwarded-Server: evil\r\nX-Real-IP: 6.6.6.6\r\n",
            Map.of("X-Forwarded-Port", List.of(), "X-Forwarded-Server", List.of(), "X-Real-IP", List.of(), "X-Forwarded-For", List.of(PEER))),
        Arguments.of("a client that sends no forwarding headers is described by all of them", false,
            "Host: proxy.test:8080\r\n",
            Map.of("X-Forwarded-For", List.of(PEER), "X-Forwarded-Proto", List.of("http"), "X-Forwarded-Host", List.of("proxy.test:8080"),
                "Forwarded", List.of("for=127.0.0.1;proto=http;host=\"proxy.test:8080\""))),
        Arguments.of("a trusted proxy's X-Forwarded-For chain is kept and the peer appended", true,
            "Host: proxy.test\r\nX-Forwarded-For: 198.51.100.4, 203.0.113.9\r\n",
            Map.of("X-Forwarded-For", List.of("198.51.100.4, 203.0.113.9, " + PEER))),
        Arguments.of("a trusted proxy's X-Forwarded-For lines, in any case, become one chain ending with the peer", true,
            "Host: proxy.test\r\nX-Forwarded-For: 198.51.100.4\r\nx-forwarded-for: 203.0.113.9\r\n",
            Map.of("X-Forwarded-For", List.of("198.51.100.4, 203.0.113.9, " + PEER))),
        Arguments.of("a trusted proxy's Forwarded is kept and the proxy's element appended", true,
            "Host: proxy.test\r\nForwarded: for=203.0.113.9;proto=https;host=shop.example\r\n",
            Map.of("Forwarded", List.of("for=203.0.113.9;proto=https;host=shop.example, for=127.0.0.1;proto=http;host=proxy.test"))),
        Arguments.of("a trusted proxy's X-Forwarded-Host, -Proto, -Port and X-Real-IP describe the client and are kept", true,
            "Host: proxy.test\r\nX-Forwarded-Host: shop.example\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Port: 443\r\nX-Real-IP: 203.0.113.9\r\n",
            Map.of("X-Forwarded-Host", List.of("shop.example"), "X-Forwarded-Proto", List.of("https"), "X-Forwarded-Port", List.of("443"),
                "X-Real-IP", List.of("203.0.113.9"), "X-Forwarded-For", List.of(PEER))),
        Arguments.of("the endpoint gets the client's User-Agent once, not the HTTP client's besides", false,
            "Host: proxy.test\r\nUser-Agent: curl/8.5.0\r\n",
            Map.of("User-Agent", List.of("curl/8.5.0"))),
        Arguments.of("a client without a User-Agent sends none on", false,
            "Host: proxy.test\r\n",
            Map.of("User-Agent", List.of())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theEndpointSeesWhatTheProxySaw(String name, boolean trustedPeer, String clientHeaders, Map<String, List<String>> expected)
      throws Exception {
    ProxyHarness proxy = trustedPeer ? behindLoadBalancer : direct;
    RawHttp.Response response = RawHttp.send(proxy.server().port(), "GET /ep/x HTTP/1.1\r\n" + clientHeaders + "Connection: close\r\n\r\n");
    assertEquals(200, response.status(), response.toString());
    FakeHttpFunction.Received received = endpoint.last();
    expected.forEach((header, values) -> assertEquals(values, received.headers().all(header), header + " in " + received.headers()));
  }

  @Test
  void theEventsSourceIpIsTheClientTheEndpointsForwardedForNames() throws Exception {
    String[][] cases = {{"false", "6.6.6.6"}, {"true", "198.51.100.4, 203.0.113.9"}};
    for (String[] c : cases) {
      boolean trustedPeer = Boolean.parseBoolean(c[0]);
      ProxyHarness proxy = trustedPeer ? behindLoadBalancer : direct;
      String request = "Host: proxy.test\r\nX-Forwarded-For: " + c[1] + "\r\nConnection: close\r\n\r\n";
      assertEquals(200, RawHttp.send(proxy.server().port(), "GET /ep/x HTTP/1.1\r\n" + request).status());
      assertEquals(200, RawHttp.send(proxy.server().port(), "GET /event HTTP/1.1\r\n" + request).status());
      String sourceIp = lambda.lastInvocation().payloadJson().at("/requestContext/http/sourceIp").asText();
      // The function behind the endpoint trusts the proxy in front of it (at 127.0.0.1) and reads its chain by the same rule.
      String endpointClient = ENDPOINT_TRUSTS_THE_PROXY.clientAddress(PEER, endpoint.last().headers().all("X-Forwarded-For"));
      assertEquals(sourceIp, endpointClient, "trusted peer: " + trustedPeer);
      assertEquals(trustedPeer ? "203.0.113.9" : PEER, sourceIp);
    }
  }

  @Test
  void anInvokeCallGetsNoForwardingHeadersEvenFromATrustedProxy() throws Exception {
    RawHttp.Response response = RawHttp.send(behindLoadBalancer.server().port(), "POST /echo HTTP/1.1\r\nHost: proxy.test\r\n"
        + "X-Forwarded-For: 203.0.113.9\r\nForwarded: for=203.0.113.9\r\nX-Forwarded-Host: shop.example\r\nX-Real-IP: 203.0.113.9\r\n"
        + "Content-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
    assertEquals(200, response.status(), response.toString());
    Invocation invocation = lambda.lastInvocation();
    for (String name : Headers.FORWARDING) {
      assertNull(invocation.header(name), name + " must not reach the Invoke API");
    }
    assertNull(invocation.header("Via"), "Via must not reach the Invoke API");
  }
}

package dev.lambdaproxy.reliability;

import static dev.lambdaproxy.reliability.Fixtures.KEY;
import static dev.lambdaproxy.reliability.Fixtures.SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lambdaproxy.testing.FakeLambda;
import dev.lambdaproxy.testing.Handlers;
import dev.lambdaproxy.testing.ProxyHarness;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * A function (or its HTTP endpoint) cannot split or re-frame the proxy's response: header values
 * with CR, LF or NUL and names that are not tokens are dropped, hop-by-hop and framing headers are
 * the proxy's own, every Set-Cookie is kept. Read on a raw socket to see the exact bytes.
 */
class FunctionHeaderInjectionTest {

  private static final String RESULT = """
      {"statusCode":200,
       "headers":{"X-Ok":"1","X-Crlf":"a\\r\\nInjected: yes","X-Lf":"a\\nInjected-Lf: yes","X-Cr":"a\\rInjected-Cr: yes",
                  "X-Nul":"a\\u0000b","Bad Name":"x","Bad:Colon":"x","":"empty","X-Uni":"caf\\u00e9",
                  "Connection":"keep-alive, X-Ok","Keep-Alive":"timeout=99","Transfer-Encoding":"chunked","Upgrade":"h2c",
                  "TE":"trailers","Trailer":"X-T","Proxy-Authenticate":"Basic","Proxy-Connection":"keep-alive",
                  "Content-Length":"99999","X-Amzn-Remapped-Authorization":"x","Set-Cookie":"only=single"},
       "multiValueHeaders":{"Set-Cookie":["a=1; Path=/; HttpOnly","b=2; Secure"],"X-Multi":["1","2\\r\\nInjected-Multi: yes"]},
       "body":"ok"}""";

  @Test
  void aFunctionsHeadersCannotSplitOrReframeTheResponse() throws Exception {
    try (FakeLambda lambda = FakeLambda.builder().credentials(KEY, SECRET).function("headers", Handlers.returning(RESULT)).start();
        ProxyHarness proxy = ProxyHarness.builder().lambda(lambda, KEY, SECRET).routes("/headers = headers\n").start()) {
      RawHttp.Response response = RawHttp.send(proxy.server().port(), "GET /headers HTTP/1.1\r\nHost: proxy.test\r\nConnection: close\r\n\r\n");
      String head = response.head();
      assertEquals(200, response.status(), head);
      assertEquals(1, response.responseCount(), head);
      assertEquals("ok", response.bodyText());
      for (String line : head.split("\r\n")) {
        assertFalse(line.toLowerCase(Locale.ROOT).startsWith("injected"), "a header line made by a function's CR/LF:\n" + head);
      }
      assertFalse(head.contains("\u0000") || head.contains("\r\r") || head.replace("\r\n", "").contains("\n"), "no stray CR, LF or NUL:\n" + head);
      assertEquals("1", response.header("X-Ok"));
      assertEquals(List.of("1"), response.headerValues("X-Multi"), "the good value of a multi-value header is kept, the bad one dropped");
      assertEquals(List.of("a=1; Path=/; HttpOnly", "b=2; Secure"), response.headerValues("Set-Cookie"), "every cookie kept, each on its own line");
      for (String dropped : List.of("X-Crlf", "X-Lf", "X-Cr", "X-Nul", "Bad Name", "Bad", "Keep-Alive", "Transfer-Encoding", "Upgrade", "TE",
          "Trailer", "Proxy-Authenticate", "Proxy-Connection", "X-Amzn-Remapped-Authorization")) {
        assertNull(response.header(dropped), dropped + " must not reach the client:\n" + head);
      }
      assertEquals(List.of("2"), response.headerValues("Content-Length"), "the proxy frames the body itself:\n" + head);
      assertEquals(List.of("close"), response.headerValues("Connection"), "the connection is the proxy's, not the function's:\n" + head);
    }
  }

  @Test
  void anEndpointsHopByHopHeadersAndTheHeadersItsConnectionNamesStayBehind() throws Exception {
    String answer = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: X-Internal-Token\r\n"
        + "X-Internal-Token: endpoint-only\r\nKeep-Alive: timeout=99\r\nProxy-Authenticate: Basic\r\nUpgrade: h2c\r\n"
        + "Set-Cookie: a=1\r\nSet-Cookie: b=2\r\nX-Ok: 1\r\n\r\nok";
    try (CraftedUpstream endpoint = new CraftedUpstream((socket, out, head) -> {
          out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
          return true;
        });
        ProxyHarness proxy = ProxyHarness.builder().routes("/ep = " + endpoint.uri() + "/stage\n").start()) {
      RawHttp.Response response = RawHttp.send(proxy.server().port(), "GET /ep HTTP/1.1\r\nHost: proxy.test\r\nConnection: close\r\n\r\n");
      String head = response.head();
      assertEquals(200, response.status(), head);
      assertEquals("ok", response.bodyText());
      assertEquals("1", response.header("X-Ok"));
      assertEquals(List.of("a=1", "b=2"), response.headerValues("Set-Cookie"));
      for (String dropped : List.of("Keep-Alive", "Proxy-Authenticate", "Upgrade", "X-Internal-Token")) {
        assertNull(response.header(dropped), dropped + " must not reach the client (RFC 9110 7.6.1):\n" + head);
      }
      assertTrue(response.headerValues("Connection").stream().allMatch("close"::equalsIgnoreCase), head);
    }
  }
}

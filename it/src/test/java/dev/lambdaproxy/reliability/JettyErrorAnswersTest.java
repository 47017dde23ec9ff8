package dev.lambdaproxy.reliability;

import static dev.lambdaproxy.reliability.Fixtures.KEY;
import static dev.lambdaproxy.reliability.Fixtures.SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lambdaproxy.testing.FakeLambda;
import dev.lambdaproxy.testing.Handlers;
import dev.lambdaproxy.testing.ProxyHarness;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The answers Jetty would make itself (odd request targets, CONNECT, malformed requests, a foreign
 * Upgrade), on both ports, on raw sockets: each is the product's JSON with a plain-text
 * {@code message}, echoes nothing the client chose beyond the path, and honours
 * {@code Connection: close}.
 */
class JettyErrorAnswersTest {

  private static final int READ_TIMEOUT_MILLIS = 5_000;

  private enum Port { MAIN, ADMIN }

  /** One raw request, sent with Connection: close, and the status that must come back. */
  private record Case(String name, Port port, String requestLineAndHeaders, int status) {

    String request() {
      return requestLineAndHeaders + "Connection: close\r\n\r\n";
    }
  }

  private static final List<Case> CASES = List.of(
      new Case("an encoded dot-dot path on the admin port", Port.ADMIN, "PURGE /%2e%2e HTTP/1.1\r\nHost: evil.example\r\n", 400),
      new Case("an encoded NUL path on the admin port", Port.ADMIN, "PURGE /%00 HTTP/1.1\r\nHost: evil.example\r\n", 400),
      new Case("an asterisk target on the admin port", Port.ADMIN, "PURGE * HTTP/1.1\r\nHost: evil.example\r\n", 400),
      new Case("OPTIONS with an asterisk on the admin port", Port.ADMIN, "OPTIONS * HTTP/1.1\r\nHost: evil.example\r\n", 400),
      new Case("CONNECT on the admin port", Port.ADMIN, "CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\n", 400),
      new Case("a bad header name on the admin port", Port.ADMIN, "GET /healthz HTTP/1.1\r\nHost: evil.example\r\nBad@Name: x\r\n", 400),
      new Case("PRI with an asterisk over HTTP/1.1", Port.MAIN, "PRI * HTTP/1.1\r\nHost: evil.example\r\n", 400),
      new Case("OPTIONS with an asterisk", Port.MAIN, "OPTIONS * HTTP/1.1\r\nHost: evil.example\r\n", 400),
      new Case("CONNECT to a host and port", Port.MAIN, "CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\n", 400),
      new Case("CONNECT without a Host", Port.MAIN, "CONNECT evil.example:443 HTTP/1.1\r\n", 400),
      new Case("a bad header name", Port.MAIN, "GET /echo HTTP/1.1\r\nHost: evil.example\r\nBad@Name: x\r\n", 400),
      new Case("an ambiguous absolute-form target", Port.MAIN, "GET http://evil.example/echo/%2e%2e/x HTTP/1.1\r\nHost: evil.example\r\n", 400),
      new Case("an encoded NUL in an absolute-form target", Port.MAIN, "GET http://evil.example/echo%00 HTTP/1.1\r\nHost: evil.example\r\n", 400),
      new Case("an ambiguous path with a client Host", Port.MAIN, "POST /echo/%2F HTTP/1.1\r\nHost: evil.example\r\n", 400),
      new Case("a request line with raw bytes", Port.MAIN, "GET /echo\u00ff\u0001 HTTP/1.1\r\nHost: evil.example\r\n", 400));

  private static FakeLambda lambda;
  private static ProxyHarness proxy;

  @BeforeAll
  static void start() throws Exception {
    lambda = FakeLambda.builder().credentials(KEY, SECRET).function("echo", Handlers.returning("\"ok\"")).start();
    proxy = ProxyHarness.builder().lambda(lambda, KEY, SECRET).routes("/echo = echo\n").admin().start();
  }

  @AfterAll
  static void stop() throws Exception {
    proxy.close();
    lambda.close();
  }

  @Test
  void everyErrorJettyWouldAnswerIsJsonWithAPlainMessageThatEchoesNoClientHostAndClosesWhenAsked() throws Exception {
    List<String> failures = new ArrayList<>();
    for (Case c : CASES) {
      Exchange exchange = send(port(c.port()), c.request());
      RawHttp.Response response = exchange.response();
      String body = response.bodyText();
      String context = c.name() + " (" + c.port() + "): " + response.status() + " " + response.header("Content-Type") + " "
          + body.substring(0, Math.min(body.length(), 160)).replaceAll("\\s+", " ");
      check(failures, response.status() == c.status(), "status " + c.status() + ": " + context);
      String contentType = response.header("Content-Type");
      check(failures, contentType != null && contentType.startsWith("application/json"), "application/json: " + context);
      check(failures, message(body) != null, "a JSON body with a message: " + context);
      check(failures, fieldNames(body).equals(List.of("message")), "the message and nothing else (no url, no status): " + context);
      for (String entity : List.of("&apos;", "&quot;", "&lt;", "&gt;", "&amp;", "&#")) {
        check(failures, !body.contains(entity), "no HTML entity " + entity + ": " + context);
      }
      check(failures, !response.head().contains("evil.example") && !body.contains("evil.example"),
          "no echo of the client's Host or URL: " + context);
      check(failures, body.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7f), "printable ASCII only in the body: " + context);
      check(failures, exchange.closedByServer(), "the connection closed as the client asked: " + context);
    }
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }

  @Test
  void anUpgradeThatConnectionDoesNotNameIsIgnoredAndTheRequestServed() throws Exception {
    for (String upgrade : List.of("Upgrade: foo\r\n", "Upgrade: h2c\r\n", "Upgrade: foo\r\nConnection: keep-alive\r\n")) {
      lambda.reset();
      Exchange exchange = send(proxy.server().port(),
          "GET /echo HTTP/1.1\r\nHost: proxy.test\r\n" + upgrade + "Connection: close\r\n\r\n");
      assertEquals(200, exchange.response().status(), upgrade + exchange.response());
      assertEquals("ok", exchange.response().bodyText(), upgrade + exchange.response());
      assertEquals(1, lambda.invocations().size(), "the function was called: " + upgrade);
      assertTrue(exchange.closedByServer(), "Connection: close honoured: " + upgrade);
    }
  }

  @Test
  void anUpgradeThatConnectionDoesNotNameIsIgnoredOnTheAdminPortToo() throws Exception {
    Exchange exchange = send(proxy.server().adminPort(), "GET /healthz HTTP/1.1\r\nHost: proxy.test\r\nUpgrade: foo\r\nConnection: close\r\n\r\n");
    assertEquals(200, exchange.response().status(), exchange.response().toString());
    assertEquals("live", Fixtures.json(exchange.response().bodyText()).path("status").asText());
  }

  @Test
  void aRefusedConnectClosesTheConnectionEvenWithoutConnectionClose() throws Exception {
    // The bytes after a CONNECT are meant for a tunnel; reading them as HTTP requests would be wrong.
    Exchange exchange = send(proxy.server().port(), "CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\n\r\n");
    assertEquals(400, exchange.response().status(), exchange.response().toString());
    assertEquals("close", exchange.response().header("Connection"), exchange.response().toString());
    assertTrue(exchange.closedByServer(), exchange.response().toString());
  }

  private static int port(Port port) {
    return port == Port.MAIN ? proxy.server().port() : proxy.server().adminPort();
  }

  private static void check(List<String> failures, boolean ok, String what) {
    if (!ok) {
      failures.add(what);
    }
  }

  private static String message(String body) {
    try {
      JsonNode message = Fixtures.json(body).get("message");
      return message != null && message.isTextual() && !message.asText().isBlank() ? message.asText() : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static List<String> fieldNames(String body) {
    try {
      List<String> names = new ArrayList<>();
      Fixtures.json(body).fieldNames().forEachRemaining(names::add);
      return names;
    } catch (RuntimeException e) {
      return List.of();
    }
  }

  /** What came back, and whether the server closed the connection (rather than the read timing out). */
  private record Exchange(RawHttp.Response response, boolean closedByServer) {}

  private static Exchange send(int port, String request) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(READ_TIMEOUT_MILLIS);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[8192];
      boolean closed = false;
      try {
        for (int read; ; ) {
          read = in.read(buffer);
          if (read < 0) {
            closed = true;
            break;
          }
          all.write(buffer, 0, read);
        }
      } catch (SocketTimeoutException e) {
        closed = false; // still open when the client gave up waiting
      } catch (IOException e) {
        closed = true; // a reset is a close too
      }
      return new Exchange(RawHttp.parse(all.toByteArray()), closed);
    }
  }
}

package dev.lambdaproxy.reliability;

import static dev.lambdaproxy.reliability.Fixtures.proxyTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lambdaproxy.config.ServerOptions;
import dev.lambdaproxy.testing.ProxyHarness;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The endpoint closes a kept-alive connection just as the proxy sends the next call on it (its
 * keep-alive ended while the call was on its way): the call goes once more on a new connection,
 * counted in {@code lambda_proxy_upstream_retries}, on either engine and either road. Nothing else
 * is retried: not a call whose answer had begun, not one on a new connection.
 */
class StaleUpstreamConnectionTest {

  private static final String OK = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"ok\":true}";
  private static final String ROUTES_TO_THE_FUNCTION = "/f = f ; timeout-ms=5000\n";

  /** How the endpoint drops the call it will not answer. */
  private enum Drop {
    CLOSE, RESET
  }

  /** The proxy's two ways of calling: a Lambda function's answer is buffered, an HTTP endpoint's streamed. */
  private enum Road {
    BUFFERED, STREAMED;

    String routes(CraftedUpstream endpoint) {
      return this == BUFFERED ? ROUTES_TO_THE_FUNCTION : "/f = " + endpoint.uri() + "/stage ; timeout-ms=5000\n";
    }
  }

  static Stream<Arguments> everyEngineRoadAndDrop() {
    return Stream.of(ServerOptions.Engine.values()).flatMap(engine -> Stream.of(Road.values())
        .flatMap(road -> Stream.of(Drop.values()).map(drop -> Arguments.of(engine, road, drop))));
  }

  @ParameterizedTest(name = "{0}, {1}: the endpoint {2}s it")
  @MethodSource("everyEngineRoadAndDrop")
  void aCallOnAPooledConnectionTheEndpointHadClosedIsSentOnceMoreOnANewOne(ServerOptions.Engine engine, Road road, Drop drop)
      throws Exception {
    try (CraftedUpstream endpoint = new CraftedUpstream(onItsConnection((socket, out, nth) -> {
          if (nth == 2) {
            if (drop == Drop.RESET) {
              CraftedUpstream.reset(socket);
            }
            return false; // closed with the call unanswered, as an endpoint ending an idle connection races it
          }
          write(out, OK);
          return true;
        }));
        ProxyHarness proxy = proxyTo(endpoint.uri()).engine(engine).admin().routes(road.routes(endpoint)).start()) {
      assertEquals(200, proxy.post("/f", "{}").statusCode());
      HttpResponse<String> second = proxy.post("/f", "{}");

      assertEquals(200, second.statusCode(), second.body());
      assertEquals("{\"ok\":true}", second.body());
      assertEquals(3, endpoint.requestCount(), "the first, the one the endpoint dropped, and its retry");
      assertEquals(2, endpoint.connectionCount());
      assertTrue(endpoint.heads().get(2).toLowerCase(Locale.ROOT).contains("content-length: 2\r\n"),
          "the retry carries the whole body: " + endpoint.heads().get(2));
      assertEquals(1.0, retries(proxy));
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(ServerOptions.Engine.class)
  void aResetAfterTheAnswersFirstByteIs502AndNotRetried(ServerOptions.Engine engine) throws Exception {
    try (CraftedUpstream endpoint = new CraftedUpstream(onItsConnection((socket, out, nth) -> {
          if (nth == 2) {
            write(out, "HTTP/1.1 2"); // not even a whole status line
            CraftedUpstream.reset(socket);
            return false;
          }
          write(out, OK);
          return true;
        }));
        ProxyHarness proxy = proxyTo(endpoint.uri()).engine(engine).admin().routes(ROUTES_TO_THE_FUNCTION).start()) {
      assertEquals(200, proxy.post("/f", "{}").statusCode());
      HttpResponse<String> second = proxy.post("/f", "{}");

      assertEquals(502, second.statusCode(), second.body());
      assertEquals(2, endpoint.requestCount());
      assertEquals(0.0, retries(proxy));
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(ServerOptions.Engine.class)
  void aResetAfterTheAnswersHeadIs502AndNotRetried(ServerOptions.Engine engine) throws Exception {
    try (CraftedUpstream endpoint = new CraftedUpstream(onItsConnection((socket, out, nth) -> {
          if (nth == 2) {
            write(out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\":");
            CraftedUpstream.reset(socket);
            return false;
          }
          write(out, OK);
          return true;
        }));
        ProxyHarness proxy = proxyTo(endpoint.uri()).engine(engine).admin().routes(ROUTES_TO_THE_FUNCTION).start()) {
      assertEquals(200, proxy.post("/f", "{}").statusCode());
      HttpResponse<String> second = proxy.post("/f", "{}");

      assertEquals(502, second.statusCode(), second.body());
      assertEquals(2, endpoint.requestCount());
      assertEquals(0.0, retries(proxy));
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(ServerOptions.Engine.class)
  void aNewConnectionClosedBeforeTheAnswerIs502AndNotRetried(ServerOptions.Engine engine) throws Exception {
    try (CraftedUpstream endpoint = new CraftedUpstream((socket, out, head) -> false);
        ProxyHarness proxy = proxyTo(endpoint.uri()).engine(engine).admin().routes(ROUTES_TO_THE_FUNCTION).start()) {
      HttpResponse<String> response = proxy.post("/f", "{}");

      assertEquals(502, response.statusCode(), response.body());
      assertTrue(Fixtures.message(response).contains("the connection broke before the answer was complete"), response.body());
      assertEquals(1, endpoint.requestCount());
      assertEquals(0.0, retries(proxy));
    }
  }

  /** Writes the answer to the {@code nth} request on its connection, 1 for the first. */
  @FunctionalInterface
  private interface NthAnswer {
    boolean write(Socket socket, OutputStream out, int nth) throws IOException, InterruptedException;
  }

  private static CraftedUpstream.Answer onItsConnection(NthAnswer answer) {
    Map<Socket, AtomicInteger> served = new ConcurrentHashMap<>();
    return (socket, out, head) -> answer.write(socket, out, served.computeIfAbsent(socket, s -> new AtomicInteger()).incrementAndGet());
  }

  private static void write(OutputStream out, String bytes) throws IOException {
    out.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  private static double retries(ProxyHarness proxy) {
    String metrics = proxy.send(HttpRequest.newBuilder(proxy.adminUri("/metrics"))).body();
    return SlowFunctionTest.gauge(metrics, "lambda_proxy_upstream_retries_total", "");
  }
}

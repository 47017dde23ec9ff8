package dev.lambdaproxy.credentials;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A real HTTP server on an ephemeral loopback port that answers with a swappable handler and records what it got. */
final class StubServer implements AutoCloseable {

  /** One request as it arrived; header names lower-case. */
  record Received(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {

    String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null || values.isEmpty() ? null : values.get(0);
    }

    String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** The body as an application/x-www-form-urlencoded form. */
    Map<String, String> form() {
      Map<String, String> form = new LinkedHashMap<>();
      for (String pair : bodyText().split("&")) {
        if (!pair.isEmpty()) {
          int equals = pair.indexOf('=');
          String name = equals < 0 ? pair : pair.substring(0, equals);
          String value = equals < 0 ? "" : pair.substring(equals + 1);
          form.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
      }
      return form;
    }
  }

  record Reply(int status, String contentType, String body, Duration delay) {

    static Reply json(String body) {
      return new Reply(200, "application/json", body, Duration.ZERO);
    }

    static Reply xml(String body) {
      return new Reply(200, "text/xml", body, Duration.ZERO);
    }

    static Reply text(String body) {
      return new Reply(200, "text/plain", body, Duration.ZERO);
    }

    static Reply status(int status) {
      return new Reply(status, "text/plain", "status " + status, Duration.ZERO);
    }

    Reply after(Duration delay) {
      return new Reply(status, contentType, body, delay);
    }

    Reply withStatus(int status) {
      return new Reply(status, contentType, body, delay);
    }
  }

  interface Handler {
    Reply handle(Received request) throws Exception;
  }

  private final HttpServer server;
  private final ExecutorService threads;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile Handler handler;

  private StubServer(Handler handler) throws IOException {
    this.handler = handler;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    this.threads = Executors.newCachedThreadPool(task -> {
      Thread thread = new Thread(task, "stub-server");
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(threads);
    server.createContext("/", this::serve);
    server.start();
  }

  static StubServer start(Handler handler) {
    try {
      return new StubServer(handler);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void handler(Handler handler) {
    this.handler = handler;
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  List<Received> received() {
    return new ArrayList<>(received);
  }

  int count() {
    return received.size();
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      Map<String, List<String>> headers = new LinkedHashMap<>();
      exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
      byte[] body = exchange.getRequestBody().readAllBytes();
      Received request = new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
          exchange.getRequestURI().getRawQuery(), headers, body);
      received.add(request);
      Reply reply;
      try {
        reply = handler.handle(request);
      } catch (Exception e) {
        reply = new Reply(500, "text/plain", "stub failed: " + e, Duration.ZERO);
      }
      if (!reply.delay().isZero()) {
        Thread.sleep(reply.delay().toMillis());
      }
      byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", reply.contentType());
      exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
      exchange.getResponseBody().write(bytes);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}

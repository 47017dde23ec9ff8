package dev.lambdaproxy.eventloop;

import static dev.lambdaproxy.eventloop.NettyUpstreamCraftedServer.reset;
import static dev.lambdaproxy.eventloop.NettyUpstreamCraftedServer.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lambdaproxy.config.AwsAccess;
import dev.lambdaproxy.config.EventFormat;
import dev.lambdaproxy.config.Settings;
import dev.lambdaproxy.config.TrustedProxies;
import dev.lambdaproxy.credentials.AwsCredentials;
import dev.lambdaproxy.invoke.event.Header;
import dev.lambdaproxy.pipeline.ProxyRequest;
import dev.lambdaproxy.pipeline.ServerResponse;
import dev.lambdaproxy.pipeline.Upstream;
import dev.lambdaproxy.pipeline.UpstreamFailure;
import dev.lambdaproxy.runtime.Telemetry;
import dev.lambdaproxy.sigv4.PayloadHash;
import dev.lambdaproxy.sigv4.SigV4Result;
import dev.lambdaproxy.sigv4.SigV4Signer;
import dev.lambdaproxy.sigv4.SignableRequest;
import dev.lambdaproxy.testing.FakeLambda;
import dev.lambdaproxy.testing.Handlers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoop;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** NettyUpstream against real servers on loopback: FakeLambda for a signed call, crafted bytes for the wire's corner cases. */
class NettyUpstreamTest {

  private static final String KEY = "AKIDNETTYUPSTREAM";
  private static final String SECRET = "netty-upstream-secret";
  private static final String OK = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"ok\":true}";
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private static Transport transport;
  private SimpleMeterRegistry registry;
  private NettyUpstream upstream;

  @BeforeAll
  static void startLoops() {
    transport = Transport.start(2, "upstream-test");
  }

  @AfterAll
  static void stopLoops() {
    transport.close();
  }

  @BeforeEach
  void newUpstream() {
    upstream = upstream(Settings.DEFAULT_MAX_CONNECTIONS, Settings.DEFAULT_KEEPALIVE);
  }

  @AfterEach
  void closeUpstream() {
    upstream.close();
  }

  private NettyUpstream upstream(int maxConnections, Duration keepAlive) {
    return upstream(maxConnections, keepAlive, true);
  }

  private NettyUpstream upstream(int maxConnections, Duration keepAlive, boolean sslVerify) {
    registry = new SimpleMeterRegistry();
    Settings settings = new Settings(null, null, Settings.DEFAULT_TIMEOUT, Settings.DEFAULT_MAX_BODY_BYTES, sslVerify, maxConnections,
        keepAlive, EventFormat.RAW, TrustedProxies.none(), AwsAccess.NONE, Settings.DEFAULT_IDLE_TIMEOUT);
    return new NettyUpstream(transport, settings, new Telemetry(registry, false));
  }

  @Test
  void aSignedInvokeReachesTheVerifyingLambdaAndItsAnswerComesBackWhole() throws Exception {
    try (FakeLambda lambda = FakeLambda.builder().credentials(KEY, SECRET).function("echo", Handlers.echo()).start()) {
      URI uri = lambda.invokeUri("echo");
      byte[] payload = "{\"hello\":\"netty\"}".getBytes(StandardCharsets.UTF_8);
      String host = uri.getHost() + ":" + uri.getPort();
      SigV4Result signature = new SigV4Signer(Clock.systemUTC()).sign(
          new SignableRequest("POST", uri.getRawPath(), null, List.of(new dev.lambdaproxy.sigv4.Header("host", host)),
              PayloadHash.sha256Hex(payload, 0, payload.length)),
          AwsCredentials.of(KEY, SECRET), FakeLambda.DEFAULT_REGION, "lambda");
      List<Header> headers = List.of(new Header("host", host), new Header("Content-Type", "application/json"),
          new Header("X-Amz-Date", signature.amzDate()), new Header("Authorization", signature.authorization()));
      // Two pieces, as a client's body is read: sent as one body, neither copied nor moved.
      ByteBuffer first = ByteBuffer.wrap(payload, 0, 5).slice();
      ByteBuffer second = ByteBuffer.wrap(payload, 5, payload.length - 5).slice();
      ProxyRequest call = new ProxyRequest("POST", uri, headers, List.of(first, second), TIMEOUT, false);

      ServerResponse answer = upstream.exchange(call).get(10, TimeUnit.SECONDS);

      assertEquals(200, answer.status(), new String(answer.body(), StandardCharsets.UTF_8));
      assertEquals("{\"hello\":\"netty\"}", new String(answer.body(), StandardCharsets.UTF_8));
      assertEquals("{\"hello\":\"netty\"}", lambda.lastInvocation().payloadAsString());
      assertEquals(0, first.position(), "the caller's buffers are not moved");
    }
  }

  @Test
  void tenSequentialCallsFromOneLoopShareOneKeptAliveConnection() throws Exception {
    try (NettyUpstreamCraftedServer endpoint = NettyUpstreamCraftedServer.keepAlive(OK)) {
      EventLoop loop = transport.loops().next();
      for (int i = 0; i < 10; i++) {
        ServerResponse answer = onLoop(loop, () -> upstream.exchange(post(endpoint.uri("/f?i=1"), "{}"))).get(10, TimeUnit.SECONDS);
        assertEquals(200, answer.status());
        assertEquals("{\"ok\":true}", new String(answer.body(), StandardCharsets.UTF_8));
      }
      assertEquals(10, endpoint.requestCount());
      assertEquals(1, endpoint.connectionCount(), "one connection for every call of the loop");
      assertEquals(1.0, gauge("idle"));
      assertEquals(0.0, gauge("active"));
      String head = endpoint.heads().get(0);
      assertTrue(head.startsWith("POST /f?i=1 HTTP/1.1\r\n"), head);
      assertTrue(head.contains("\r\ncontent-length: 2\r\n") || head.contains("\r\nContent-Length: 2\r\n"), head);
      assertFalse(head.toLowerCase().contains("user-agent"), "no User-Agent added: " + head);
    }
  }

  @Test
  void bytesPastAnAnswersContentLengthNeverBecomeTheNextCallsAnswer() throws Exception {
    String forged = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 17\r\n\r\n{\"poisoned\":true}";
    try (NettyUpstreamCraftedServer lying = NettyUpstreamCraftedServer.keepAlive(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}" + forged)) {
      EventLoop loop = transport.loops().next();
      for (int i = 0; i < 10; i++) {
        ServerResponse answer = onLoop(loop, () -> upstream.exchange(post(lying.uri("/f"), "{}"))).get(10, TimeUnit.SECONDS);
        assertEquals("{}", new String(answer.body(), StandardCharsets.UTF_8), "call " + i);
      }
      assertEquals(10, lying.requestCount(), "every call reached the endpoint; none was answered from leftover bytes");
    }
  }

  @Test
  void callsBeyondMaxConnectionsWaitForAConnectionRatherThanOpenMore() throws Exception {
    upstream.close();
    upstream = upstream(1, Settings.DEFAULT_KEEPALIVE);
    try (NettyUpstreamCraftedServer endpoint = NettyUpstreamCraftedServer.keepAlive(OK)) {
      EventLoop loop = transport.loops().next();
      List<CompletableFuture<ServerResponse>> calls = onLoop(loop, () -> {
        List<CompletableFuture<ServerResponse>> started = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          started.add(upstream.exchange(post(endpoint.uri("/f"), "{}")));
        }
        return CompletableFuture.completedFuture(started);
      }).get(10, TimeUnit.SECONDS);
      for (CompletableFuture<ServerResponse> call : calls) {
        assertEquals(200, call.get(10, TimeUnit.SECONDS).status());
      }
      assertEquals(1, endpoint.connectionCount());
    }
  }

  @Test
  void interimAnswersAreSkippedAndTheFinalOneRead() throws Exception {
    try (NettyUpstreamCraftedServer endpoint = NettyUpstreamCraftedServer.keepAlive(
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
            + "HTTP/1.1 102 Processing\r\n\r\n" + OK)) {
      EventLoop loop = transport.loops().next();
      ServerResponse answer = onLoop(loop, () -> upstream.exchange(post(endpoint.uri("/f"), "{}"))).get(10, TimeUnit.SECONDS);
      assertEquals(200, answer.status());
      assertEquals("{\"ok\":true}", new String(answer.body(), StandardCharsets.UTF_8));
      assertEquals(200, onLoop(loop, () -> upstream.exchange(post(endpoint.uri("/f"), "{}"))).get(10, TimeUnit.SECONDS).status());
      assertEquals(1, endpoint.connectionCount(), "the connection stays usable after interim answers");
    }
  }

  @Test
  void switchingProtocolsIsAnInformationalFailure() throws Exception {
    try (NettyUpstreamCraftedServer endpoint = NettyUpstreamCraftedServer.keepAlive(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")) {
      UpstreamFailure failure = failure(upstream.exchange(post(endpoint.uri("/f"), "{}")));
      assertEquals(UpstreamFailure.Kind.INFORMATIONAL, failure.kind());
      assertEquals(101, failure.status());
      await(() -> endpoint.closedCount() == 1, "the connection is closed");
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"declared", "chunked"})
  void anAnswerOverTheBufferedCapIsTooLargeAndItsConnectionClosed(String framing) throws Exception {
    int length = Upstream.MAX_BUFFERED_ANSWER_BYTES + 1;
    try (NettyUpstreamCraftedServer endpoint = new NettyUpstreamCraftedServer((socket, out, head, nth) -> {
      byte[] chunk = new byte[64 * 1024];
      Arrays.fill(chunk, (byte) 'x');
      if (framing.equals("declared")) {
        write(out, "HTTP/1.1 200 OK\r\nContent-Length: " + length + "\r\n\r\n");
        for (int sent = 0; sent < length; sent += chunk.length) {
          out.write(chunk, 0, Math.min(chunk.length, length - sent));
        }
      } else {
        write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int sent = 0; sent < length; sent += chunk.length) {
          out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
          out.write(chunk);
          out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        write(out, "0\r\n\r\n");
      }
      return true;
    })) {
      UpstreamFailure failure = failure(upstream.exchange(post(endpoint.uri("/f"), "{}")));
      assertEquals(UpstreamFailure.Kind.TOO_LARGE, failure.kind());
      await(() -> endpoint.closedCount() == 1, "the connection is closed");
    }
  }

  @Test
  void aHeaderBlockOver8KiBIsInvalidHttp() throws Exception {
    StringBuilder answer = new StringBuilder("HTTP/1.1 200 OK\r\n");
    for (int i = 0; answer.length() < 9 * 1024; i++) {
      answer.append("X-Filler-").append(i).append(": ").append("v".repeat(60)).append("\r\n");
    }
    try (NettyUpstreamCraftedServer endpoint = NettyUpstreamCraftedServer.keepAlive(answer.append("Content-Length: 2\r\n\r\n{}").toString())) {
      UpstreamFailure failure = failure(upstream.exchange(post(endpoint.uri("/f"), "{}")));
      assertEquals(UpstreamFailure.Kind.INVALID_HTTP, failure.kind());
      assertTrue(failure.reason().contains("8192"), failure.reason());
    }
  }

  @Test
  void aGarbageStatusLineIsInvalidHttp() throws Exception {
    try (NettyUpstreamCraftedServer endpoint = NettyUpstreamCraftedServer.keepAlive("HTTQ/9.9 banana\r\n\r\n")) {
      UpstreamFailure failure = failure(upstream.exchange(post(endpoint.uri("/f"), "{}")));
      assertEquals(UpstreamFailure.Kind.INVALID_HTTP, failure.kind(), failure.reason());
    }
  }

  @Test
  void aClosedPortIsRefused() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    UpstreamFailure failure = failure(upstream.exchange(post(URI.create("http://127.0.0.1:" + port + "/f"), "{}")));
    assertEquals(UpstreamFailure.Kind.REFUSED, failure.kind());
  }

  @Test
  void anUnknownHostIsUnknownHost() throws Exception {
    UpstreamFailure failure = failure(upstream.exchange(post(URI.create("http://no-such-host.invalid/f"), "{}")));
    assertEquals(UpstreamFailure.Kind.UNKNOWN_HOST, failure.kind());
  }

  @Test
  void anEndpointSilentPastTheTotalTimeoutIsTimeoutAndItsConnectionClosed() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    try (NettyUpstreamCraftedServer endpoint = new NettyUpstreamCraftedServer((socket, out, head, nth) -> {
      never.await();
      return false;
    })) {
      long started = System.nanoTime();
      ProxyRequest call = new ProxyRequest("POST", endpoint.uri("/f"), List.of(), List.of(ByteBuffer.wrap(new byte[] {'{', '}'})),
          Duration.ofMillis(300), false);
      UpstreamFailure failure = failure(upstream.exchange(call));
      assertEquals(UpstreamFailure.Kind.TIMEOUT, failure.kind());
      long millis = (System.nanoTime() - started) / 1_000_000;
      assertTrue(millis >= 290 && millis < 3_000, millis + " ms");
      assertEquals(0.0, retries(), "a timeout is never retried");
    } finally {
      never.countDown();
    }
  }

  @Test
  void aStreamThatKeepsSendingOutlivesItsIdleTimeoutButOneThatFallsSilentFails() throws Exception {
    try (NettyUpstreamCraftedServer endpoint = new NettyUpstreamCraftedServer((socket, out, head, nth) -> {
      write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
      for (int i = 0; i < 8; i++) {
        write(out, "1\r\nx\r\n");
        Thread.sleep(100); // the endpoint's pace: a byte every 100 ms, within the 300 ms idle timeout
      }
      if (head.contains("/silent")) {
        Thread.sleep(60_000);
      }
      write(out, "0\r\n\r\n");
      return true;
    })) {
      RecordingListener trickle = new RecordingListener(true);
      upstream.stream(new ProxyRequest("GET", endpoint.uri("/trickle"), List.of(), List.of(), Duration.ofMillis(300), true), trickle);
      trickle.ended.get(10, TimeUnit.SECONDS);
      assertEquals(8, trickle.bytes.get());

      RecordingListener silent = new RecordingListener(true);
      upstream.stream(new ProxyRequest("GET", endpoint.uri("/silent"), List.of(), List.of(), Duration.ofMillis(300), true), silent);
      UpstreamFailure failure = failure(silent.ended);
      assertEquals(UpstreamFailure.Kind.TIMEOUT, failure.kind());
      assertEquals(8, silent.bytes.get());
    }
  }

  @Test
  void aStreamedAnswerIsReadOnlyAsFastAsTheListenerLetsGoOfIt() throws Exception {
    long total = 20L * 1024 * 1024;
    AtomicLong written = new AtomicLong();
    try (NettyUpstreamCraftedServer endpoint = new NettyUpstreamCraftedServer((socket, out, head, nth) -> {
      socket.setSendBufferSize(64 * 1024);
      write(out, "HTTP/1.1 200 OK\r\nContent-Length: " + total + "\r\n\r\n");
      byte[] chunk = new byte[64 * 1024];
      Arrays.fill(chunk, (byte) 'x');
      for (long sent = 0; sent < total; sent += chunk.length) {
        out.write(chunk);
        written.addAndGet(chunk.length);
      }
      out.flush();
      return true;
    })) {
      RecordingListener listener = new RecordingListener(false);
      upstream.stream(new ProxyRequest("GET", endpoint.uri("/big"), List.of(), List.of(), Duration.ofSeconds(30), true), listener);
      await(() -> listener.pieces.get() == 1, "the first piece is handed over");
      awaitSteady(written::get, 500);

      assertEquals(1, listener.pieces.get(), "no second piece while the first is held");
      assertTrue(written.get() < 8L * 1024 * 1024, "the endpoint could write only " + written.get() + " of " + total
          + " bytes: the rest waits in its socket, not in the proxy");

      listener.demandFromNowOn();
      listener.ended.get(30, TimeUnit.SECONDS);
      assertEquals(total, listener.bytes.get());
      assertEquals(total, written.get());
    }
  }

  @ParameterizedTest(name = "the endpoint {0}s it")
  @ValueSource(strings = {"close", "reset"})
  void aCallOnAPooledConnectionTheEndpointHadClosedIsSentOnceMoreOnANewOne(String how) throws Exception {
    try (NettyUpstreamCraftedServer endpoint = new NettyUpstreamCraftedServer((socket, out, head, nth) -> {
      if (nth == 2) {
        if (how.equals("reset")) {
          reset(socket);
        }
        return false; // closed with the request unanswered, as a server closing an idle connection races it
      }
      write(out, OK);
      return true;
    })) {
      EventLoop loop = transport.loops().next();
      assertEquals(200, onLoop(loop, () -> upstream.exchange(post(endpoint.uri("/f"), "{}"))).get(10, TimeUnit.SECONDS).status());
      ServerResponse second = onLoop(loop, () -> upstream.exchange(post(endpoint.uri("/f"), "{}"))).get(10, TimeUnit.SECONDS);

      assertEquals(200, second.status());
      assertEquals(3, endpoint.requestCount(), "the first, the one the endpoint dropped, and its retry");
      assertEquals(2, endpoint.connectionCount());
      assertEquals(1.0, retries());
    }
  }

  @Test
  void aResetAfterTheAnswersFirstByteIsBrokenAndNotRetried() throws Exception {
    try (NettyUpstreamCraftedServer endpoint = new NettyUpstreamCraftedServer((socket, out, head, nth) -> {
      if (nth == 2) {
        write(out, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"a\":");
        reset(socket);
        return false;
      }
      write(out, OK);
      return true;
    })) {
      EventLoop loop = transport.loops().next();
      assertEquals(200, onLoop(loop, () -> upstream.exchange(post(endpoint.uri("/f"), "{}"))).get(10, TimeUnit.SECONDS).status());
      UpstreamFailure failure = failure(onLoop(loop, () -> upstream.exchange(post(endpoint.uri("/f"), "{}"))));

      assertEquals(UpstreamFailure.Kind.BROKEN, failure.kind());
      assertEquals(2, endpoint.requestCount());
      assertEquals(0.0, retries());
    }
  }

  @Test
  void aNewConnectionClosedBeforeTheAnswerIsBrokenAndNotRetried() throws Exception {
    try (NettyUpstreamCraftedServer endpoint = new NettyUpstreamCraftedServer((socket, out, head, nth) -> false)) {
      UpstreamFailure failure = failure(upstream.exchange(post(endpoint.uri("/f"), "{}")));
      assertEquals(UpstreamFailure.Kind.BROKEN, failure.kind());
      assertEquals(1, endpoint.requestCount());
      assertEquals(0.0, retries());
    }
  }

  @Test
  void aPooledConnectionTheEndpointClosesWhileIdleLeavesThePool() throws Exception {
    try (NettyUpstreamCraftedServer endpoint = new NettyUpstreamCraftedServer((socket, out, head, nth) -> {
      write(out, OK);
      return false; // answers with keep-alive, then closes
    })) {
      assertEquals(200, upstream.exchange(post(endpoint.uri("/f"), "{}")).get(10, TimeUnit.SECONDS).status());
      await(() -> gauge("idle") == 0.0 && gauge("active") == 0.0, "the closed connection leaves the pool");
      assertEquals(200, upstream.exchange(post(endpoint.uri("/f"), "{}")).get(10, TimeUnit.SECONDS).status());
      assertEquals(0.0, retries(), "a connection known closed is never tried");
    }
  }

  @Test
  void anIdleConnectionIsClosedAfterKeepAlive() throws Exception {
    upstream.close();
    upstream = upstream(4, Duration.ofMillis(200));
    try (NettyUpstreamCraftedServer endpoint = NettyUpstreamCraftedServer.keepAlive(OK)) {
      assertEquals(200, upstream.exchange(post(endpoint.uri("/f"), "{}")).get(10, TimeUnit.SECONDS).status());
      await(() -> endpoint.closedCount() == 1, "the proxy closes the connection idle for keep-alive");
      assertEquals(0.0, gauge("idle"));
    }
  }

  @Test
  void cancellingTheAnswerClosesTheConnection() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    try (NettyUpstreamCraftedServer endpoint = new NettyUpstreamCraftedServer((socket, out, head, nth) -> {
      write(out, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{");
      never.await();
      return false;
    })) {
      CompletableFuture<ServerResponse> answer = upstream.exchange(post(endpoint.uri("/f"), "{}"));
      await(() -> endpoint.requestCount() == 1, "the call arrives");
      answer.cancel(false);
      await(() -> gauge("active") == 0.0 && gauge("idle") == 0.0, "the connection is closed");
    } finally {
      never.countDown();
    }
  }

  @Test
  void abortingAStreamTellsItsListenerWhy() throws Exception {
    try (NettyUpstreamCraftedServer endpoint = NettyUpstreamCraftedServer.keepAlive(
        "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{")) {
      RecordingListener listener = new RecordingListener(false);
      Upstream.Call call = upstream.stream(post(endpoint.uri("/f"), "{}"), listener);
      await(() -> listener.pieces.get() == 1, "the first piece arrives");
      UpstreamFailure why = new UpstreamFailure(UpstreamFailure.Kind.OTHER, "client gone", null);
      call.abort(why);
      try {
        listener.ended.get(10, TimeUnit.SECONDS);
        fail("aborted, yet it ended");
      } catch (ExecutionException e) {
        assertEquals(why, e.getCause());
      }
      listener.demandFromNowOn();
    }
  }

  @Test
  void aSelfSignedCertificateIsRefusedAsTlsBeforeAnythingIsSent() throws Exception {
    try (NettyUpstreamCraftedServer endpoint = new NettyUpstreamCraftedServer(selfSigned(), (socket, out, head, nth) -> {
      write(out, OK);
      return true;
    })) {
      UpstreamFailure failure = failure(upstream.exchange(post(endpoint.uri("/f"), "{}")));
      assertEquals(UpstreamFailure.Kind.TLS, failure.kind(), failure.reason());
      assertTrue(failure.detail() != null && failure.detail().endsWith("Exception"), "names what failed: " + failure.reason());
      assertEquals(0, endpoint.requestCount());
    }
  }

  @Test
  void withSslVerifyOffASelfSignedEndpointIsCalledOverOneKeptAliveTlsConnection() throws Exception {
    upstream.close();
    upstream = upstream(4, Settings.DEFAULT_KEEPALIVE, false);
    try (NettyUpstreamCraftedServer endpoint = new NettyUpstreamCraftedServer(selfSigned(), (socket, out, head, nth) -> {
      write(out, OK);
      return true;
    })) {
      EventLoop loop = transport.loops().next();
      for (int i = 0; i < 3; i++) {
        ServerResponse answer = onLoop(loop, () -> upstream.exchange(post(endpoint.uri("/f"), "{}"))).get(10, TimeUnit.SECONDS);
        assertEquals("{\"ok\":true}", new String(answer.body(), StandardCharsets.UTF_8));
      }
      assertEquals(1, endpoint.connectionCount());
    }
  }

  private static SSLContext selfSigned() throws Exception {
    Path dir = Files.createTempDirectory("netty-upstream-tls");
    Path keystore = dir.resolve("endpoint.p12");
    String password = "changeit-netty-upstream";
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", password, "-keypass", password,
        "-alias", "endpoint", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2", "-dname", "CN=localhost",
        "-ext", "SAN=dns:localhost,ip:127.0.0.1").redirectErrorStream(true).start();
    String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, "keytool: " + output);
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, password.toCharArray());
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, password.toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }

  private static ProxyRequest post(URI uri, String json) {
    return new ProxyRequest("POST", uri, List.of(new Header("Host", uri.getRawAuthority()), new Header("Content-Type", "application/json")),
        List.of(ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8))), TIMEOUT, false);
  }

  private static <T> CompletableFuture<T> onLoop(EventLoop loop, java.util.function.Supplier<CompletableFuture<T>> call) {
    return CompletableFuture.supplyAsync(call, loop).thenCompose(started -> started);
  }

  private static UpstreamFailure failure(CompletableFuture<?> call) throws Exception {
    try {
      Object answer = call.get(10, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure, got " + answer);
    } catch (ExecutionException e) {
      return assertInstanceOf(UpstreamFailure.class, e.getCause());
    }
  }

  private double gauge(String state) {
    return registry.get("lambda_proxy_upstream_connections").tag("state", state).gauge().value();
  }

  private double retries() {
    return registry.get("lambda_proxy_upstream_retries").counter().count();
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("not within 10 s: " + what);
      }
      Thread.sleep(10);
    }
  }

  /** Waits until {@code value} has not changed for {@code quietMillis}: the writer is blocked. */
  private static void awaitSteady(LongSupplier value, long quietMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    long last = value.getAsLong();
    long since = System.nanoTime();
    while (System.nanoTime() - since < TimeUnit.MILLISECONDS.toNanos(quietMillis)) {
      if (System.nanoTime() > deadline) {
        fail("still growing after 20 s: " + value.getAsLong());
      }
      Thread.sleep(20);
      long now = value.getAsLong();
      if (now != last) {
        last = now;
        since = System.nanoTime();
      }
    }
  }

  /** Records a streamed answer; holds each piece until told to demand, or demands at once. */
  private static final class RecordingListener implements Upstream.StreamListener {
    final CompletableFuture<Void> ended = new CompletableFuture<>();
    final java.util.concurrent.atomic.AtomicInteger pieces = new java.util.concurrent.atomic.AtomicInteger();
    final AtomicLong bytes = new AtomicLong();
    final AtomicReference<Runnable> held = new AtomicReference<>();
    final AtomicBoolean demanding;

    RecordingListener(boolean demanding) {
      this.demanding = new AtomicBoolean(demanding);
    }

    @Override
    public void onHead(ServerResponse head) {
      if (head.status() != 200) {
        ended.completeExceptionally(new AssertionError("status " + head.status()));
      }
    }

    @Override
    public void onContent(ByteBuffer piece, Runnable demand) {
      pieces.incrementAndGet();
      bytes.addAndGet(piece.remaining());
      if (demanding.get()) {
        demand.run();
      } else {
        held.set(demand);
      }
    }

    void demandFromNowOn() {
      demanding.set(true);
      Runnable demand = held.getAndSet(null);
      if (demand != null) {
        demand.run();
      }
    }

    @Override
    public void onEnd() {
      ended.complete(null);
    }

    @Override
    public void onFailure(Throwable failure) {
      ended.completeExceptionally(failure);
    }
  }
}

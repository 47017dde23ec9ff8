package dev.lambdaproxy.servlet;

import static dev.lambdaproxy.invoke.stream.EventStreamFrames.httpPrelude;
import static dev.lambdaproxy.invoke.stream.EventStreamFrames.invokeComplete;
import static dev.lambdaproxy.invoke.stream.EventStreamFrames.payloadChunk;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lambdaproxy.invoke.stream.EventStreamFrames;
import dev.lambdaproxy.testing.FakeLambda;
import dev.lambdaproxy.testing.LambdaReply;
import dev.lambdaproxy.testing.ProxyHarness;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** InvokeWithResponseStream behind the proxy: the first byte before the last, preludes, and errors before and after the body began. */
class StreamingEndToEndTest {

  private static final String KEY = "AKIDSTREAMTEST";
  private static final String SECRET = "stream/test+SECRET/8hJs";
  private static final String RAW = "application/octet-stream";
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static FakeLambda lambda;
  private static ProxyHarness proxy;
  private static volatile LambdaReply nextReply;

  @BeforeAll
  static void start() throws Exception {
    lambda = FakeLambda.builder().credentials(KEY, SECRET)
        .function("streamer", invocation -> {
          assertTrue(invocation.rawPath().endsWith("/response-streaming-invocations"), invocation.rawPath());
          return nextReply;
        })
        .start();
    proxy = ProxyHarness.builder().lambda(lambda, KEY, SECRET)
        .routes("""
            /tokens = streamer ; stream=true ; content-type=text/event-stream
            /raw = streamer ; stream=true
            /v2 = streamer ; stream=true ; event=apigw-v2
            /missing = nobody ; stream=true
            """)
        .start();
  }

  @AfterAll
  static void stop() throws Exception {
    proxy.close();
    lambda.close();
  }

  private static HttpResponse<InputStream> open(String path) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(proxy.uri(path)).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofInputStream());
  }

  @Test
  void theFirstChunkReachesTheClientBeforeTheFunctionSendsTheLast() throws Exception {
    CompletableFuture<Void> gate = new CompletableFuture<>();
    nextReply = LambdaReply.gatedStream(RAW, List.of(payloadChunk("data: one\n\n"), payloadChunk("data: two\n\n"), invokeComplete(null, null)),
        Duration.ZERO, 1, gate);
    try {
      HttpResponse<InputStream> response = open("/tokens");
      assertEquals(200, response.statusCode());
      assertEquals("text/event-stream", response.headers().firstValue("Content-Type").orElseThrow().split(";")[0]);
      try (InputStream body = response.body()) {
        assertEquals("data: one\n\n", new String(body.readNBytes("data: one\n\n".length()), StandardCharsets.UTF_8));
        gate.complete(null); // only now does the fixture send the rest
        assertEquals("data: two\n\n", new String(body.readAllBytes(), StandardCharsets.UTF_8));
      }
    } finally {
      gate.complete(null);
    }
  }

  @Test
  void anHttpIntegrationPreludeSetsStatusHeadersAndCookiesAndIsStripped() throws Exception {
    nextReply = LambdaReply.stream(EventStreamFrames.HTTP_INTEGRATION, List.of(
        payloadChunk(httpPrelude(201, Map.of("Content-Type", "text/csv", "X-Report", "r1", "Connection", "close"), List.of("seen=1"))),
        payloadChunk("a,b\n"), payloadChunk("1,2\n"), invokeComplete(null, null)), Duration.ofMillis(5));
    HttpResponse<String> response = proxy.get("/v2");
    assertEquals(201, response.statusCode());
    assertEquals("text/csv", response.headers().firstValue("Content-Type").orElseThrow());
    assertEquals("r1", response.headers().firstValue("X-Report").orElseThrow());
    assertEquals(List.of("seen=1"), response.headers().allValues("Set-Cookie"));
    assertEquals("a,b\n1,2\n", response.body());
    assertTrue(lambda.lastInvocation().payloadJson().has("rawPath"), "the request side is the route's event, unchanged");
  }

  @Test
  void anErrorBeforeAnyOutputIsA502NamingIt() throws Exception {
    nextReply = LambdaReply.stream(RAW, List.of(invokeComplete("Runtime.ExitError", "{\"errorMessage\":\"exited\"}")), Duration.ZERO);
    HttpResponse<String> response = proxy.get("/raw");
    assertEquals(502, response.statusCode());
    assertEquals("Runtime.ExitError", new ObjectMapper().readTree(response.body()).get("errorType").asText());

    nextReply = LambdaReply.stream(RAW, List.of(EventStreamFrames.exception("ServiceException", "boom")), Duration.ZERO);
    assertEquals(502, proxy.get("/raw").statusCode());
  }

  @Test
  void anErrorAfterTheBodyBeganCutsTheConnection() throws Exception {
    nextReply = LambdaReply.stream(RAW, List.of(payloadChunk("partial output"), invokeComplete("Unhandled", "crashed midway")),
        Duration.ofMillis(20));
    HttpResponse<InputStream> response = open("/raw");
    assertEquals(200, response.statusCode());
    try (InputStream body = response.body()) {
      assertThrows(IOException.class, body::readAllBytes, "the client can tell the body is incomplete");
    }
  }

  @Test
  void aCorruptFrameCutsTheConnectionOnceTheBodyBegan() throws Exception {
    byte[] corrupt = payloadChunk("second");
    corrupt[corrupt.length - 1] ^= 0x5a; // the message CRC no longer matches
    nextReply = LambdaReply.stream(RAW, List.of(payloadChunk("first"), corrupt, invokeComplete(null, null)), Duration.ofMillis(20));
    HttpResponse<InputStream> response = open("/raw");
    try (InputStream body = response.body()) {
      assertThrows(IOException.class, body::readAllBytes);
    }
    byte[] corruptFirst = payloadChunk("only");
    corruptFirst[5] ^= 0x01; // the prelude CRC no longer matches
    nextReply = LambdaReply.stream(RAW, List.of(corruptFirst, invokeComplete(null, null)), Duration.ZERO);
    HttpResponse<String> before = proxy.get("/raw");
    assertEquals(502, before.statusCode());
    assertTrue(before.body().contains("stream is broken"), before.body());
  }

  @Test
  void aStreamThatStopsBeforeInvokeCompleteIsAnError() throws Exception {
    nextReply = LambdaReply.stream(RAW, List.of(), Duration.ZERO);
    assertEquals(502, proxy.get("/raw").statusCode());
  }

  @Test
  void aMissingFunctionIsReportedAsForBufferedCalls() {
    HttpResponse<String> response = proxy.get("/missing");
    assertEquals(502, response.statusCode());
    assertEquals("{\"message\":\"function not found: nobody\"}", response.body());
  }

  @Test
  void aLargeStreamArrivesWhole() throws Exception {
    byte[] output = new byte[12 * 1024 * 1024];
    new Random(7).nextBytes(output);
    List<byte[]> frames = new ArrayList<>();
    for (int at = 0; at < output.length; at += 64 * 1024) {
      frames.add(payloadChunk(java.util.Arrays.copyOfRange(output, at, Math.min(output.length, at + 64 * 1024))));
    }
    frames.add(invokeComplete(null, null));
    nextReply = LambdaReply.stream(RAW, frames, Duration.ZERO);
    HttpResponse<byte[]> response = CLIENT.send(HttpRequest.newBuilder(proxy.uri("/raw")).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, response.statusCode());
    assertEquals(output.length, response.body().length);
    assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(output), MessageDigest.getInstance("SHA-256").digest(response.body()));
  }
}

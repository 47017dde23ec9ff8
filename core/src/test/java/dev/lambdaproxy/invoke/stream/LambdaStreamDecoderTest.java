package dev.lambdaproxy.invoke.stream;

import static dev.lambdaproxy.invoke.stream.EventStreamFrames.concat;
import static dev.lambdaproxy.invoke.stream.EventStreamFrames.event;
import static dev.lambdaproxy.invoke.stream.EventStreamFrames.httpPrelude;
import static dev.lambdaproxy.invoke.stream.EventStreamFrames.invokeComplete;
import static dev.lambdaproxy.invoke.stream.EventStreamFrames.payloadChunk;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lambdaproxy.invoke.stream.EventStreamException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LambdaStreamDecoderTest {

  /** Records what the decoder reports; consecutive payloads are one "payload" event, whatever the chunking. */
  private static final class Recorder implements LambdaStreamDecoder.Listener {
    final List<String> events = new ArrayList<>();
    final ByteArrayOutputStream body = new ByteArrayOutputStream();

    @Override
    public void onHttpPrelude(int statusCode, Map<String, List<String>> headers, List<String> cookies) {
      assertFalse(events.contains("payload"), "the prelude comes before any payload");
      assertFalse(events.stream().anyMatch(e -> e.startsWith("prelude")), "the prelude is reported once");
      events.add("prelude " + statusCode + " " + headers + " " + cookies);
    }

    @Override
    public void onPayload(ByteBuffer chunk) {
      assertTrue(chunk.hasRemaining(), "payload is never empty");
      assertTrue(chunk.isReadOnly());
      byte[] bytes = new byte[chunk.remaining()];
      chunk.get(bytes);
      body.writeBytes(bytes);
      if (events.isEmpty() || !events.get(events.size() - 1).equals("payload")) {
        events.add("payload");
      }
    }

    @Override
    public void onComplete(String errorCode, String errorDetails, String logResult) {
      events.add("complete " + errorCode + " " + errorDetails + " " + logResult);
    }

    @Override
    public void onError(String type, String message) {
      events.add("error " + type + " " + message);
    }

    String bodyText() {
      return body.toString(StandardCharsets.UTF_8);
    }
  }

  private static Recorder decode(boolean expectPrelude, byte[] stream) throws IOException {
    Recorder recorder = new Recorder();
    LambdaStreamDecoder decoder = new LambdaStreamDecoder(expectPrelude, recorder);
    decoder.feed(ByteBuffer.wrap(stream));
    decoder.endOfStream();
    return recorder;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** The function's output in PayloadChunks cut at {@code cuts}, then InvokeComplete. */
  private static byte[] chunkedAt(byte[] output, int... cuts) {
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    int from = 0;
    for (int cut : cuts) {
      stream.writeBytes(payloadChunk(Arrays.copyOfRange(output, from, cut)));
      from = cut;
    }
    stream.writeBytes(payloadChunk(Arrays.copyOfRange(output, from, output.length)));
    stream.writeBytes(invokeComplete(null, null));
    return stream.toByteArray();
  }

  @Test
  void plainOutputIsPassedOnInOrderThenCompletes() throws IOException {
    String output = "line 1\nline 2\n".repeat(50);
    Recorder recorder = decode(false, EventStreamFrames.stream(utf8(output), 7));
    assertEquals(List.of("payload", "complete null null null"), recorder.events);
    assertEquals(output, recorder.bodyText());
  }

  @Test
  void invokeCompleteWithoutAnErrorCodeReportsNulls() throws IOException {
    assertEquals(List.of("payload", "complete null null null"), decode(false, chunkedAt(utf8("ok"))).events);
  }

  @Test
  void invokeCompleteWithAnErrorCodeReportsItsDetailsAndLog() throws IOException {
    byte[] stream = concat(payloadChunk("partial"), invokeComplete("Unhandled", "{\"errorMessage\":\"boom\"}", "bG9nIHRhaWw="));
    Recorder recorder = decode(false, stream);
    assertEquals(List.of("payload", "complete Unhandled {\"errorMessage\":\"boom\"} bG9nIHRhaWw="), recorder.events);
    assertEquals("partial", recorder.bodyText());
  }

  @Test
  void anInvokeCompleteWithAnEmptyPayloadReportsNulls() throws IOException {
    byte[] stream = event("InvokeComplete", "application/json", new byte[0]);
    assertEquals(List.of("complete null null null"), decode(false, stream).events);
  }

  @Test
  void anEmptyPayloadChunkIsNotPassedOn() throws IOException {
    byte[] stream = concat(payloadChunk(new byte[0]), payloadChunk("a"), payloadChunk(new byte[0]), invokeComplete(null, null));
    Recorder recorder = decode(false, stream);
    assertEquals(List.of("payload", "complete null null null"), recorder.events);
    assertEquals("a", recorder.bodyText());
  }

  @Test
  void anExceptionMessageReportsItsTypeAndMessage() throws IOException {
    byte[] stream = concat(payloadChunk("so far"), EventStreamFrames.exception("ServiceException", "Lambda was unable to finish"));
    Recorder recorder = decode(false, stream);
    assertEquals(List.of("payload", "error ServiceException Lambda was unable to finish"), recorder.events);
  }

  @Test
  void anExceptionWhosePayloadIsNotJsonReportsThePayloadText() throws IOException {
    Map<String, software.amazon.eventstream.HeaderValue> headers = new LinkedHashMap<>();
    headers.put(":message-type", software.amazon.eventstream.HeaderValue.fromString("exception"));
    headers.put(":exception-type", software.amazon.eventstream.HeaderValue.fromString("TooManyRequestsException"));
    byte[] stream = EventStreamFrames.message(headers, utf8(" Rate exceeded\n"));
    assertEquals(List.of("error TooManyRequestsException Rate exceeded"), decode(false, stream).events);
  }

  @Test
  void anErrorMessageReportsItsCodeAndMessage() throws IOException {
    byte[] stream = EventStreamFrames.error("InternalFailure", "Something went wrong");
    assertEquals(List.of("error InternalFailure Something went wrong"), decode(false, stream).events);
  }

  @Test
  void eventTypesThisProxyDoesNotKnowAreSkipped() throws IOException {
    byte[] stream = concat(event("initial-response", "application/json", utf8("{}")), payloadChunk("a"),
        event("SomethingNew", "application/octet-stream", utf8("ignored")), payloadChunk("b"), invokeComplete(null, null));
    Recorder recorder = decode(false, stream);
    assertEquals("ab", recorder.bodyText());
    assertEquals(List.of("payload", "complete null null null"), recorder.events);
  }

  private static final byte[] BODY = concat(new byte[] {0, 0}, utf8("<html>héllo\0world</html>"));
  private static final byte[] PRELUDE = httpPrelude(201, Map.of("Content-Type", "text/html"), List.of("a=1; Path=/", "b=2"));
  private static final byte[] HTTP_OUTPUT = concat(PRELUDE, BODY);
  private static final String PRELUDE_EVENT = "prelude 201 {Content-Type=[text/html]} [a=1; Path=/, b=2]";

  @Test
  void theHttpPreludeIsReportedOnceAndStrippedWhereverThePayloadChunksSplitIt() throws IOException {
    for (int cut = 0; cut <= HTTP_OUTPUT.length; cut++) {
      Recorder recorder = decode(true, chunkedAt(HTTP_OUTPUT, cut));
      assertEquals(List.of(PRELUDE_EVENT, "payload", "complete null null null"), recorder.events, "cut at " + cut);
      assertArrayEquals(BODY, recorder.body.toByteArray(), "cut at " + cut);
    }
    int delimiterStart = PRELUDE.length - LambdaStreamDecoder.HTTP_PRELUDE_DELIMITER_BYTES;
    for (int first = delimiterStart - 2; first <= PRELUDE.length; first++) {
      for (int second = first; second <= PRELUDE.length + 1; second++) {
        Recorder recorder = decode(true, chunkedAt(HTTP_OUTPUT, 1, first, second));
        assertEquals(PRELUDE_EVENT, recorder.events.get(0), "cuts at 1, " + first + ", " + second);
        assertArrayEquals(BODY, recorder.body.toByteArray(), "cuts at 1, " + first + ", " + second);
      }
    }
  }

  @Test
  void theHttpPreludeSurvivesOneByteChunksFedOneByteAtATime() throws IOException {
    byte[] stream = EventStreamFrames.stream(HTTP_OUTPUT, 1);
    Recorder recorder = new Recorder();
    LambdaStreamDecoder decoder = new LambdaStreamDecoder(true, recorder);
    for (int at = 0; at < stream.length; at++) {
      decoder.feed(ByteBuffer.wrap(stream, at, 1));
    }
    decoder.endOfStream();
    assertEquals(List.of(PRELUDE_EVENT, "payload", "complete null null null"), recorder.events);
    assertArrayEquals(BODY, recorder.body.toByteArray());
  }

  @Test
  void theHttpPreludeSurvivesRandomChunksFedInRandomSlices() throws IOException {
    byte[] body = new byte[100_000];
    new Random(11).nextBytes(body);
    byte[] output = concat(PRELUDE, body);
    for (long seed = 0; seed < 20; seed++) {
      Random random = new Random(seed);
      int chunk = 1 + random.nextInt(64);
      byte[] stream = EventStreamFrames.stream(output, chunk);
      Recorder recorder = new Recorder();
      LambdaStreamDecoder decoder = new LambdaStreamDecoder(true, recorder);
      for (int at = 0; at < stream.length; ) {
        int length = Math.min(stream.length - at, 1 + random.nextInt(300));
        decoder.feed(ByteBuffer.wrap(stream, at, length));
        at += length;
      }
      decoder.endOfStream();
      assertEquals(List.of(PRELUDE_EVENT, "payload", "complete null null null"), recorder.events, "seed " + seed);
      assertArrayEquals(body, recorder.body.toByteArray(), "seed " + seed);
    }
  }

  @Test
  void jsonFollowedByNulBytesIsPlainBodyWhenNoPreludeIsExpected() throws IOException {
    Recorder recorder = decode(false, chunkedAt(HTTP_OUTPUT, 5));
    assertEquals(List.of("payload", "complete null null null"), recorder.events);
    assertArrayEquals(HTTP_OUTPUT, recorder.body.toByteArray());
  }

  static Stream<Arguments> contentTypes() {
    return Stream.of(
        Arguments.of("application/vnd.awslambda.http-integration-response", true),
        Arguments.of("application/vnd.awslambda.http-integration-response; charset=utf-8", true),
        Arguments.of("  Application/VND.awslambda.HTTP-Integration-Response ", true),
        Arguments.of("application/octet-stream", false),
        Arguments.of("application/json", false),
        Arguments.of("application/vnd.amazon.eventstream", false),
        Arguments.of("application/vnd.awslambda.http-integration-response-v2", false),
        Arguments.of("", false),
        Arguments.of(null, false));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("contentTypes")
  void aPreludeIsExpectedOnlyWhenTheFunctionDeclaredAnHttpIntegrationResponse(String contentType, boolean expected) throws IOException {
    assertEquals(expected, LambdaStreamDecoder.isHttpIntegrationResponse(contentType));
    Recorder recorder = new Recorder();
    LambdaStreamDecoder decoder = LambdaStreamDecoder.forContentType(contentType, recorder);
    decoder.feed(ByteBuffer.wrap(chunkedAt(HTTP_OUTPUT, 3)));
    decoder.endOfStream();
    assertArrayEquals(expected ? BODY : HTTP_OUTPUT, recorder.body.toByteArray());
  }

  @Test
  void aPreludeWithoutStatusCodeIs200AndMultiValueHeadersWinOverHeaders() throws IOException {
    byte[] prelude = concat(utf8("""
        {"headers":{"X-One":"1","Set-Cookie":"ignored","X-Num":5,"X-Null":null},
         "multiValueHeaders":{"set-cookie":["a=1","b=2"]},"cookies":null}"""), new byte[8]);
    Recorder recorder = decode(true, chunkedAt(concat(prelude, utf8("body"))));
    assertEquals("prelude 200 {X-One=[1], X-Num=[5], set-cookie=[a=1, b=2]} []", recorder.events.get(0));
    assertEquals("body", recorder.bodyText());
  }

  static Stream<Arguments> malformedPreludes() {
    return Stream.of(
        Arguments.of("not JSON", "{oops", "the HTTP prelude is not valid JSON"),
        Arguments.of("a JSON array", "[1,2]", "the HTTP prelude is not a JSON object"),
        Arguments.of("nothing before the NULs", "", "the HTTP prelude is not a JSON object"),
        Arguments.of("a string statusCode", "{\"statusCode\":\"200\"}", "statusCode \"200\" is not a final HTTP status"),
        Arguments.of("statusCode 700", "{\"statusCode\":700}", "statusCode 700 is not a final HTTP status"),
        Arguments.of("statusCode 100, not a final status", "{\"statusCode\":100}", "statusCode 100 is not a final HTTP status"),
        Arguments.of("statusCode 2.5", "{\"statusCode\":2.5}", "statusCode 2.5 is not a final HTTP status"),
        Arguments.of("headers as an array", "{\"headers\":[\"a\"]}", "the HTTP prelude's headers must be a JSON object, was ARRAY"),
        Arguments.of("a header as an object", "{\"headers\":{\"a\":{}}}", "header 'a' must be a string, was OBJECT"),
        Arguments.of("cookies as an object", "{\"cookies\":{}}", "the HTTP prelude's cookies must be a JSON array, was OBJECT"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedPreludes")
  void aMalformedPreludeIsRejectedSayingWhy(String name, String json, String says) {
    byte[] stream = chunkedAt(concat(utf8(json), new byte[8], utf8("body")));
    EventStreamException e = assertThrows(EventStreamException.class, () -> decode(true, stream));
    assertEquals(Reason.HTTP_PRELUDE, e.reason());
    assertTrue(e.getMessage().contains(says), e.getMessage());
  }

  @Test
  void aPreludeWhoseDelimiterIsShortIsRejected() {
    byte[] stream = chunkedAt(concat(utf8("{\"statusCode\":200}"), new byte[3], utf8("body")), 20);
    EventStreamException e = assertThrows(EventStreamException.class, () -> decode(true, stream));
    assertEquals(Reason.HTTP_PRELUDE, e.reason());
    assertEquals("the HTTP prelude must be followed by 8 NUL bytes; found 3, then 0x62", e.getMessage());
  }

  @Test
  void aPreludeOverTheLimitIsRejectedBeforeMoreIsBuffered() throws IOException {
    Recorder recorder = new Recorder();
    LambdaStreamDecoder decoder = new LambdaStreamDecoder(true, 100, EventStreamDecoder.DEFAULT_MAX_MESSAGE_BYTES, recorder);
    decoder.feed(ByteBuffer.wrap(payloadChunk("{\"headers\":{\"x\":\"" + "y".repeat(70))));
    assertTrue(decoder.bufferedBytes() <= 100);
    EventStreamException e = assertThrows(EventStreamException.class, () -> decoder.feed(ByteBuffer.wrap(payloadChunk("y".repeat(40)))));
    assertEquals(Reason.HTTP_PRELUDE, e.reason());
    assertTrue(e.getMessage().startsWith("the HTTP prelude is longer than 100 bytes without its 8-NUL delimiter"), e.getMessage());
    assertEquals(List.of(), recorder.events);
  }

  @Test
  void theDefaultPreludeLimitIs64KiB() throws IOException {
    String headers = "{\"headers\":{\"x\":\"" + "y".repeat(60_000) + "\"}}";
    Recorder fits = decode(true, EventStreamFrames.stream(concat(utf8(headers), new byte[8], utf8("body")), 10_000));
    assertEquals("body", fits.bodyText());
    byte[] tooLong = EventStreamFrames.stream(utf8("{\"headers\":{\"x\":\"" + "y".repeat(70_000)), 10_000);
    assertEquals(Reason.HTTP_PRELUDE, assertThrows(EventStreamException.class, () -> decode(true, tooLong)).reason());
  }

  @Test
  void aSuccessfulStreamThatEndsInsideItsPreludeIsRejected() {
    byte[] stream = chunkedAt(utf8("{\"statusCode\":200"));
    EventStreamException e = assertThrows(EventStreamException.class, () -> decode(true, stream));
    assertEquals(Reason.HTTP_PRELUDE, e.reason());
    assertEquals("the function's stream ended inside its HTTP prelude", e.getMessage());
  }

  @Test
  void aFailedFunctionThatEndsInsideItsPreludeReportsItsError() throws IOException {
    byte[] stream = concat(payloadChunk("{\"statusCode\":200"), invokeComplete("Unhandled", "timeout"));
    assertEquals(List.of("complete Unhandled timeout null"), decode(true, stream).events);
  }

  @Test
  void aFunctionThatWritesNothingCompletesWithoutAPrelude() throws IOException {
    assertEquals(List.of("complete null null null"), decode(true, invokeComplete(null, null)).events);
  }

  @Test
  void aStreamThatEndsBeforeInvokeCompleteIsTruncated() throws IOException {
    Recorder recorder = new Recorder();
    LambdaStreamDecoder decoder = new LambdaStreamDecoder(false, recorder);
    decoder.feed(ByteBuffer.wrap(payloadChunk("cut")));
    EventStreamException e = assertThrows(EventStreamException.class, decoder::endOfStream);
    assertEquals(Reason.TRUNCATED, e.reason());
    assertEquals("the stream ended before Lambda's InvokeComplete event", e.getMessage());
    assertFalse(decoder.isEnded());
  }

  @Test
  void aStreamThatEndsInsideAMessageIsTruncated() throws IOException {
    byte[] complete = invokeComplete(null, null);
    LambdaStreamDecoder decoder = new LambdaStreamDecoder(false, new Recorder());
    decoder.feed(ByteBuffer.wrap(complete, 0, complete.length - 1));
    assertEquals(Reason.TRUNCATED, assertThrows(EventStreamException.class, decoder::endOfStream).reason());
  }

  static Stream<Arguments> unexpectedMessages() {
    Map<String, software.amazon.eventstream.HeaderValue> noType = new LinkedHashMap<>();
    noType.put(":event-type", software.amazon.eventstream.HeaderValue.fromString("PayloadChunk"));
    Map<String, software.amazon.eventstream.HeaderValue> oddType = new LinkedHashMap<>();
    oddType.put(":message-type", software.amazon.eventstream.HeaderValue.fromString("gossip"));
    return Stream.of(
        Arguments.of("no :message-type", EventStreamFrames.message(noType, utf8("x")), "message type missing; expected event, exception or error"),
        Arguments.of("an unknown :message-type", EventStreamFrames.message(oddType, utf8("x")), "message type 'gossip'"),
        Arguments.of("a chunk after InvokeComplete", concat(invokeComplete(null, null), payloadChunk("late")),
            "a message (event) arrived after the stream's end"),
        Arguments.of("InvokeComplete that is not JSON", event("InvokeComplete", "application/json", utf8("nope")), "InvokeComplete is not valid JSON"),
        Arguments.of("InvokeComplete that is an array", event("InvokeComplete", "application/json", utf8("[]")), "InvokeComplete is not a JSON object"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unexpectedMessages")
  void aMessageInvokeWithResponseStreamDoesNotSendIsRejected(String name, byte[] stream, String says) {
    EventStreamException e = assertThrows(EventStreamException.class, () -> decode(false, stream));
    assertEquals(Reason.MALFORMED_EVENT, e.reason());
    assertTrue(e.getMessage().contains(says), e.getMessage());
  }

  @Test
  void whatTheListenerThrowsReachesTheCaller() {
    IOException clientGone = new IOException("client went away");
    LambdaStreamDecoder throwing = new LambdaStreamDecoder(false, new LambdaStreamDecoder.Listener() {
      @Override
      public void onPayload(ByteBuffer body) throws IOException {
        throw clientGone;
      }

      @Override
      public void onComplete(String errorCode, String errorDetails, String logResult) {}

      @Override
      public void onError(String type, String message) {}
    });
    assertSame(clientGone, assertThrows(IOException.class, () -> throwing.feed(ByteBuffer.wrap(payloadChunk("x")))));
  }
}

package dev.lambdaproxy.invoke.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lambdaproxy.invoke.stream.EventStreamException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EventStreamDecoderTest {

  /** A decoded message, copied out of the decoder's buffer. */
  record Decoded(Map<String, HeaderValue> headers, byte[] payload) {
    @Override
    public boolean equals(Object other) {
      return other instanceof Decoded that && headers.equals(that.headers) && Arrays.equals(payload, that.payload);
    }

    @Override
    public int hashCode() {
      return headers.hashCode() * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
      return "Decoded[" + headers + ", " + payload.length + " bytes]";
    }
  }

  /** A message as the test built it: its wire bytes (from AWS's library) and what decoding must give. */
  record Built(byte[] wire, Decoded expected) {}

  private static final class Recorder implements EventStreamDecoder.Listener {
    final List<Decoded> messages = new ArrayList<>();

    @Override
    public void onMessage(EventStreamMessage message) {
      messages.add(new Decoded(message.headers(), message.payloadBytes()));
    }
  }

  private static Built build(Map<String, Object[]> headers, byte[] payload) {
    Map<String, software.amazon.eventstream.HeaderValue> wire = new LinkedHashMap<>();
    Map<String, HeaderValue> expected = new LinkedHashMap<>();
    headers.forEach((name, pair) -> {
      wire.put(name, (software.amazon.eventstream.HeaderValue) pair[0]);
      expected.put(name, (HeaderValue) pair[1]);
    });
    return new Built(EventStreamFrames.message(wire, payload), new Decoded(expected, payload));
  }

  private static Object[] string(String value) {
    return new Object[] {software.amazon.eventstream.HeaderValue.fromString(value), HeaderValue.ofString(value)};
  }

  /** Lambda-shaped messages with random payloads, one of them longer than the decoder's retained buffer. */
  private static List<Built> lambdaLikeMessages(long seed, int count) {
    Random random = new Random(seed);
    List<Built> messages = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int size = i == count / 2 ? 200_000 : i % 7 == 0 ? 0 : random.nextInt(5_000);
      byte[] payload = new byte[size];
      random.nextBytes(payload);
      Map<String, Object[]> headers = new LinkedHashMap<>();
      headers.put(":event-type", string(i == count - 1 ? "InvokeComplete" : "PayloadChunk"));
      headers.put(":content-type", string("application/octet-stream"));
      headers.put(":message-type", string("event"));
      if (i % 5 == 1) {
        headers.put("seq", new Object[] {software.amazon.eventstream.HeaderValue.fromInteger(i), HeaderValue.ofInteger(i)});
      }
      messages.add(build(headers, payload));
    }
    return messages;
  }

  private static byte[] wire(List<Built> messages) {
    return EventStreamFrames.concat(messages.stream().map(Built::wire).toArray(byte[][]::new));
  }

  private static List<Decoded> expected(List<Built> messages) {
    return messages.stream().map(Built::expected).toList();
  }

  private static List<Decoded> decodeAll(byte[] stream) throws IOException {
    Recorder recorder = new Recorder();
    EventStreamDecoder decoder = new EventStreamDecoder(recorder);
    decoder.feed(ByteBuffer.wrap(stream));
    decoder.endOfStream();
    return recorder.messages;
  }

  private static void feedInSlices(EventStreamDecoder decoder, byte[] stream, Random random, int maxSlice,
      Function<ByteBuffer, ByteBuffer> wrap) throws IOException {
    for (int at = 0; at < stream.length; ) {
      int length = Math.min(stream.length - at, 1 + random.nextInt(maxSlice));
      ByteBuffer slice = wrap.apply(ByteBuffer.wrap(stream, at, length));
      decoder.feed(slice);
      assertEquals(slice.limit(), slice.position(), "feed consumes the whole slice");
      at += length;
    }
  }

  private static ByteBuffer direct(ByteBuffer heap) {
    ByteBuffer copy = ByteBuffer.allocateDirect(heap.remaining());
    copy.put(heap).flip();
    return copy;
  }

  /** A heap slice that does not start at index 0 of its array, in little-endian order, read-only. */
  private static ByteBuffer awkward(ByteBuffer heap) {
    byte[] padded = new byte[heap.remaining() + 5];
    heap.get(padded, 3, heap.remaining());
    return ByteBuffer.wrap(padded, 3, padded.length - 5).slice().order(ByteOrder.LITTLE_ENDIAN).asReadOnlyBuffer();
  }

  static Stream<Arguments> slicings() {
    return Stream.of(
        Arguments.of("all at once", Integer.MAX_VALUE, Function.<ByteBuffer>identity()),
        Arguments.of("byte by byte", 1, Function.<ByteBuffer>identity()),
        Arguments.of("random slices up to 7 bytes", 7, Function.<ByteBuffer>identity()),
        Arguments.of("random slices up to 100 bytes", 100, Function.<ByteBuffer>identity()),
        Arguments.of("random slices up to 64 KiB", 65_536, Function.<ByteBuffer>identity()),
        Arguments.of("random direct buffers up to 3000 bytes", 3_000, (Function<ByteBuffer, ByteBuffer>) EventStreamDecoderTest::direct),
        Arguments.of("random little-endian read-only offset slices", 500, (Function<ByteBuffer, ByteBuffer>) EventStreamDecoderTest::awkward));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("slicings")
  void aStreamDecodesToTheSameMessagesHoweverItIsSliced(String name, int maxSlice, Function<ByteBuffer, ByteBuffer> wrap) throws IOException {
    List<Built> messages = lambdaLikeMessages(1, 60);
    byte[] stream = wire(messages);
    for (long seed : new long[] {42, 7, 2024}) {
      Recorder recorder = new Recorder();
      EventStreamDecoder decoder = new EventStreamDecoder(recorder);
      feedInSlices(decoder, stream, new Random(seed), maxSlice, wrap);
      decoder.endOfStream();
      assertEquals(expected(messages), recorder.messages, name + ", seed " + seed);
      assertEquals(0, decoder.bufferedBytes());
    }
  }

  @Test
  void everySplitPointOfAStreamDecodesTheSame() throws IOException {
    List<Built> messages = lambdaLikeMessages(3, 10).subList(0, 3);
    byte[] stream = wire(messages);
    for (int split = 0; split <= stream.length; split++) {
      Recorder recorder = new Recorder();
      EventStreamDecoder decoder = new EventStreamDecoder(recorder);
      decoder.feed(ByteBuffer.wrap(stream, 0, split));
      decoder.feed(ByteBuffer.wrap(stream, split, stream.length - split));
      decoder.endOfStream();
      assertEquals(expected(messages), recorder.messages, "split at " + split);
    }
  }

  @Test
  void eachMessageIsDeliveredAsSoonAsItsLastByteArrives() throws IOException {
    List<Built> messages = lambdaLikeMessages(5, 6).subList(0, 2);
    byte[] stream = wire(messages);
    int firstEnd = messages.get(0).wire().length;
    Recorder recorder = new Recorder();
    EventStreamDecoder decoder = new EventStreamDecoder(recorder);
    for (int at = 0; at < stream.length; at++) {
      decoder.feed(ByteBuffer.wrap(stream, at, 1));
      int fed = at + 1;
      assertEquals(fed < firstEnd ? 0 : fed < stream.length ? 1 : 2, recorder.messages.size(), "after " + fed + " bytes");
    }
  }

  @Test
  void everyHeaderTypeDecodesToTheValueAwsLibraryEncoded() throws IOException {
    UUID uuid = UUID.fromString("1b4e28ba-2fa1-11d2-883f-0016d3cca427");
    Instant time = Instant.parse("2024-02-29T12:34:56.789Z");
    Map<String, Object[]> headers = new LinkedHashMap<>();
    headers.put("true", new Object[] {software.amazon.eventstream.HeaderValue.fromBoolean(true), HeaderValue.ofBoolean(true)});
    headers.put("false", new Object[] {software.amazon.eventstream.HeaderValue.fromBoolean(false), HeaderValue.ofBoolean(false)});
    headers.put("int", new Object[] {software.amazon.eventstream.HeaderValue.fromInteger(Integer.MIN_VALUE), HeaderValue.ofInteger(Integer.MIN_VALUE)});
    headers.put("long", new Object[] {software.amazon.eventstream.HeaderValue.fromLong(-1234567890123L), HeaderValue.ofLong(-1234567890123L)});
    headers.put("bytes", new Object[] {software.amazon.eventstream.HeaderValue.fromByteArray(new byte[] {0, -1, 2}),
        HeaderValue.ofBytes(new byte[] {0, -1, 2})});
    headers.put("string", string("Grüße, 世界 ☃"));
    headers.put("timestamp", new Object[] {software.amazon.eventstream.HeaderValue.fromTimestamp(time), HeaderValue.ofTimestamp(time)});
    headers.put("uuid", new Object[] {software.amazon.eventstream.HeaderValue.fromUuid(uuid), HeaderValue.ofUuid(uuid)});
    headers.put("ü-name", string("non-ASCII header names are UTF-8 too"));
    Built message = build(headers, "payload".getBytes(StandardCharsets.UTF_8));

    List<Decoded> decoded = decodeAll(message.wire());

    assertEquals(List.of(message.expected()), decoded);
    Map<String, HeaderValue> got = decoded.get(0).headers();
    assertEquals(List.copyOf(headers.keySet()), List.copyOf(got.keySet()), "headers keep wire order");
    assertEquals(uuid, got.get("uuid").asUuid());
    assertEquals(time, got.get("timestamp").asTimestamp());
    assertArrayEquals(new byte[] {0, -1, 2}, got.get("bytes").asBytes());
    assertEquals(Integer.MIN_VALUE, got.get("int").asInteger());
  }

  @Test
  void byteAndShortHeadersDecodeAsAwsLibraryDecodesThem() throws IOException {
    // The library's encoder drops the value bytes of these two types, so the frame is written by hand
    // (type 2: one byte; type 3: two bytes, big-endian) and the library's decoder is the oracle.
    byte[] wire = rawMessage(EventStreamFrames.concat(header("byte", 2, (byte) -7), header("short", 3, (byte) 0x8a, (byte) 0xd0),
        header("after", 7, (byte) 0, (byte) 2, (byte) 'o', (byte) 'k')), new byte[] {1});
    Map<String, software.amazon.eventstream.HeaderValue> oracle = software.amazon.eventstream.Message.decode(ByteBuffer.wrap(wire)).getHeaders();
    assertEquals(-7, oracle.get("byte").getByte());
    assertEquals(-30000, oracle.get("short").getShort());

    Map<String, HeaderValue> headers = new LinkedHashMap<>();
    headers.put("byte", HeaderValue.ofByte(oracle.get("byte").getByte()));
    headers.put("short", HeaderValue.ofShort(oracle.get("short").getShort()));
    headers.put("after", HeaderValue.ofString(oracle.get("after").getString()));
    assertEquals(List.of(new Decoded(headers, new byte[] {1})), decodeAll(wire));
  }

  @Test
  void emptyStringAndBytesValuesDecode() throws IOException {
    // AWS's Java library refuses to encode them, but the encoding allows a zero length.
    byte[] wire = rawMessage(EventStreamFrames.concat(header("s", 7, (byte) 0, (byte) 0), header("b", 6, (byte) 0, (byte) 0)), new byte[0]);
    Map<String, HeaderValue> headers = new LinkedHashMap<>();
    headers.put("s", HeaderValue.ofString(""));
    headers.put("b", HeaderValue.ofBytes(new byte[0]));
    assertEquals(List.of(new Decoded(headers, new byte[0])), decodeAll(wire));
  }

  @Test
  void aMessageWithNoHeadersAndNoPayloadIsTheSixteenByteMinimum() throws IOException {
    byte[] wire = EventStreamFrames.message(Map.of(), new byte[0]);
    assertEquals(EventStreamDecoder.MIN_MESSAGE_BYTES, wire.length);
    assertEquals(List.of(new Decoded(Map.of(), new byte[0])), decodeAll(wire));
  }

  @Test
  void thePayloadHandedToTheListenerIsReadOnlyAndExactlyThePayload() throws IOException {
    byte[] wire = EventStreamFrames.payloadChunk("hello");
    List<ByteBuffer> seen = new ArrayList<>();
    new EventStreamDecoder(message -> {
      assertTrue(message.payload().isReadOnly());
      assertEquals("PayloadChunk", message.stringHeader(":event-type"));
      seen.add(ByteBuffer.wrap(message.payloadBytes()));
    }).feed(ByteBuffer.wrap(wire));
    assertEquals(List.of(ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8))), seen);
  }

  static Stream<Arguments> corruptions() {
    byte[] message = EventStreamFrames.payloadChunk("some function output");
    int length = message.length;
    return Stream.of(
        Arguments.of("a bit of the total length", flip(message, 2), Reason.PRELUDE_CHECKSUM),
        Arguments.of("a bit of the headers length", flip(message, 7), Reason.PRELUDE_CHECKSUM),
        Arguments.of("a bit of the prelude CRC", flip(message, 10), Reason.PRELUDE_CHECKSUM),
        Arguments.of("a bit of a header name", flip(message, 14), Reason.MESSAGE_CHECKSUM),
        Arguments.of("a bit of the payload", flip(message, length - 6), Reason.MESSAGE_CHECKSUM),
        Arguments.of("a bit of the message CRC", flip(message, length - 1), Reason.MESSAGE_CHECKSUM));
  }

  private static byte[] flip(byte[] bytes, int index) {
    byte[] copy = bytes.clone();
    copy[index] ^= 0x10;
    return copy;
  }

  @ParameterizedTest(name = "flipping {0}")
  @MethodSource("corruptions")
  void aCorruptedMessageIsRejectedWhetherFedWholeOrByteByByte(String name, byte[] corrupt, Reason reason) {
    EventStreamException whole = assertThrows(EventStreamException.class, () -> decodeAll(corrupt));
    assertEquals(reason, whole.reason(), whole.getMessage());
    assertTrue(whole.getMessage().contains("checksum mismatch"), whole.getMessage());

    Recorder recorder = new Recorder();
    EventStreamDecoder decoder = new EventStreamDecoder(recorder);
    EventStreamException bytewise = assertThrows(EventStreamException.class, () -> {
      for (int at = 0; at < corrupt.length; at++) {
        decoder.feed(ByteBuffer.wrap(corrupt, at, 1));
      }
    });
    assertEquals(reason, bytewise.reason());
    assertEquals(List.of(), recorder.messages);
  }

  @Test
  void aBadPreludeIsRejectedBeforeTheRestOfTheMessageIsBuffered() {
    byte[] message = flip(EventStreamFrames.payloadChunk("x".repeat(1000)), 3);
    EventStreamDecoder decoder = new EventStreamDecoder(new Recorder());
    EventStreamException e = assertThrows(EventStreamException.class, () -> decoder.feed(ByteBuffer.wrap(message, 0, 12)));
    assertEquals(Reason.PRELUDE_CHECKSUM, e.reason());
    assertTrue(decoder.peakBufferedBytes() <= EventStreamDecoder.PRELUDE_BYTES);
  }

  /** A prelude with a correct CRC, so that the length checks are what must catch it. */
  private static byte[] prelude(long totalLength, long headersLength) {
    ByteBuffer prelude = ByteBuffer.allocate(12);
    prelude.putInt((int) totalLength).putInt((int) headersLength);
    CRC32 crc = new CRC32();
    crc.update(prelude.array(), 0, 8);
    prelude.putInt((int) crc.getValue());
    return prelude.array();
  }

  /** A whole message from raw header bytes, with correct CRCs. */
  private static byte[] rawMessage(byte[] headers, byte[] payload) {
    int total = EventStreamDecoder.MIN_MESSAGE_BYTES + headers.length + payload.length;
    ByteBuffer message = ByteBuffer.allocate(total);
    message.put(prelude(total, headers.length)).put(headers).put(payload);
    CRC32 crc = new CRC32();
    crc.update(message.array(), 0, total - 4);
    message.putInt((int) crc.getValue());
    return message.array();
  }

  private static byte[] header(String name, int type, byte... value) {
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream header = new ByteArrayOutputStream();
    header.write(nameBytes.length);
    header.writeBytes(nameBytes);
    header.write(type);
    header.writeBytes(value);
    return header.toByteArray();
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of("a total length below 16", prelude(15, 0), Reason.MESSAGE_LENGTH, "message length 15 is below the 16-byte minimum"),
        Arguments.of("a total length of 0", prelude(0, 0), Reason.MESSAGE_LENGTH, "below the 16-byte minimum"),
        Arguments.of("a total length above 16 MiB", prelude(16L * 1024 * 1024 + 1, 0), Reason.MESSAGE_LENGTH,
            "message length 16777217 is above the 16777216-byte limit"),
        Arguments.of("a total length above 2 GiB", prelude(0xFFFF_FFF0L, 0), Reason.MESSAGE_LENGTH, "message length 4294967280"),
        Arguments.of("headers longer than the message", prelude(100, 85), Reason.HEADERS_LENGTH,
            "headers length 85 does not fit in a 100-byte message"),
        Arguments.of("headers above 128 KiB", prelude(200_000, 140_000), Reason.HEADERS_LENGTH, "above the 131072-byte limit"),
        Arguments.of("an unknown header type", rawMessage(header("x-new", 10, (byte) 1), new byte[0]), Reason.UNKNOWN_HEADER_TYPE,
            "header 'x-new' has value type 10; the encoding defines 0 to 9"),
        Arguments.of("header type 255", rawMessage(header("h", 255), new byte[0]), Reason.UNKNOWN_HEADER_TYPE, "value type 255"),
        Arguments.of("a string running past the headers", rawMessage(header(":event-type", 7, (byte) 0, (byte) 50, (byte) 'P'), new byte[4]),
            Reason.MALFORMED_HEADER, "the value of header ':event-type' runs 49 bytes past the headers section"),
        Arguments.of("a uuid cut short", rawMessage(header("id", 9, new byte[15]), new byte[0]), Reason.MALFORMED_HEADER,
            "the value of header 'id' runs 1 bytes past"),
        Arguments.of("a name running past the headers", rawMessage(new byte[] {20, 'a', 'b'}, new byte[0]), Reason.MALFORMED_HEADER,
            "a header's name runs"),
        Arguments.of("an empty header name", rawMessage(new byte[] {0, 0}, new byte[0]), Reason.MALFORMED_HEADER, "empty name"),
        Arguments.of("a repeated header", rawMessage(EventStreamFrames.concat(header("a", 0), header("a", 1)), new byte[0]),
            Reason.MALFORMED_HEADER, "header 'a' appears twice"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void aMalformedMessageIsRejectedWithAReasonAndAMessageThatSaysWhy(String name, byte[] bytes, Reason reason, String says) {
    EventStreamDecoder decoder = new EventStreamDecoder(new Recorder());
    EventStreamException e = assertThrows(EventStreamException.class, () -> decoder.feed(ByteBuffer.wrap(bytes)));
    assertEquals(reason, e.reason(), e.getMessage());
    assertTrue(e.getMessage().contains(says), e.getMessage());
  }

  @Test
  void aMessageOverTheConfiguredLimitIsRejectedFromItsPrelude() {
    byte[] message = EventStreamFrames.payloadChunk(new byte[2_000]);
    EventStreamDecoder decoder = new EventStreamDecoder(1_024, new Recorder());
    EventStreamException e = assertThrows(EventStreamException.class, () -> decoder.feed(ByteBuffer.wrap(message, 0, 12)));
    assertEquals(Reason.MESSAGE_LENGTH, e.reason());
    assertTrue(e.getMessage().contains("above the 1024-byte limit"), e.getMessage());
  }

  @Test
  void aStreamThatEndsInsideAMessageIsTruncated() throws IOException {
    byte[] message = EventStreamFrames.payloadChunk("partial");
    for (int cut : new int[] {1, 11, 12, message.length - 1}) {
      EventStreamDecoder decoder = new EventStreamDecoder(new Recorder());
      decoder.feed(ByteBuffer.wrap(message, 0, cut));
      EventStreamException e = assertThrows(EventStreamException.class, decoder::endOfStream);
      assertEquals(Reason.TRUNCATED, e.reason());
      assertTrue(e.getMessage().contains("the stream ended " + cut + " bytes into a"), e.getMessage());
    }
    EventStreamDecoder between = new EventStreamDecoder(new Recorder());
    between.feed(ByteBuffer.wrap(message));
    assertDoesNotThrow(between::endOfStream);
  }

  @Test
  void afterAFailureTheDecoderRefusesMoreInput() {
    EventStreamDecoder decoder = new EventStreamDecoder(new Recorder());
    assertThrows(EventStreamException.class, () -> decoder.feed(ByteBuffer.wrap(prelude(3, 0))));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> decoder.feed(ByteBuffer.wrap(EventStreamFrames.payloadChunk("more"))));
    assertTrue(e.getMessage().contains("failed earlier"), e.getMessage());
  }

  @Test
  void whatTheListenerThrowsStopsDecodingAndReachesTheCaller() throws IOException {
    IOException clientGone = new IOException("client went away");
    List<String> seen = new ArrayList<>();
    EventStreamDecoder decoder = new EventStreamDecoder(message -> {
      seen.add(new String(message.payloadBytes(), StandardCharsets.UTF_8));
      throw clientGone;
    });
    byte[] twoMessages = EventStreamFrames.concat(EventStreamFrames.payloadChunk("one"), EventStreamFrames.payloadChunk("two"));
    assertSame(clientGone, assertThrows(IOException.class, () -> decoder.feed(ByteBuffer.wrap(twoMessages))));
    assertEquals(List.of("one"), seen);
    assertThrows(IllegalStateException.class, () -> decoder.feed(ByteBuffer.allocate(1)));
  }

  @Test
  void fiftyMegabytesOfChunksDecodeHoldingNoMoreThanOneMessage() throws IOException {
    Random random = new Random(50);
    int[] payloadSizes = {65_000, 10, 131_072, 4_096, 0, 32_768};
    List<Built> cycleMessages = new ArrayList<>();
    long cyclePayloadBytes = 0;
    int longestMessage = 0;
    for (int size : payloadSizes) {
      byte[] payload = new byte[size];
      random.nextBytes(payload);
      Built built = build(Map.of(":event-type", string("PayloadChunk"), ":message-type", string("event")), payload);
      cycleMessages.add(built);
      cyclePayloadBytes += size;
      longestMessage = Math.max(longestMessage, built.wire().length);
    }
    byte[] cycle = wire(cycleMessages);
    int cycles = (int) (50L * 1024 * 1024 / cycle.length) + 1;

    CRC32 expectedCrc = new CRC32();
    CRC32 actualCrc = new CRC32();
    long[] payloadBytes = {0};
    int[] messages = {0};
    EventStreamDecoder decoder = new EventStreamDecoder(message -> {
      messages[0]++;
      payloadBytes[0] += message.payload().remaining();
      actualCrc.update(message.payload().duplicate());
    });
    byte[] scratch = new byte[256 * 1024];
    long total = (long) cycles * cycle.length;
    long fed = 0;
    while (fed < total) {
      int length = (int) Math.min(total - fed, 1 + random.nextInt(scratch.length));
      for (int i = 0; i < length; ) {
        int from = (int) ((fed + i) % cycle.length);
        int count = Math.min(length - i, cycle.length - from);
        System.arraycopy(cycle, from, scratch, i, count);
        i += count;
      }
      decoder.feed(ByteBuffer.wrap(scratch, 0, length));
      assertTrue(decoder.bufferedBytes() < longestMessage, "never more than one partial message is held");
      fed += length;
    }
    decoder.endOfStream();
    for (int c = 0; c < cycles; c++) {
      for (Built built : cycleMessages) {
        expectedCrc.update(built.expected().payload());
      }
    }

    assertTrue(total >= 50L * 1024 * 1024, "streamed " + total + " bytes");
    assertEquals(cycles * payloadSizes.length, messages[0]);
    assertEquals(cycles * cyclePayloadBytes, payloadBytes[0]);
    assertEquals(expectedCrc.getValue(), actualCrc.getValue(), "payload bytes arrive intact and in order");
    assertTrue(decoder.peakBufferedBytes() <= longestMessage,
        "peak " + decoder.peakBufferedBytes() + " bytes held, longest message " + longestMessage);
    assertEquals(0, decoder.bufferedBytes());
  }
}

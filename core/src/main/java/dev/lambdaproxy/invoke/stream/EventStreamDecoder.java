package dev.lambdaproxy.invoke.stream;

import dev.lambdaproxy.invoke.stream.EventStreamException.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * Incremental decoder of {@code application/vnd.amazon.eventstream}, the framing of Lambda's
 * InvokeWithResponseStream answer. Each message is a 12-byte prelude (total length, headers length,
 * both 4-byte big-endian, then the CRC32 of those 8 bytes), the headers, the payload, and the CRC32 of
 * everything before it. {@link #feed} takes the bytes in whatever slices the network delivers — one
 * byte, half a prelude, several messages — and hands each message to the listener as soon as its last
 * byte arrives.
 *
 * <p>Written by hand rather than on {@code software.amazon.eventstream} (which the tests use as an
 * oracle): this runs for every byte of every streamed response, so a message that arrives whole is
 * decoded in place without a copy, a split one is assembled in one reused buffer, and memory is
 * bounded by one message whatever the stream's length. Not thread-safe; feed one stream from one
 * thread at a time.
 *
 * @see <a href="https://docs.aws.amazon.com/transcribe/latest/dg/event-stream.html">Event stream encoding</a>
 * @see <a href="https://docs.aws.amazon.com/lambda/latest/api/API_InvokeWithResponseStream.html">InvokeWithResponseStream</a>
 */
public final class EventStreamDecoder {

  /** Total length, headers length, prelude CRC. */
  public static final int PRELUDE_BYTES = 12;
  /** A prelude and a message CRC: a message with no headers and no payload. */
  public static final int MIN_MESSAGE_BYTES = 16;
  /** aws-c-event-stream's limit; Lambda's payload chunks are far smaller. */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
  /** aws-c-event-stream's limit on the headers section. */
  public static final int MAX_HEADERS_BYTES = 128 * 1024;

  // A split message up to this size is assembled in a buffer kept for the next one; a larger one gets an
  // array of its own that is dropped once delivered, so one big message does not pin memory for the
  // rest of a long stream.
  private static final int RETAINED_BUFFER_BYTES = 64 * 1024;
  private static final int MIN_BUFFER_BYTES = 1024;

  /** Receives each message once it is complete and its checksums hold. */
  @FunctionalInterface
  public interface Listener {
    /**
     * Called once per message, in stream order. The message's payload is valid only until this returns.
     *
     * @throws IOException to stop decoding; {@link #feed} rethrows it
     */
    void onMessage(EventStreamMessage message) throws IOException;
  }

  private final Listener listener;
  private final int maxMessageBytes;
  private final CRC32 crc = new CRC32();
  private byte[] retained;
  private byte[] partial;
  private int filled;
  private int messageLength;
  private int peakBufferedBytes;
  private IOException failure;

  public EventStreamDecoder(Listener listener) {
    this(DEFAULT_MAX_MESSAGE_BYTES, listener);
  }

  /**
   * @param maxMessageBytes the longest message accepted, at least {@value #MIN_MESSAGE_BYTES}
   * @param listener receives each message
   */
  public EventStreamDecoder(int maxMessageBytes, Listener listener) {
    if (maxMessageBytes < MIN_MESSAGE_BYTES) {
      throw new IllegalArgumentException("maxMessageBytes must be at least " + MIN_MESSAGE_BYTES + ", was " + maxMessageBytes);
    }
    this.maxMessageBytes = maxMessageBytes;
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /**
   * Consumes all of {@code chunk} (its position ends at its limit), delivering every message it completes.
   * The decoder keeps no reference to {@code chunk} after returning.
   *
   * @throws EventStreamException when the stream is malformed; the decoder is then unusable
   * @throws IOException whatever the listener threw; the decoder is then unusable
   */
  public void feed(ByteBuffer chunk) throws IOException {
    Objects.requireNonNull(chunk, "chunk");
    if (failure != null) {
      throw new IllegalStateException("the decoder failed earlier and cannot continue: " + failure.getMessage(), failure);
    }
    try {
      decode(chunk);
    } catch (IOException | RuntimeException e) {
      failure = e instanceof IOException io ? io : new IOException(e);
      throw e;
    }
  }

  /**
   * Says the stream has ended.
   *
   * @throws EventStreamException when it ended inside a message
   */
  public void endOfStream() throws EventStreamException {
    if (filled > 0) {
      EventStreamException truncated = new EventStreamException(Reason.TRUNCATED, messageLength == 0
          ? "the stream ended " + filled + " bytes into a message prelude"
          : "the stream ended " + filled + " bytes into a " + messageLength + "-byte message");
      failure = truncated;
      throw truncated;
    }
  }

  /** Bytes of an incomplete message held now; 0 between messages. */
  public int bufferedBytes() {
    return filled;
  }

  /** The most bytes ever held at once: never more than the longest message seen. */
  public int peakBufferedBytes() {
    return peakBufferedBytes;
  }

  private void decode(ByteBuffer chunk) throws IOException {
    while (chunk.hasRemaining()) {
      if (filled == 0 && chunk.remaining() >= PRELUDE_BYTES) {
        int at = chunk.position();
        int length = checkPrelude(chunk, at);
        if (chunk.remaining() >= length) {
          // The whole message is in this slice: decode it where it lies, no copy.
          chunk.position(at + length);
          deliver(chunk.slice(at, length));
          continue;
        }
        messageLength = length;
      }
      int target = messageLength == 0 ? PRELUDE_BYTES : messageLength;
      ensureCapacity(target);
      int count = Math.min(target - filled, chunk.remaining());
      chunk.get(partial, filled, count);
      filled += count;
      peakBufferedBytes = Math.max(peakBufferedBytes, filled);
      if (messageLength == 0 && filled == PRELUDE_BYTES) {
        messageLength = checkPrelude(ByteBuffer.wrap(partial, 0, PRELUDE_BYTES), 0);
      } else if (messageLength != 0 && filled == messageLength) {
        ByteBuffer message = ByteBuffer.wrap(partial, 0, messageLength);
        filled = 0;
        messageLength = 0;
        partial = retained;
        deliver(message);
      }
    }
  }

  /** Grows the assembly buffer to hold {@code needed} bytes, keeping what it holds. */
  private void ensureCapacity(int needed) {
    byte[] current = partial;
    if (current != null && current.length >= needed) {
      return;
    }
    byte[] grown;
    if (needed <= RETAINED_BUFFER_BYTES) {
      int doubled = current == null ? 0 : 2 * current.length;
      grown = new byte[Math.min(RETAINED_BUFFER_BYTES, Math.max(needed, Math.max(MIN_BUFFER_BYTES, doubled)))];
      retained = grown;
    } else {
      grown = new byte[needed];
    }
    if (current != null && filled > 0) {
      System.arraycopy(current, 0, grown, 0, filled);
    }
    partial = grown;
  }

  /** Checks the prelude at {@code at} and returns the message's total length. */
  private int checkPrelude(ByteBuffer buffer, int at) throws EventStreamException {
    long totalLength = Integer.toUnsignedLong(intAt(buffer, at));
    long headersLength = Integer.toUnsignedLong(intAt(buffer, at + 4));
    int expected = intAt(buffer, at + 8);
    // The prelude has its own CRC so that a corrupt length is caught before it sizes a buffer.
    int actual = crc(buffer, at, 8);
    if (actual != expected) {
      throw new EventStreamException(Reason.PRELUDE_CHECKSUM, String.format(
          "prelude checksum mismatch: the stream says 0x%08x, the bytes give 0x%08x (corrupt or misaligned stream)", expected, actual));
    }
    if (totalLength < MIN_MESSAGE_BYTES) {
      throw new EventStreamException(Reason.MESSAGE_LENGTH,
          "message length " + totalLength + " is below the " + MIN_MESSAGE_BYTES + "-byte minimum");
    }
    if (totalLength > maxMessageBytes) {
      throw new EventStreamException(Reason.MESSAGE_LENGTH,
          "message length " + totalLength + " is above the " + maxMessageBytes + "-byte limit");
    }
    if (headersLength > totalLength - MIN_MESSAGE_BYTES) {
      throw new EventStreamException(Reason.HEADERS_LENGTH,
          "headers length " + headersLength + " does not fit in a " + totalLength + "-byte message");
    }
    if (headersLength > MAX_HEADERS_BYTES) {
      throw new EventStreamException(Reason.HEADERS_LENGTH,
          "headers length " + headersLength + " is above the " + MAX_HEADERS_BYTES + "-byte limit");
    }
    return (int) totalLength;
  }

  /** Checks the message CRC, decodes the headers and hands the message over; {@code message} spans exactly one message from index 0. */
  private void deliver(ByteBuffer message) throws IOException {
    int length = message.limit();
    int headersLength = intAt(message, 4);
    int expected = intAt(message, length - 4);
    int actual = crc(message, 0, length - 4);
    if (actual != expected) {
      throw new EventStreamException(Reason.MESSAGE_CHECKSUM, String.format(
          "message checksum mismatch in a %d-byte message: the stream says 0x%08x, the bytes give 0x%08x", length, expected, actual));
    }
    int payloadStart = PRELUDE_BYTES + headersLength;
    Map<String, HeaderValue> headers = headers(message, PRELUDE_BYTES, payloadStart);
    listener.onMessage(new EventStreamMessage(headers, message.slice(payloadStart, length - 4 - payloadStart)));
  }

  private static Map<String, HeaderValue> headers(ByteBuffer message, int start, int end) throws EventStreamException {
    Map<String, HeaderValue> headers = new LinkedHashMap<>();
    int at = start;
    while (at < end) {
      int nameLength = message.get(at) & 0xff;
      if (nameLength == 0) {
        throw new EventStreamException(Reason.MALFORMED_HEADER, "a header has an empty name");
      }
      require(at + 1, nameLength + 1, end, null);
      String name = utf8(message, at + 1, nameLength);
      at += 1 + nameLength;
      int type = message.get(at++);
      HeaderValue value;
      switch (type) {
        case 0, 1 -> value = HeaderValue.ofBoolean(type == 0);
        case 2 -> {
          require(at, 1, end, name);
          value = HeaderValue.ofByte(message.get(at));
          at += 1;
        }
        case 3 -> {
          require(at, 2, end, name);
          value = HeaderValue.ofShort((short) shortAt(message, at));
          at += 2;
        }
        case 4 -> {
          require(at, 4, end, name);
          value = HeaderValue.ofInteger(intAt(message, at));
          at += 4;
        }
        case 5 -> {
          require(at, 8, end, name);
          value = HeaderValue.ofLong(longAt(message, at));
          at += 8;
        }
        case 6, 7 -> {
          require(at, 2, end, name);
          int valueLength = shortAt(message, at);
          require(at + 2, valueLength, end, name);
          value = type == 7 ? HeaderValue.ofString(utf8(message, at + 2, valueLength)) : HeaderValue.ofBytes(bytes(message, at + 2, valueLength));
          at += 2 + valueLength;
        }
        case 8 -> {
          require(at, 8, end, name);
          value = HeaderValue.ofTimestamp(Instant.ofEpochMilli(longAt(message, at)));
          at += 8;
        }
        case 9 -> {
          require(at, 16, end, name);
          value = HeaderValue.ofUuid(new UUID(longAt(message, at), longAt(message, at + 8)));
          at += 16;
        }
        default -> throw new EventStreamException(Reason.UNKNOWN_HEADER_TYPE,
            "header '" + name + "' has value type " + (type & 0xff) + "; the encoding defines 0 to 9");
      }
      if (headers.put(name, value) != null) {
        throw new EventStreamException(Reason.MALFORMED_HEADER, "header '" + name + "' appears twice");
      }
    }
    return headers;
  }

  /** Fails unless {@code count} bytes from {@code at} lie within the headers section; {@code name} is null while reading a name. */
  private static void require(int at, int count, int end, String name) throws EventStreamException {
    if (at + count > end) {
      throw new EventStreamException(Reason.MALFORMED_HEADER, (name == null ? "a header's name" : "the value of header '" + name + "'")
          + " runs " + (at + count - end) + " bytes past the headers section");
    }
  }

  private int crc(ByteBuffer buffer, int at, int count) {
    crc.reset();
    crc.update(buffer.slice(at, count));
    return (int) crc.getValue();
  }

  // Absolute big-endian reads that ignore the buffer's byte order, which a caller's slice may have changed.
  private static int shortAt(ByteBuffer buffer, int at) {
    return (buffer.get(at) & 0xff) << 8 | buffer.get(at + 1) & 0xff;
  }

  private static int intAt(ByteBuffer buffer, int at) {
    return shortAt(buffer, at) << 16 | shortAt(buffer, at + 2);
  }

  private static long longAt(ByteBuffer buffer, int at) {
    return (long) intAt(buffer, at) << 32 | Integer.toUnsignedLong(intAt(buffer, at + 4));
  }

  private static byte[] bytes(ByteBuffer buffer, int at, int count) {
    byte[] copy = new byte[count];
    buffer.get(at, copy);
    return copy;
  }

  private static String utf8(ByteBuffer buffer, int at, int count) {
    if (buffer.hasArray()) {
      return new String(buffer.array(), buffer.arrayOffset() + at, count, StandardCharsets.UTF_8);
    }
    return new String(bytes(buffer, at, count), StandardCharsets.UTF_8);
  }
}

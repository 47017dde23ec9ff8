package dev.lambdaproxy.invoke.stream;

import java.io.IOException;
import java.util.Objects;

/**
 * A response stream that cannot be trusted: bad framing or checksums, an impossible length, an unknown
 * header type, a stream cut short, or Lambda-level content (an HTTP prelude, an InvokeComplete event)
 * that does not parse. It is an {@link IOException} because, like a {@code ZipException}, it means the
 * bytes that arrived are not what was sent; {@link #reason()} says which check failed.
 */
public final class EventStreamException extends IOException {

  /** Which check failed. */
  public enum Reason {
    /** The CRC32 of the 8 prelude bytes does not match: the stream is corrupt or misaligned. */
    PRELUDE_CHECKSUM,
    /** The CRC32 of the whole message does not match. */
    MESSAGE_CHECKSUM,
    /** The total length is below the 16-byte minimum or above the limit. */
    MESSAGE_LENGTH,
    /** The headers length does not fit in the message or is above the limit. */
    HEADERS_LENGTH,
    /** A header runs past the headers section, has an empty name or repeats a name. */
    MALFORMED_HEADER,
    /** A header value type other than the ten the encoding defines (0-9). */
    UNKNOWN_HEADER_TYPE,
    /** The stream ended inside a message, or before Lambda said the invocation was complete. */
    TRUNCATED,
    /** A well-framed message that is not what InvokeWithResponseStream sends. */
    MALFORMED_EVENT,
    /** The HTTP integration prelude is too large, not a JSON object, or not followed by 8 NUL bytes. */
    HTTP_PRELUDE
  }

  private final Reason reason;

  public EventStreamException(Reason reason, String message) {
    this(reason, message, null);
  }

  public EventStreamException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }
}

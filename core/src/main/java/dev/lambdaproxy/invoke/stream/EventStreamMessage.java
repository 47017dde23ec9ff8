package dev.lambdaproxy.invoke.stream;

import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One decoded event-stream message. The payload is a read-only view of the decoder's buffer (or of the
 * slice that was fed): it is valid only until the listener that received it returns; call
 * {@link #payloadBytes()} to keep a copy.
 *
 * @param headers header name to typed value, in wire order
 * @param payload the payload bytes, position to limit
 */
public record EventStreamMessage(Map<String, HeaderValue> headers, ByteBuffer payload) {

  public EventStreamMessage {
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(headers, "headers")));
    payload = Objects.requireNonNull(payload, "payload").asReadOnlyBuffer();
  }

  /** The value of a {@link HeaderValue.Type#STRING} header, or null when absent or of another type. */
  public String stringHeader(String name) {
    HeaderValue value = headers.get(name);
    return value != null && value.type() == HeaderValue.Type.STRING ? value.asString() : null;
  }

  /** A copy of the payload. */
  public byte[] payloadBytes() {
    ByteBuffer view = payload.duplicate();
    byte[] copy = new byte[view.remaining()];
    view.get(copy);
    return copy;
  }
}

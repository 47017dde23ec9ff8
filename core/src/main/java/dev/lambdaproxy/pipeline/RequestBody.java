package dev.lambdaproxy.pipeline;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * The client's body as read by the front end: the arrays it was read into, never copied, and its
 * SHA-256, computed while it arrived (SigV4 signs it).
 *
 * @param chunks the body, in order; empty when there is none
 * @param sha256Hex the body's SHA-256 in lowercase hex
 */
public record RequestBody(List<ByteBuffer> chunks, String sha256Hex) {

  /** The SHA-256 of zero bytes. */
  public static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  public static final RequestBody EMPTY = new RequestBody(List.of(), EMPTY_SHA256);

  public RequestBody {
    Objects.requireNonNull(sha256Hex, "sha256Hex");
    chunks = List.copyOf(chunks);
  }

  public long length() {
    long length = 0;
    for (ByteBuffer chunk : chunks) {
      length += chunk.remaining();
    }
    return length;
  }

  /** The body as one array: no copy when it was read into a single array of its exact size. */
  public byte[] bytes() {
    if (chunks.isEmpty()) {
      return new byte[0];
    }
    if (chunks.size() == 1) {
      ByteBuffer only = chunks.get(0);
      if (only.hasArray() && only.arrayOffset() == 0 && only.position() == 0 && only.remaining() == only.array().length) {
        return only.array();
      }
    }
    byte[] all = new byte[(int) length()];
    int at = 0;
    for (ByteBuffer chunk : chunks) {
      int length = chunk.remaining();
      chunk.duplicate().get(all, at, length);
      at += length;
    }
    return all;
  }

  @Override
  public String toString() {
    return "RequestBody[" + length() + " bytes]";
  }
}

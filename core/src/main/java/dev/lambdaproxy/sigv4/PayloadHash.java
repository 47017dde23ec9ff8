package dev.lambdaproxy.sigv4;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * The HashedPayload of the canonical request: the lower-case hex SHA-256 of the body, in one go
 * or incrementally as a streamed body is read.
 *
 * @see <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#create-canonical-request">
 *     Create a canonical request (HashedPayload)</a>
 */
public final class PayloadHash {

  /** The SHA-256 of an empty body. */
  public static final String EMPTY_SHA256 =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  private PayloadHash() {
  }

  /** The hex SHA-256 of {@code bytes}. */
  public static String sha256Hex(byte[] bytes) {
    return sha256Hex(bytes, 0, bytes.length);
  }

  /** The hex SHA-256 of {@code bytes[offset, offset + length)}. */
  public static String sha256Hex(byte[] bytes, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    if (length == 0) {
      return EMPTY_SHA256;
    }
    return Hex.toHex(Scratch.current().sha256(bytes, offset, length), 0, Scratch.SHA256_LENGTH);
  }

  /** A hash to feed chunk by chunk; not thread-safe, meant for the one reader of a body. */
  public static Incremental incremental() {
    return new Incremental();
  }

  /** The SHA-256 of a body fed chunk by chunk. */
  public static final class Incremental {

    private final MessageDigest digest = Scratch.newSha256();
    private long length;
    private String hex;

    private Incremental() {
    }

    /** Adds {@code bytes[offset, offset + length)}. */
    public Incremental update(byte[] bytes, int offset, int length) {
      Objects.checkFromIndexSize(offset, length, bytes.length);
      requireOpen();
      digest.update(bytes, offset, length);
      this.length += length;
      return this;
    }

    /** Adds the remaining bytes of {@code buffer}, leaving its position at its limit. */
    public Incremental update(ByteBuffer buffer) {
      requireOpen();
      length += buffer.remaining();
      digest.update(buffer);
      return this;
    }

    /** How many bytes were added. */
    public long length() {
      return length;
    }

    /** The hex SHA-256 of everything added; after this call nothing more may be added. */
    public String hex() {
      if (hex == null) {
        hex = Hex.toHex(digest.digest(), 0, Scratch.SHA256_LENGTH);
      }
      return hex;
    }

    @Override
    public String toString() {
      return "PayloadHash.Incremental[length=" + length + (hex == null ? "" : ", sha256=" + hex) + "]";
    }

    private void requireOpen() {
      if (hex != null) {
        throw new IllegalStateException("hex() was already called; the hash is final");
      }
    }
  }
}

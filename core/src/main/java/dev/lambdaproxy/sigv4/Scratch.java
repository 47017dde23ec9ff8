package dev.lambdaproxy.sigv4;

import java.security.DigestException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;

// Per-thread buffer, digest and MAC reused across signatures, so that signing a request allocates
// little beyond its result.
final class Scratch {

  static final int SHA256_LENGTH = 32;

  private static final ThreadLocal<Scratch> CURRENT = ThreadLocal.withInitial(Scratch::new);
  private static final int INITIAL_CAPACITY = 1024;
  // One huge request must not pin a huge buffer to a pooled thread for ever.
  private static final int RETAINED_CAPACITY = 64 * 1024;

  private Utf8Sink sink = new Utf8Sink(INITIAL_CAPACITY);
  private final byte[] digest = new byte[SHA256_LENGTH];
  private final MessageDigest sha256 = newSha256();
  private final Mac hmac = newHmacSha256();
  private SigningKey hmacKey;

  private Scratch() {
  }

  static Scratch current() {
    return CURRENT.get();
  }

  // The thread's buffer, emptied.
  Utf8Sink sink() {
    if (sink.capacity() > RETAINED_CAPACITY) {
      sink = new Utf8Sink(INITIAL_CAPACITY);
    }
    sink.setLength(0);
    return sink;
  }

  // SHA-256 of the bytes in source, in a buffer valid until the next call.
  byte[] sha256(Utf8Sink source) {
    return sha256(source.array(), 0, source.length());
  }

  // SHA-256 of bytes[offset, offset + length), in a buffer valid until the next call.
  byte[] sha256(byte[] bytes, int offset, int length) {
    sha256.update(bytes, offset, length);
    try {
      sha256.digest(digest, 0, SHA256_LENGTH);
    } catch (DigestException e) {
      throw new IllegalStateException(e);
    }
    return digest;
  }

  // HMAC-SHA256 under key of the bytes in source, valid until the next call.
  byte[] hmacSha256(SigningKey key, Utf8Sink source) {
    // Mac.init recomputes the inner and outer pads; the key changes once a day, requests do not.
    if (hmacKey != key) {
      try {
        hmac.init(key.secretKey());
      } catch (InvalidKeyException e) {
        throw new IllegalStateException("HmacSHA256 rejected a derived signing key", e);
      }
      hmacKey = key;
    }
    hmac.update(source.array(), 0, source.length());
    try {
      hmac.doFinal(digest, 0);
    } catch (ShortBufferException e) {
      throw new IllegalStateException(e);
    }
    return digest;
  }

  static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  static Mac newHmacSha256() {
    try {
      return Mac.getInstance("HmacSHA256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has HmacSHA256", e);
    }
  }
}

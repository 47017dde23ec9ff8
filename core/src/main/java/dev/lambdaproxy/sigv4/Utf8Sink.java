package dev.lambdaproxy.sigv4;

import java.nio.charset.StandardCharsets;

// A growable UTF-8 byte buffer. The canonical request and string to sign are built here, ready to
// hash, rather than in a StringBuilder that would have to be encoded again: it halves the work on
// the hot path and writes a byte per ASCII character without per-call checks.
final class Utf8Sink {

  private static final byte[] LOWER_HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] UPPER_HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
  // A char is at most 3 UTF-8 bytes, each at most 3 characters once percent-escaped.
  static final int MAX_ESCAPED_BYTES_PER_CHAR = 9;

  private byte[] bytes;
  private int length;

  Utf8Sink(int capacity) {
    bytes = new byte[capacity];
  }

  int length() {
    return length;
  }

  void setLength(int length) {
    this.length = length;
  }

  byte[] array() {
    return bytes;
  }

  int capacity() {
    return bytes.length;
  }

  // Makes room for more bytes and returns the array to write them into at #length().
  byte[] reserve(int more) {
    if (length + more > bytes.length) {
      byte[] grown = new byte[Math.max(length + more, bytes.length * 2)];
      System.arraycopy(bytes, 0, grown, 0, length);
      bytes = grown;
    }
    return bytes;
  }

  // Appends a character known to be ASCII.
  Utf8Sink ascii(char c) {
    reserve(1)[length++] = (byte) c;
    return this;
  }

  // Appends the UTF-8 encoding of s.
  Utf8Sink utf8(CharSequence s) {
    return utf8(s, 0, s.length());
  }

  // Appends the UTF-8 encoding of s[from, to); a lone surrogate becomes '?'.
  Utf8Sink utf8(CharSequence s, int from, int to) {
    byte[] b = reserve(3 * (to - from));
    int n = length;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        b[n++] = (byte) c;
      } else if (c < 0x800) {
        b[n++] = (byte) (0xC0 | (c >> 6));
        b[n++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        b[n++] = (byte) (0xF0 | (cp >> 18));
        b[n++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        b[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        b[n++] = (byte) (0x80 | (cp & 0x3F));
      } else if (Character.isSurrogate(c)) {
        // What String.getBytes(UTF_8) does with a lone surrogate, so other signers agree.
        b[n++] = (byte) '?';
      } else {
        b[n++] = (byte) (0xE0 | (c >> 12));
        b[n++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        b[n++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    length = n;
    return this;
  }

  // Appends bytes[offset, offset + count) as lower-case hex.
  Utf8Sink hex(byte[] source, int offset, int count) {
    byte[] b = reserve(2 * count);
    int n = length;
    for (int i = offset; i < offset + count; i++) {
      b[n++] = LOWER_HEX[(source[i] >> 4) & 0xF];
      b[n++] = LOWER_HEX[source[i] & 0xF];
    }
    length = n;
    return this;
  }

  // Writes %XY for byte value at b[n], upper-case hex; returns the next index.
  static int putEscape(byte[] b, int n, int value) {
    b[n] = '%';
    b[n + 1] = UPPER_HEX[(value >> 4) & 0xF];
    b[n + 2] = UPPER_HEX[value & 0xF];
    return n + 3;
  }

  // Compares [aFrom, aTo) with [bFrom, bTo) as unsigned bytes, shorter first on a tie.
  int compareRanges(int aFrom, int aTo, int bFrom, int bTo) {
    int common = Math.min(aTo - aFrom, bTo - bFrom);
    for (int i = 0; i < common; i++) {
      int diff = (bytes[aFrom + i] & 0xFF) - (bytes[bFrom + i] & 0xFF);
      if (diff != 0) {
        return diff;
      }
    }
    return (aTo - aFrom) - (bTo - bFrom);
  }

  // Appends a copy of [from, to) of this buffer.
  Utf8Sink copyRange(int from, int to) {
    byte[] b = reserve(to - from);
    System.arraycopy(b, from, b, length, to - from);
    length += to - from;
    return this;
  }

  // Moves [from, length) down to to, dropping what was between.
  void moveTail(int from, int to) {
    System.arraycopy(bytes, from, bytes, to, length - from);
    length -= from - to;
  }

  @Override
  public String toString() {
    return new String(bytes, 0, length, StandardCharsets.UTF_8);
  }
}

package dev.lambdaproxy.sigv4;

// Lower-case hex through a lookup table: SigV4 wants lower-case digests, and this is per request.
final class Hex {

  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  private Hex() {
  }

  static String toHex(byte[] bytes, int offset, int length) {
    char[] chars = new char[length * 2];
    for (int i = 0; i < length; i++) {
      int b = bytes[offset + i];
      chars[2 * i] = DIGITS[(b >> 4) & 0xF];
      chars[2 * i + 1] = DIGITS[b & 0xF];
    }
    return new String(chars);
  }
}

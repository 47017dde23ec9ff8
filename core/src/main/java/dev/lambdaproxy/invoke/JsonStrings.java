package dev.lambdaproxy.invoke;

/**
 * Unquotes a raw answer that is one JSON string, straight from its UTF-8 bytes to the client's
 * UTF-8 bytes. Written by hand because it is on the path of every raw string answer and Jackson's
 * way (a char buffer, a String, then its UTF-8 bytes) allocated about seven times the answer:
 * 28.8 MB for a 4 MiB string (bench/answers.sh). It takes only what it can decode exactly as
 * Jackson would; anything else (trailing content, an unknown escape, a control character, bytes
 * that are not well-formed UTF-8, a lone surrogate) returns null, and the caller's Jackson path
 * decides, so no answer is read differently.
 */
final class JsonStrings {

  private JsonStrings() {}

  /** The decoded bytes of {@code payload} when it is whitespace, one JSON string, whitespace; else null. */
  static byte[] unquote(byte[] payload) {
    int start = skipWhitespace(payload, 0);
    if (start == payload.length || payload[start] != '"') {
      return null;
    }
    byte[] out = null; // allocated at the first escape; until then the answer is a slice of the payload
    int outLength = 0;
    int i = start + 1;
    int runStart = i;
    while (true) {
      if (i >= payload.length) {
        return null; // unterminated
      }
      int b = payload[i] & 0xff;
      if (b == '"') {
        break;
      }
      if (b < 0x20) {
        return null; // JSON forbids raw control characters in strings
      }
      if (b < 0x80 && b != '\\') {
        i++;
        continue;
      }
      if (b >= 0x80) {
        int length = utf8SequenceLength(payload, i);
        if (length < 0) {
          return null;
        }
        i += length;
        continue;
      }
      // a backslash: copy the run before it, then the decoded escape
      if (out == null) {
        out = new byte[payload.length];
      }
      System.arraycopy(payload, runStart, out, outLength, i - runStart);
      outLength += i - runStart;
      if (i + 1 >= payload.length) {
        return null;
      }
      int escaped = payload[i + 1];
      i += 2;
      switch (escaped) {
        case '"', '\\', '/' -> out[outLength++] = (byte) escaped;
        case 'b' -> out[outLength++] = '\b';
        case 'f' -> out[outLength++] = '\f';
        case 'n' -> out[outLength++] = '\n';
        case 'r' -> out[outLength++] = '\r';
        case 't' -> out[outLength++] = '\t';
        case 'u' -> {
          int unit = hex4(payload, i);
          if (unit < 0) {
            return null;
          }
          i += 4;
          int codePoint = unit;
          if (Character.isHighSurrogate((char) unit)) {
            int low = i + 1 < payload.length && payload[i] == '\\' && payload[i + 1] == 'u' ? hex4(payload, i + 2) : -1;
            if (low < 0 || !Character.isLowSurrogate((char) low)) {
              return null; // a lone surrogate: Jackson's String would carry it, UTF-8 cannot
            }
            i += 6;
            codePoint = Character.toCodePoint((char) unit, (char) low);
          } else if (Character.isLowSurrogate((char) unit)) {
            return null;
          }
          outLength = putUtf8(out, outLength, codePoint);
        }
        default -> {
          return null;
        }
      }
      runStart = i;
    }
    int end = i; // the closing quote
    if (skipWhitespace(payload, end + 1) != payload.length) {
      return null;
    }
    if (out == null) {
      return java.util.Arrays.copyOfRange(payload, start + 1, end);
    }
    System.arraycopy(payload, runStart, out, outLength, end - runStart);
    outLength += end - runStart;
    return java.util.Arrays.copyOf(out, outLength);
  }

  private static int skipWhitespace(byte[] payload, int from) {
    int i = from;
    while (i < payload.length && (payload[i] == ' ' || payload[i] == '\t' || payload[i] == '\n' || payload[i] == '\r')) {
      i++;
    }
    return i;
  }

  /** Four hex digits at {@code at} as a number, or -1. */
  private static int hex4(byte[] payload, int at) {
    if (at + 4 > payload.length) {
      return -1;
    }
    int value = 0;
    for (int k = at; k < at + 4; k++) {
      int digit = Character.digit(payload[k], 16);
      if (digit < 0) {
        return -1;
      }
      value = value << 4 | digit;
    }
    return value;
  }

  /**
   * The length of the well-formed UTF-8 sequence at {@code at} (RFC 3629: no overlong forms, no
   * surrogates, nothing past U+10FFFF), or -1.
   */
  private static int utf8SequenceLength(byte[] payload, int at) {
    int lead = payload[at] & 0xff;
    int length;
    int min;
    if (lead >= 0xc2 && lead <= 0xdf) {
      length = 2;
      min = 0x80;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      min = 0x800;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      min = 0x10000;
    } else {
      return -1;
    }
    if (at + length > payload.length) {
      return -1;
    }
    int codePoint = lead & (0xff >> (length + 1));
    for (int k = at + 1; k < at + length; k++) {
      int next = payload[k] & 0xff;
      if ((next & 0xc0) != 0x80) {
        return -1;
      }
      codePoint = codePoint << 6 | (next & 0x3f);
    }
    if (codePoint < min || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) {
      return -1;
    }
    return length;
  }

  private static int putUtf8(byte[] out, int at, int codePoint) {
    if (codePoint < 0x80) {
      out[at] = (byte) codePoint;
      return at + 1;
    }
    if (codePoint < 0x800) {
      out[at] = (byte) (0xc0 | codePoint >> 6);
      out[at + 1] = (byte) (0x80 | codePoint & 0x3f);
      return at + 2;
    }
    if (codePoint < 0x10000) {
      out[at] = (byte) (0xe0 | codePoint >> 12);
      out[at + 1] = (byte) (0x80 | codePoint >> 6 & 0x3f);
      out[at + 2] = (byte) (0x80 | codePoint & 0x3f);
      return at + 3;
    }
    out[at] = (byte) (0xf0 | codePoint >> 18);
    out[at + 1] = (byte) (0x80 | codePoint >> 12 & 0x3f);
    out[at + 2] = (byte) (0x80 | codePoint >> 6 & 0x3f);
    out[at + 3] = (byte) (0x80 | codePoint & 0x3f);
    return at + 4;
  }
}

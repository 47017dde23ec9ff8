package dev.lambdaproxy.sigv4;

/**
 * The URI encoding SigV4 prescribes: every UTF-8 byte except the unreserved characters
 * {@code A-Z a-z 0-9 - . _ ~} becomes {@code %XY} with upper-case hex; a space is {@code %20},
 * never {@code +}.
 *
 * @see <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#create-canonical-request">
 *     Create a canonical request (UriEncode)</a>
 */
public final class UriEncoder {

  private static final boolean[] UNRESERVED = new boolean[128];

  static {
    for (char c = 'A'; c <= 'Z'; c++) {
      UNRESERVED[c] = true;
      UNRESERVED[c + ('a' - 'A')] = true;
    }
    for (char c = '0'; c <= '9'; c++) {
      UNRESERVED[c] = true;
    }
    UNRESERVED['-'] = true;
    UNRESERVED['.'] = true;
    UNRESERVED['_'] = true;
    UNRESERVED['~'] = true;
  }

  private UriEncoder() {
  }

  /** Encodes every character but the unreserved ones, {@code '/'} included. */
  public static String encode(String s) {
    return encodeTo(new Utf8Sink(s.length() + 16), s, 0, s.length(), false).toString();
  }

  /** Encodes every character but the unreserved ones and {@code '/'}, as for a URI path. */
  public static String encodePath(String s) {
    return encodeTo(new Utf8Sink(s.length() + 16), s, 0, s.length(), true).toString();
  }

  /**
   * Decodes the {@code %XY} escapes of {@code s} and encodes the result strictly, as the canonical
   * query wants; a {@code '%'} that starts no valid escape stands for itself, and {@code '+'} is a
   * plus sign, not a space (RFC 3986).
   */
  public static String reencode(String s) {
    return reencodeTo(new Utf8Sink(s.length() + 16), s, 0, s.length()).toString();
  }

  /** Whether {@code c} is one of the unreserved characters, which are never escaped. */
  public static boolean isUnreserved(char c) {
    return c < 0x80 && UNRESERVED[c];
  }

  // Appends s[from, to) encoded; keepSlash leaves '/' as is.
  static Utf8Sink encodeTo(Utf8Sink out, CharSequence s, int from, int to, boolean keepSlash) {
    byte[] b = out.reserve(Utf8Sink.MAX_ESCAPED_BYTES_PER_CHAR * (to - from));
    int n = out.length();
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        if (UNRESERVED[c] || (keepSlash && c == '/')) {
          b[n++] = (byte) c;
        } else {
          n = Utf8Sink.putEscape(b, n, c);
        }
      } else {
        n = putNonAscii(b, n, s, i, to);
        if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        }
      }
    }
    out.setLength(n);
    return out;
  }

  // Appends s[from, to) percent-decoded, then strictly encoded (see #reencode).
  static Utf8Sink reencodeTo(Utf8Sink out, CharSequence s, int from, int to) {
    byte[] b = out.reserve(Utf8Sink.MAX_ESCAPED_BYTES_PER_CHAR * (to - from));
    int n = out.length();
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < to) {
        int hi = hexValue(s.charAt(i + 1));
        int lo = hexValue(s.charAt(i + 2));
        if (hi >= 0 && lo >= 0) {
          // Decoded bytes go out byte for byte: no detour through a String that could mangle
          // invalid UTF-8.
          n = putByte(b, n, (hi << 4) | lo);
          i += 2;
          continue;
        }
      }
      if (c < 0x80) {
        n = putByte(b, n, c);
      } else {
        n = putNonAscii(b, n, s, i, to);
        if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        }
      }
    }
    out.setLength(n);
    return out;
  }

  private static int putByte(byte[] b, int n, int value) {
    if (value < 0x80 && UNRESERVED[value]) {
      b[n] = (byte) value;
      return n + 1;
    }
    return Utf8Sink.putEscape(b, n, value);
  }

  // Writes the escaped UTF-8 bytes of the non-ASCII character at s[i].
  private static int putNonAscii(byte[] b, int n, CharSequence s, int i, int to) {
    char c = s.charAt(i);
    if (c < 0x800) {
      n = Utf8Sink.putEscape(b, n, 0xC0 | (c >> 6));
      return Utf8Sink.putEscape(b, n, 0x80 | (c & 0x3F));
    }
    if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
      int cp = Character.toCodePoint(c, s.charAt(i + 1));
      n = Utf8Sink.putEscape(b, n, 0xF0 | (cp >> 18));
      n = Utf8Sink.putEscape(b, n, 0x80 | ((cp >> 12) & 0x3F));
      n = Utf8Sink.putEscape(b, n, 0x80 | ((cp >> 6) & 0x3F));
      return Utf8Sink.putEscape(b, n, 0x80 | (cp & 0x3F));
    }
    if (Character.isSurrogate(c)) {
      // What String.getBytes(UTF_8) and URLEncoder make of a lone surrogate.
      return Utf8Sink.putEscape(b, n, '?');
    }
    n = Utf8Sink.putEscape(b, n, 0xE0 | (c >> 12));
    n = Utf8Sink.putEscape(b, n, 0x80 | ((c >> 6) & 0x3F));
    return Utf8Sink.putEscape(b, n, 0x80 | (c & 0x3F));
  }

  private static int hexValue(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -1;
  }
}

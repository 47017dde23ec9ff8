package dev.lambdaproxy.http;

import java.util.Base64;

/** The one base64 rule for a function's {@code isBase64Encoded} body, in every event format and in raw mode. */
public final class Base64Body {

  private Base64Body() {}

  /**
   * Standard base64; line breaks and spaces, which some encoders add, are allowed.
   *
   * @throws IllegalArgumentException when the text is not base64
   */
  public static byte[] decode(String text) {
    StringBuilder compact = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean space = c == '\r' || c == '\n' || c == ' ' || c == '\t';
      if (space && compact == null) {
        compact = new StringBuilder(text.length()).append(text, 0, i);
      } else if (!space && compact != null) {
        compact.append(c);
      }
    }
    return Base64.getDecoder().decode(compact == null ? text : compact.toString());
  }
}

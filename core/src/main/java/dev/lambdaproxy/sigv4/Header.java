package dev.lambdaproxy.sigv4;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One request header as it will be sent. Names are compared case-insensitively when signing.
 *
 * <p>{@link #toString()} hides the value of credential-bearing headers ({@link #REDACTED_HEADERS}).
 */
public record Header(String name, String value) {

  /** Headers whose values are credentials, so no log line or message may show them. */
  public static final Set<String> REDACTED_HEADERS = Set.of(
      "authorization", "proxy-authorization", "cookie", "set-cookie", "x-amz-security-token");

  public Header {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name is empty");
    }
    for (int i = 0; i < name.length(); i++) {
      if (!isTokenChar(name.charAt(i))) {
        throw new IllegalArgumentException(
            "name is not an HTTP token: character " + i + " of header '" + name + "'");
      }
    }
  }

  public static Header of(String name, String value) {
    return new Header(name, value);
  }

  @Override
  public String toString() {
    String shown = REDACTED_HEADERS.contains(name.toLowerCase(Locale.ROOT)) ? "***" : value;
    return name + ": " + shown;
  }

  // RFC 9110 token: the canonical form lower-cases names with ASCII rules, so only ASCII may pass.
  private static boolean isTokenChar(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      return true;
    }
    return "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }
}

package dev.lambdaproxy.invoke;

import java.util.Locale;
import java.util.Set;

/** The named header sets of the proxy, and the checks a header must pass to reach a client. */
public final class Headers {

  private Headers() {}

  /** Hop-by-hop headers (RFC 9110 7.6.1 and friends): they describe one connection, never forwarded. */
  public static final Set<String> HOP_BY_HOP = Set.of(
      "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
      "te", "trailer", "transfer-encoding", "upgrade");

  /** Headers the proxy computes for its own answer, whatever a function says. */
  public static final Set<String> COMPUTED = Set.of("content-length", "content-type");

  /**
   * Whether a header a function returned may be passed to the client: not hop-by-hop, not
   * AWS-internal ({@code x-amzn-*}), a valid token as name, and no CR, LF or NUL in the value
   * (which would let a function split the response).
   */
  public static boolean isForwardableFromFunction(String name, String value) {
    if (!isToken(name) || !isSafeValue(value)) {
      return false;
    }
    String lower = name.toLowerCase(Locale.ROOT);
    return !HOP_BY_HOP.contains(lower) && !COMPUTED.contains(lower) && !lower.startsWith("x-amzn-");
  }

  static boolean isToken(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  static boolean isSafeValue(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\r' || c == '\n' || c == 0) {
        return false;
      }
    }
    return true;
  }
}

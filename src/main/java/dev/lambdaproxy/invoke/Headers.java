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

  /**
   * Client headers that carry credentials meant for the proxy or that would steer an AWS call:
   * never forwarded to an HTTP endpoint unless its route says {@code forward-auth=true}. Any
   * {@code X-Amz-*} header counts too, see {@link #isForwardableToEndpoint}.
   */
  public static final Set<String> CLIENT_CREDENTIALS = Set.of("authorization", "x-api-key", "proxy-authorization");

  /**
   * Whether a client header goes on to a function's HTTP endpoint: not hop-by-hop, not Host (the
   * endpoint's own is sent), and no credentials unless the route forwards them.
   */
  public static boolean isForwardableToEndpoint(String name, boolean forwardAuth) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (HOP_BY_HOP.contains(lower) || lower.equals("host") || lower.equals("content-length")) {
      return false;
    }
    return forwardAuth || !(CLIENT_CREDENTIALS.contains(lower) || lower.startsWith("x-amz-"));
  }

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

  public static boolean isSafeValue(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\r' || c == '\n' || c == 0) {
        return false;
      }
    }
    return true;
  }
}

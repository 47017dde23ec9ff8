package dev.lambdaproxy.http;

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
   * What proxies say about the client and the request it made (RFC 7239 {@code Forwarded}, the
   * de-facto {@code X-Forwarded-*} and {@code X-Real-IP}): never copied as a client sent them. The
   * proxy writes them itself, keeping a chain only from a peer in {@code trusted-proxies}.
   */
  public static final Set<String> FORWARDING = Set.of(
      "forwarded", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port", "x-forwarded-server",
      "x-real-ip");

  /**
   * Whether a client header goes on to a function's HTTP endpoint as sent: not hop-by-hop, not Host
   * (the endpoint's own is sent), not a {@link #FORWARDING} header, and no credentials unless the
   * route forwards them.
   */
  public static boolean isForwardableToEndpoint(String name, boolean forwardAuth) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (HOP_BY_HOP.contains(lower) || FORWARDING.contains(lower) || lower.equals("host") || lower.equals("content-length")) {
      return false;
    }
    return forwardAuth || !(CLIENT_CREDENTIALS.contains(lower) || lower.startsWith("x-amz-"));
  }

  /**
   * This proxy's element of a {@code Forwarded} header (RFC 7239 section 4): {@code for} the peer it
   * saw, the {@code proto} it was called with, and the {@code host} it was called for (null: none
   * sent). Values that are not tokens are quoted, an IPv6 peer as {@code for="[2001:db8::1]"}.
   */
  public static String forwardedElement(String peer, String proto, String host) {
    StringBuilder element = new StringBuilder(64).append("for=");
    String bare = unbracketed(peer);
    if (bare.indexOf(':') >= 0) {
      appendQuoted(element, "[" + bare + "]");
    } else {
      appendParameterValue(element, bare);
    }
    appendParameterValue(element.append(";proto="), proto);
    if (host != null && !host.isEmpty()) {
      appendParameterValue(element.append(";host="), host);
    }
    return element.toString();
  }

  /** An IP address as {@code X-Forwarded-For} lists it: IPv6 without the brackets of a URI. */
  public static String unbracketed(String address) {
    return address.length() > 1 && address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
  }

  private static void appendParameterValue(StringBuilder out, String value) {
    if (isToken(value)) {
      out.append(value);
    } else {
      appendQuoted(out, value);
    }
  }

  /** RFC 9110 5.6.4 quoted-string: a backslash before each quote and backslash. */
  private static void appendQuoted(StringBuilder out, String value) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\');
      }
      out.append(c);
    }
    out.append('"');
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

  /**
   * The one rule for a function that sets Content-Type more than once (headers, multiValueHeaders,
   * a stream's prelude): the first safe value wins, as API Gateway keeps the first.
   *
   * @param chosen the Content-Type taken so far, or null
   */
  public static String firstContentType(String chosen, String candidate) {
    return chosen != null || candidate == null || !isSafeValue(candidate) ? chosen : candidate;
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

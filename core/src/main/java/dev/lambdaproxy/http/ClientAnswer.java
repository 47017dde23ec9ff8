package dev.lambdaproxy.http;

import java.util.List;
import java.util.Objects;

/**
 * What the proxy answers its client: a status, headers, a content type and a complete body.
 *
 * @param status the HTTP status
 * @param headers response headers other than Content-Type and Content-Length, in order; a name may repeat
 * @param contentType the Content-Type, or null for none
 * @param body the body bytes
 * @param errorKind what went wrong when the proxy made this answer itself ({@link ProxyError#kind()}), else null
 */
public record ClientAnswer(int status, List<Header> headers, String contentType, byte[] body, String errorKind) {

  public static final String JSON = "application/json";

  /**
   * The most a function's header block may take, counted as sent ({@code Name: value\r\n}): an 8 KiB
   * block, as Lambda's own HTTP header block, less 512 bytes for the status line and the headers the
   * proxy and the container add, so that it fits the 8 KiB response header buffer servlet containers
   * have by default (Tomcat's maxHttpResponseHeaderSize, Jetty's responseHeaderSize). Past it, Jetty
   * fails the write with an internal error and Tomcat closes the connection without a byte.
   */
  public static final int MAX_FUNCTION_HEADER_BYTES = 8 * 1024 - 512;

  /** One response header. */
  public record Header(String name, String value) {
    public Header {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
    }
  }

  /** A function's answer. */
  public ClientAnswer(int status, List<Header> headers, String contentType, byte[] body) {
    this(status, headers, contentType, body, null);
  }

  public ClientAnswer {
    Objects.requireNonNull(body, "body");
    headers = List.copyOf(headers);
  }

  /** The bytes the headers take on the wire, Content-Type included, as {@link #MAX_FUNCTION_HEADER_BYTES} counts them. */
  public long headerBlockBytes() {
    long bytes = contentType == null ? 0 : headerBytes("Content-Type", contentType);
    for (Header header : headers) {
      bytes += headerBytes(header.name(), header.value());
    }
    return bytes;
  }

  /** {@code name: value\r\n} in bytes; values are sent as UTF-8 at most 3 bytes a char (a surrogate pair is 4 for 2). */
  public static long headerBytes(String name, String value) {
    return name.length() + 2L + utf8Length(value) + 2L;
  }

  private static long utf8Length(String value) {
    long bytes = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
    }
    return bytes;
  }

  @Override
  public String toString() {
    return "ClientAnswer[status=" + status + ", contentType=" + contentType + ", " + body.length + " bytes]";
  }
}

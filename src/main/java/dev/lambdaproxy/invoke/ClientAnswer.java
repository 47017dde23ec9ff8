package dev.lambdaproxy.invoke;

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

  @Override
  public String toString() {
    return "ClientAnswer[status=" + status + ", contentType=" + contentType + ", " + body.length + " bytes]";
  }
}

package dev.lambdaproxy.invoke.event;

import java.util.Objects;

/**
 * One header of the client's request, name spelled as received.
 *
 * @param name the header name
 * @param value the header value
 */
public record Header(String name, String value) {

  public Header {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
  }

  /** The value of the first header of that name, any case, or null: the one lookup every header list uses. */
  public static String first(java.util.List<Header> headers, String name) {
    for (Header header : headers) {
      if (header.name().equalsIgnoreCase(name)) {
        return header.value();
      }
    }
    return null;
  }
}

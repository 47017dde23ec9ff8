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
}

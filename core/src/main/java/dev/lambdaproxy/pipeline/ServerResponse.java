package dev.lambdaproxy.pipeline;

import dev.lambdaproxy.invoke.event.Header;
import java.util.List;
import java.util.Objects;

/**
 * What the upstream answered: its status and headers, and, for a buffered call, its whole body.
 *
 * @param status the final status (interim 1xx answers are the upstream's to skip)
 * @param headers the headers as received
 * @param body the body; empty for the head of a streamed answer
 */
public record ServerResponse(int status, List<Header> headers, byte[] body) {

  public ServerResponse {
    Objects.requireNonNull(body, "body");
    headers = List.copyOf(headers);
  }

  public String header(String name) {
    return Header.first(headers, name);
  }

  @Override
  public String toString() {
    return "ServerResponse[" + status + ", " + headers.size() + " headers, " + body.length + " bytes]";
  }
}

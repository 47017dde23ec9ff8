package dev.lambdaproxy.pipeline;

import dev.lambdaproxy.invoke.event.Header;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The call the proxy makes, prepared and signed: what an {@link Upstream} sends, byte for byte.
 *
 * @param method the method: POST for every Invoke call, the client's for an endpoint
 * @param uri where it goes, query included
 * @param headers every header to send (Host, the signature, forwarded client headers); the
 *     upstream adds only framing (Content-Length)
 * @param body the body, in the arrays the client's body was read into
 * @param timeout how long the whole call may take, or, when {@code idleTimeout}, how long it may stay silent
 * @param idleTimeout true for an endpoint, which may stream for as long as it likes while it keeps sending
 */
public record ProxyRequest(String method, URI uri, List<Header> headers, List<ByteBuffer> body, Duration timeout,
    boolean idleTimeout) {

  public ProxyRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(timeout, "timeout");
    headers = List.copyOf(headers);
    body = List.copyOf(body);
  }

  public String header(String name) {
    return Header.first(headers, name);
  }

  @Override
  public String toString() {
    // No header values: the signature and the session token are among them.
    return "ProxyRequest[" + method + " " + uri.getScheme() + "://" + uri.getRawAuthority() + ", " + headers.size() + " headers]";
  }
}

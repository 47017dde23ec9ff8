package dev.lambdaproxy.pipeline;

import dev.lambdaproxy.invoke.event.Header;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The client's request as a front end read it, with no server type in it: what every stage may
 * know of the request besides its body.
 *
 * @param method the method, {@code GET}
 * @param rawPath the path inside the context as received, percent-encoded
 * @param path the same path decoded and normalized by the server: what routes match
 * @param rawQuery the query without {@code ?}, or null
 * @param headers the headers in arrival order, names as received
 * @param peerAddress the address of the connection's peer (a client, or a proxy in front)
 * @param scheme {@code http} or {@code https}
 * @param protocol {@code HTTP/1.1}, {@code HTTP/2.0}
 * @param serverName the host the client asked for, without port
 * @param declaredLength the Content-Length, or -1 when none was declared
 */
public record ClientRequest(String method, String rawPath, String path, String rawQuery, List<Header> headers,
    String peerAddress, String scheme, String protocol, String serverName, long declaredLength) {

  public ClientRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(rawPath, "rawPath");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(peerAddress, "peerAddress");
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(serverName, "serverName");
    headers = List.copyOf(headers);
  }

  /** The first value of a header, any case, or null. */
  public String header(String name) {
    return Header.first(headers, name);
  }

  /** Every value of a header, any case, in arrival order. */
  public List<String> headers(String name) {
    List<String> values = new ArrayList<>(1);
    for (Header header : headers) {
      if (header.name().equalsIgnoreCase(name)) {
        values.add(header.value());
      }
    }
    return values;
  }

  /** The names the client's Connection header lists: headers about its connection only (RFC 9110 7.6.1). */
  public java.util.Set<String> connectionHeaderNames() {
    java.util.Set<String> names = new java.util.HashSet<>();
    for (String value : headers("Connection")) {
      for (String name : value.split(",")) {
        if (!name.isBlank()) {
          names.add(name.strip().toLowerCase(Locale.ROOT));
        }
      }
    }
    return names;
  }

  @Override
  public String toString() {
    // No query or header values: they may hold tokens, and this text ends up in logs.
    return "ClientRequest[" + method + " " + rawPath + ", " + headers.size() + " headers]";
  }
}

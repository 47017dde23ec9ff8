package dev.lambdaproxy.invoke.event;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything about the client request an event needs, collected once by the servlet.
 *
 * <p>The body array is shared, not copied: it can be megabytes and the view lives for one request;
 * nobody may change it once the view is made.
 *
 * @param method the request method, {@code GET}
 * @param rawPath the path inside the servlet context as received, percent-encoded: {@code /users/%C3%A9}
 * @param path the same path decoded and normalized: {@code /users/é}
 * @param rawQuery the query without {@code ?}, or null if the request has none
 * @param headers the headers in arrival order, names as received; a name may repeat
 * @param body the body bytes, an empty array if none
 * @param sourceIp the client address, trusted proxies already applied
 * @param protocol the protocol, {@code HTTP/1.1}
 * @param domainName the Host header without port
 * @param requestId a UUID the proxy made for this request
 * @param requestTimeEpochMillis when the request arrived
 * @param routePattern the matched route as written: {@code /users/{id}}, {@code /files/{path+}}, {@code /api/*}
 * @param pathParameters the decoded values of the pattern's variables, in pattern order; empty when it has none
 * @param frontDoor what the front door learned (API key, authorizer context) for the event's requestContext
 */
public record ClientRequestView(
    String method,
    String rawPath,
    String path,
    String rawQuery,
    List<Header> headers,
    byte[] body,
    String sourceIp,
    String protocol,
    String domainName,
    String requestId,
    long requestTimeEpochMillis,
    String routePattern,
    Map<String, String> pathParameters,
    FrontDoorContext frontDoor) {

  /** A request the front door had nothing to say about. */
  public ClientRequestView(String method, String rawPath, String path, String rawQuery, List<Header> headers, byte[] body,
      String sourceIp, String protocol, String domainName, String requestId, long requestTimeEpochMillis, String routePattern,
      Map<String, String> pathParameters) {
    this(method, rawPath, path, rawQuery, headers, body, sourceIp, protocol, domainName, requestId, requestTimeEpochMillis,
        routePattern, pathParameters, FrontDoorContext.NONE);
  }

  public ClientRequestView {
    Objects.requireNonNull(frontDoor, "frontDoor");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(rawPath, "rawPath");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(sourceIp, "sourceIp");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(domainName, "domainName");
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(routePattern, "routePattern");
    headers = List.copyOf(headers);
    pathParameters.forEach((name, value) -> Objects.requireNonNull(value, "pathParameters." + name));
    // Map.copyOf would lose the pattern order the event's pathParameters keep.
    pathParameters = pathParameters.isEmpty()
        ? Map.of()
        : Collections.unmodifiableMap(new LinkedHashMap<>(pathParameters));
    if (!rawPath.startsWith("/")) {
      throw new IllegalArgumentException("rawPath must start with '/', was '" + rawPath + "'");
    }
  }

  /** The value of the first header of that name, any case, or null. */
  public String firstHeader(String name) {
    return Header.first(headers, name);
  }

  @Override
  public String toString() {
    // No query, header values or body: they may hold tokens, and this text ends up in logs.
    return "ClientRequestView[" + method + " " + rawPath
        + ", route " + routePattern + ", " + headers.size() + " headers, " + body.length + " bytes]";
  }
}

package dev.lambdaproxy.servlet;

import dev.lambdaproxy.config.TrustedProxies;
import dev.lambdaproxy.invoke.event.ClientRequestView;
import dev.lambdaproxy.invoke.event.Header;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Collects, once, what an API Gateway event needs to know of a client request. */
final class ClientRequestViews {

  private ClientRequestViews() {}

  static ClientRequestView of(HttpServletRequest clientRequest, Exchange exchange, TrustedProxies trustedProxies, List<ByteBuffer> chunks) {
    List<Header> headers = new ArrayList<>();
    for (Enumeration<String> names = clientRequest.getHeaderNames(); names.hasMoreElements(); ) {
      String name = names.nextElement();
      for (Enumeration<String> values = clientRequest.getHeaders(name); values.hasMoreElements(); ) {
        headers.add(new Header(name, values.nextElement()));
      }
    }
    String contextPath = clientRequest.getContextPath();
    String rawPath = clientRequest.getRequestURI().substring(contextPath == null ? 0 : contextPath.length());
    String sourceIp = trustedProxies.clientAddress(clientRequest.getRemoteAddr(),
        Collections.list(clientRequest.getHeaders("X-Forwarded-For")));
    return new ClientRequestView(
        clientRequest.getMethod(),
        rawPath.isEmpty() ? "/" : rawPath,
        LambdaProxyServlet.pathInContext(clientRequest),
        clientRequest.getQueryString(),
        headers,
        bytes(chunks),
        sourceIp,
        clientRequest.getProtocol(),
        clientRequest.getServerName(),
        requestId(),
        exchange.startMillis,
        exchange.route.pattern(),
        exchange.match.pathParameters());
  }

  /** The body as one array: no copy when it was read into a single array of its exact size. */
  static byte[] bytes(List<ByteBuffer> chunks) {
    if (chunks.isEmpty()) {
      return new byte[0];
    }
    if (chunks.size() == 1) {
      ByteBuffer only = chunks.get(0);
      if (only.hasArray() && only.arrayOffset() == 0 && only.position() == 0 && only.remaining() == only.array().length) {
        return only.array();
      }
    }
    int total = 0;
    for (ByteBuffer chunk : chunks) {
      total += chunk.remaining();
    }
    byte[] all = new byte[total];
    int at = 0;
    for (ByteBuffer chunk : chunks) {
      int length = chunk.remaining();
      chunk.duplicate().get(all, at, length);
      at += length;
    }
    return all;
  }

  /** A random UUID without SecureRandom's cost: a request id needs to be unique, not secret. */
  private static String requestId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return new UUID(random.nextLong() & 0xffffffffffff0fffL | 0x4000L, random.nextLong() & 0x3fffffffffffffffL | 0x8000000000000000L).toString();
  }
}

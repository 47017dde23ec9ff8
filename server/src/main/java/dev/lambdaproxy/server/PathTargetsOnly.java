package dev.lambdaproxy.server;

import dev.lambdaproxy.http.ProxyError;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The first stage on either port: answers in JSON the requests whose target is not a path, which
 * Jetty lets through to the handlers: {@code *} ({@code OPTIONS *}, {@code PRI *} over HTTP/1.1)
 * and CONNECT's {@code host:port}. Everything else goes on to the wrapped handler.
 */
final class PathTargetsOnly extends Handler.Wrapper {

  PathTargetsOnly(Handler handler) {
    super(handler);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (HttpMethod.CONNECT.is(request.getMethod())) {
      // What follows a CONNECT is meant for a tunnel, not the next request: always close.
      response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
      return answer(ProxyError.connectNotSupported(), response, callback);
    }
    if ("*".equals(request.getHttpURI().getPath())) {
      return answer(ProxyError.targetNotAPath(), response, callback);
    }
    return super.handle(request, response, callback);
  }

  private static boolean answer(ProxyError error, Response response, Callback callback) {
    response.setStatus(error.status());
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, ByteBuffer.wrap(error.toJson()), callback);
    return true;
  }
}

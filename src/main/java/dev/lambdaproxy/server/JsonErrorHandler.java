package dev.lambdaproxy.server;

import java.io.IOException;
import java.nio.charset.Charset;
import java.util.List;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The errors Jetty answers itself, before the proxy sees a request (a malformed request line, a
 * URI or header block too long, an ambiguous path), in JSON with a {@code message} like every
 * other error of the proxy, whatever the client accepts, instead of Jetty's HTML page. Jetty's own
 * writer is kept, with its handling of committed and aborted responses; it shows no stack trace.
 */
final class JsonErrorHandler extends ErrorHandler {

  JsonErrorHandler() {
    setShowStacks(false);
    setShowCauses(false);
  }

  @Override
  protected boolean generateAcceptableResponse(Request request, Response response, Callback callback, String contentType,
      List<Charset> charsets, int code, String message, Throwable cause) throws IOException {
    return super.generateAcceptableResponse(request, response, callback, "application/json", charsets, code, message, cause);
  }
}

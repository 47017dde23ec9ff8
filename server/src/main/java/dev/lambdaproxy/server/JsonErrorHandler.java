package dev.lambdaproxy.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The errors Jetty answers itself, before the proxy or the admin port sees a request (a malformed
 * request line or header, a URI or header block too long, an ambiguous path), as
 * {@code {"message": "..."}} in {@code application/json} like every other error of the proxy,
 * whatever the method and whatever the client accepts. Jetty's own writer is not used: it answers
 * only GET, POST and HEAD, HTML-escapes the message and adds the request's URL, Host included.
 */
final class JsonErrorHandler extends ErrorHandler {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_MESSAGE_CHARS = 200;

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    generateCacheControl(response);
    int status = response.getStatus();
    Throwable cause = (Throwable) request.getAttribute(ERROR_EXCEPTION);
    String reason = (String) request.getAttribute(ERROR_MESSAGE);
    if (cause instanceof HttpException http) {
      status = http.getCode();
      response.setStatus(status);
      if (reason == null) {
        reason = http.getReason();
      }
    }
    // An exception's text (not Jetty's fixed reasons) may carry anything: the log has it, the client gets the status.
    if (status >= 500 && cause != null && !(cause instanceof HttpException)) {
      reason = null;
    }
    if (request.getHeaders().contains(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString())) {
      response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
    }
    if (HttpStatus.hasNoBody(status)) {
      callback.succeeded();
      return true;
    }
    byte[] body = body(message(reason, status));
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    // No Content-Length here: Jetty adds it to a single last write, and setting it made stopping
    // time out after a client reset its h2 stream (SlowClientsTest). Jetty sends HEAD no body.
    response.write(true, ByteBuffer.wrap(body), callback);
    return true;
  }

  /**
   * Jetty's reason as plain printable ASCII, at most {@value #MAX_MESSAGE_CHARS} chars: some quote
   * a byte of the request (e.g. {@code Illegal character VCHAR='@'}), which must not come back raw.
   */
  static String message(String reason, int status) {
    String text = reason == null || reason.isBlank() ? HttpStatus.getMessage(status) : reason.strip();
    StringBuilder plain = new StringBuilder(Math.min(text.length(), MAX_MESSAGE_CHARS));
    for (int i = 0; i < text.length() && plain.length() < MAX_MESSAGE_CHARS; i++) {
      char c = text.charAt(i);
      plain.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return plain.toString();
  }

  private static byte[] body(String message) {
    try {
      return JSON.writeValueAsBytes(JSON.createObjectNode().put("message", message));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}

package dev.lambdaproxy.servlet;

import dev.lambdaproxy.invoke.ClientAnswer;
import dev.lambdaproxy.invoke.Headers;
import dev.lambdaproxy.invoke.stream.LambdaStreamDecoder;
import dev.lambdaproxy.route.FunctionTarget;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Passes a response-streaming function's output to the client as it arrives: the HTTP integration
 * prelude becomes status and headers, each payload chunk is written and flushed at once, and an
 * error in the stream is thrown so the proxy's one failure path answers it (a 502 if nothing was
 * sent yet, a cut connection if the body had started).
 *
 * <p>Writes block until the client takes the bytes; that holds the upstream read, so a slow client
 * slows the reading from Lambda and nothing piles up in between.
 */
final class StreamedAnswer implements LambdaStreamDecoder.Listener {

  /** The function failed inside its stream. */
  static final class StreamFailure extends IOException {
    final String errorType;
    final String errorMessage;

    StreamFailure(String errorType, String errorMessage) {
      super("the function's stream ended in error " + errorType, null);
      this.errorType = errorType;
      this.errorMessage = errorMessage;
    }
  }

  /** The prelude's headers are past {@link dev.lambdaproxy.invoke.ClientAnswer#MAX_FUNCTION_HEADER_BYTES}. */
  static final class HeadersTooLarge extends IOException {
    final long bytes;

    HeadersTooLarge(long bytes) {
      super("the function's headers take " + bytes + " bytes", null);
      this.bytes = bytes;
    }
  }

  private static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

  private final Exchange exchange;
  private final HttpServletResponse proxyResponse;
  private final FunctionTarget function;
  private boolean headersSent;
  private int status = 200;
  private String contentType;

  StreamedAnswer(Exchange exchange, HttpServletResponse proxyResponse, FunctionTarget function) {
    this.exchange = exchange;
    this.proxyResponse = proxyResponse;
    this.function = function;
  }

  @Override
  public void onHttpPrelude(int statusCode, Map<String, List<String>> headers, List<String> cookies) throws IOException {
    long headerBytes = 0;
    for (Map.Entry<String, List<String>> header : headers.entrySet()) {
      for (String value : header.getValue()) {
        headerBytes += ClientAnswer.headerBytes(header.getKey(), value);
      }
    }
    for (String cookie : cookies) {
      headerBytes += ClientAnswer.headerBytes("Set-Cookie", cookie);
    }
    if (headerBytes > ClientAnswer.MAX_FUNCTION_HEADER_BYTES) {
      throw new HeadersTooLarge(headerBytes); // checked before any is set: the 502 goes out on a clean response
    }
    status = statusCode;
    for (Map.Entry<String, List<String>> header : headers.entrySet()) {
      for (String value : header.getValue()) {
        if (header.getKey().toLowerCase(Locale.ROOT).equals("content-type")) {
          contentType = Headers.isSafeValue(value) ? value : contentType;
        } else if (Headers.isForwardableFromFunction(header.getKey(), value)) {
          proxyResponse.addHeader(header.getKey(), value);
        }
      }
    }
    for (String cookie : cookies) {
      if (Headers.isSafeValue(cookie)) {
        proxyResponse.addHeader("Set-Cookie", cookie);
      }
    }
  }

  @Override
  public void onPayload(ByteBuffer body) throws IOException {
    sendHeaders();
    int length = body.remaining();
    if (body.hasArray()) {
      proxyResponse.getOutputStream().write(body.array(), body.arrayOffset() + body.position(), length);
    } else {
      byte[] copy = new byte[length];
      body.get(copy);
      proxyResponse.getOutputStream().write(copy);
    }
    proxyResponse.flushBuffer();
    exchange.bytesSent += length;
  }

  @Override
  public void onComplete(String errorCode, String errorDetails, String logResult) throws IOException {
    if (errorCode != null) {
      throw new StreamFailure(errorCode, errorDetails);
    }
  }

  @Override
  public void onError(String type, String message) throws IOException {
    throw new StreamFailure(type == null ? "StreamError" : type, message);
  }

  /** The function ended without writing: the client still gets its status and headers. */
  void finishWithoutBody() throws IOException {
    sendHeaders();
  }

  private void sendHeaders() throws IOException {
    if (headersSent) {
      return;
    }
    headersSent = true;
    proxyResponse.setStatus(status);
    // An explicit route content-type wins for raw output; else what the prelude said, else bytes.
    String type = contentType != null ? contentType
        : !function.contentType().equals(FunctionTarget.DEFAULT_CONTENT_TYPE) ? function.contentType() : DEFAULT_CONTENT_TYPE;
    proxyResponse.setContentType(type);
  }
}

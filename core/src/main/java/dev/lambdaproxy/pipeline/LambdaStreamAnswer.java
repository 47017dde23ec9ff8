package dev.lambdaproxy.pipeline;

import dev.lambdaproxy.http.ClientAnswer;
import dev.lambdaproxy.http.Headers;
import dev.lambdaproxy.invoke.stream.LambdaStreamDecoder;
import dev.lambdaproxy.route.FunctionTarget;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The decode and answer stages of a response-streaming function: Lambda's event stream is decoded
 * as it arrives, its HTTP integration prelude becomes the status and headers, and each payload
 * piece goes to the client at once; the next piece of the stream is read only when the client has
 * taken what the last one carried. An answer that is not a stream (an API error) is gathered and
 * decoded as a buffered one.
 */
final class LambdaStreamAnswer implements Upstream.StreamListener, LambdaStreamDecoder.Listener {

  private static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

  private final Routed routed;
  private final ClientRequest clientRequest;
  private final ClientSink sink;
  private final Exchange exchange;
  private final Consumer<Throwable> onFailure;
  private LambdaStreamDecoder decoder;
  private ServerResponse head;
  private ByteArrayOutputStream buffered;
  private boolean headSent;
  private int status = 200;
  private String contentType;
  private final List<ClientAnswer.Header> headers = new ArrayList<>();
  /** Writes under way for the piece being decoded, plus one for the decoding itself. */
  private final AtomicInteger pending = new AtomicInteger();
  private Runnable demand;

  LambdaStreamAnswer(Routed routed, ClientRequest clientRequest, ClientSink sink, Exchange exchange, Consumer<Throwable> onFailure) {
    this.routed = routed;
    this.clientRequest = clientRequest;
    this.sink = sink;
    this.exchange = exchange;
    this.onFailure = onFailure;
  }

  @Override
  public void onHead(ServerResponse head) {
    this.head = head;
    exchange.lambdaRequestId = head.header(LambdaWire.REQUEST_ID);
    if (head.status() == 200 && head.header(LambdaWire.FUNCTION_ERROR) == null) {
      decoder = LambdaStreamDecoder.forContentType(head.header(LambdaWire.CONTENT_TYPE), this);
    } else {
      buffered = new ByteArrayOutputStream();
    }
  }

  @Override
  public void onContent(ByteBuffer piece, Runnable demand) {
    if (decoder == null) {
      if (buffered.size() + piece.remaining() > Upstream.MAX_BUFFERED_ANSWER_BYTES) {
        onFailure.accept(new UpstreamFailure(UpstreamFailure.Kind.TOO_LARGE, null, null));
        return;
      }
      byte[] bytes = new byte[piece.remaining()];
      piece.get(bytes);
      buffered.write(bytes, 0, bytes.length);
      demand.run();
      return;
    }
    this.demand = demand;
    pending.set(1);
    try {
      decoder.feed(piece);
    } catch (IOException | RuntimeException e) {
      onFailure.accept(e);
      return;
    }
    release();
  }

  private void release() {
    if (pending.decrementAndGet() == 0) {
      demand.run();
    }
  }

  @Override
  public void onEnd() {
    exchange.upstreamEnded();
    if (decoder == null) {
      ServerResponse whole = new ServerResponse(head.status(), head.headers(), buffered.toByteArray());
      sink.answer(Decode.answer(routed, clientRequest, exchange, whole));
      return;
    }
    try {
      decoder.endOfStream(); // a stream that stops before InvokeComplete is an error
      sendHead();
      sink.end();
    } catch (IOException | RuntimeException e) {
      onFailure.accept(e);
    }
  }

  @Override
  public void onFailure(Throwable failure) {
    exchange.upstreamEnded();
    onFailure.accept(failure);
  }

  @Override
  public void onHttpPrelude(int statusCode, Map<String, List<String>> preludeHeaders, List<String> cookies) throws IOException {
    long headerBytes = 0;
    for (Map.Entry<String, List<String>> header : preludeHeaders.entrySet()) {
      for (String value : header.getValue()) {
        headerBytes += ClientAnswer.headerBytes(header.getKey(), value);
      }
    }
    for (String cookie : cookies) {
      headerBytes += ClientAnswer.headerBytes("Set-Cookie", cookie);
    }
    if (headerBytes > ClientAnswer.MAX_FUNCTION_HEADER_BYTES) {
      throw new Failures.FunctionHeadersTooLarge(headerBytes);
    }
    status = statusCode;
    for (Map.Entry<String, List<String>> header : preludeHeaders.entrySet()) {
      for (String value : header.getValue()) {
        if (header.getKey().toLowerCase(Locale.ROOT).equals("content-type")) {
          contentType = Headers.firstContentType(contentType, value);
        } else if (Headers.isForwardableFromFunction(header.getKey(), value)) {
          headers.add(new ClientAnswer.Header(header.getKey(), value));
        }
      }
    }
    for (String cookie : cookies) {
      if (Headers.isSafeValue(cookie)) {
        headers.add(new ClientAnswer.Header("Set-Cookie", cookie));
      }
    }
  }

  @Override
  public void onPayload(ByteBuffer body) {
    sendHead();
    // The decoder may reuse its buffer once this returns; the client's write may finish later.
    byte[] copy = new byte[body.remaining()];
    body.get(copy);
    pending.incrementAndGet();
    sink.write(ByteBuffer.wrap(copy), new ClientSink.Written() {
      @Override
      public void succeeded() {
        exchange.bytesSent += copy.length;
        release();
      }

      @Override
      public void failed(Throwable failure) {
        onFailure.accept(failure);
      }
    });
  }

  @Override
  public void onComplete(String errorCode, String errorDetails, String logResult) throws IOException {
    if (errorCode != null) {
      throw new Failures.StreamedFunctionError(errorCode, errorDetails);
    }
  }

  @Override
  public void onError(String type, String message) throws IOException {
    throw new Failures.StreamedFunctionError(type == null ? "StreamError" : type, message);
  }

  private void sendHead() {
    if (headSent) {
      return;
    }
    headSent = true;
    FunctionTarget function = routed.function();
    // An explicit route content-type wins for raw output; else what the prelude said, else bytes.
    String type = contentType != null ? contentType
        : !function.contentType().equals(FunctionTarget.DEFAULT_CONTENT_TYPE) ? function.contentType() : DEFAULT_CONTENT_TYPE;
    sink.head(status, headers, type);
  }
}

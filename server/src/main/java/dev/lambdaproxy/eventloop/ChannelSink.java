package dev.lambdaproxy.eventloop;

import dev.lambdaproxy.http.ClientAnswer;
import dev.lambdaproxy.pipeline.Pipeline;
import dev.lambdaproxy.pipeline.ClientSink;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pipeline's answer written to a channel (a connection, or an h2 stream): a whole answer as one
 * response with its length; a streamed one as a head, pieces and an end, chunked on HTTP/1.1. The
 * pipeline may call from any thread; the writes happen on the channel's event loop, in call order.
 * A piece's {@link Written} completes when the channel has taken it, so a slow client holds back the
 * upstream's reads (backpressure) rather than filling a buffer.
 */
final class ChannelSink implements ClientSink {

  private final ClientExchangeHandler handler;
  private final ChannelHandlerContext ctx;
  private final EventLoop loop;
  private final HttpVersion version;
  private final boolean headRequest;
  private final boolean http2;
  private final boolean closeAsked;
  /** Calls made off the loop and not yet run: a call on the loop waits behind them to keep the order. */
  private final AtomicInteger queued = new AtomicInteger();
  private ClientExchangeHandler.ClientExchange exchange;
  private volatile boolean committed;
  private volatile int status;
  private boolean close;
  private boolean done;

  ChannelSink(ClientExchangeHandler handler, ChannelHandlerContext ctx, HttpVersion version, boolean headRequest, boolean http2,
      boolean closeAsked) {
    this.handler = handler;
    this.ctx = ctx;
    this.loop = ctx.channel().eventLoop();
    this.version = version;
    this.headRequest = headRequest;
    this.http2 = http2;
    this.closeAsked = closeAsked;
  }

  void exchange(ClientExchangeHandler.ClientExchange exchange) {
    this.exchange = exchange;
  }

  int status() {
    return status;
  }

  @Override
  public boolean isCommitted() {
    return committed;
  }

  @Override
  public void answer(ClientAnswer answer) {
    committed = true;
    status = answer.status();
    onLoop(() -> writeAnswer(answer));
  }

  @Override
  public void head(int status, List<ClientAnswer.Header> headers, String contentType) {
    committed = true;
    this.status = status;
    onLoop(() -> writeHead(status, headers, contentType));
  }

  @Override
  public void write(ByteBuffer piece, Written written) {
    onLoop(() -> writePiece(piece, written));
  }

  @Override
  public void end() {
    onLoop(this::writeEnd);
  }

  @Override
  public void abort(Throwable why) {
    onLoop(() -> {
      if (done) {
        return;
      }
      done = true;
      handler.finish(exchange, committed ? status : Pipeline.CLIENT_CLOSED_REQUEST, true);
      ctx.channel().close(); // on h2, a reset of the stream only
    });
  }

  @Override
  public void resume(Runnable step) {
    onLoop(step); // in order with anything already queued for this exchange's loop
  }

  private void onLoop(Runnable task) {
    if (loop.inEventLoop() && queued.get() == 0) {
      task.run();
      return;
    }
    queued.incrementAndGet();
    loop.execute(() -> {
      queued.decrementAndGet();
      task.run();
    });
  }

  private void writeAnswer(ClientAnswer answer) {
    if (done) {
      return;
    }
    done = true;
    FullHttpResponse response = new DefaultFullHttpResponse(version, HttpResponseStatus.valueOf(answer.status()),
        headRequest ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(answer.body()));
    HttpHeaders headers = response.headers();
    try {
      for (ClientAnswer.Header header : answer.headers()) {
        headers.add(header.name(), header.value());
      }
      if (answer.contentType() != null) {
        headers.set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
      }
    } catch (IllegalArgumentException e) {
      // The pipeline screens what functions send; a header Netty still refuses cuts the exchange.
      handler.finish(exchange, 502, true);
      ctx.channel().close();
      return;
    }
    headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
    HttpUtil.setContentLength(response, answer.body().length);
    close = closeAsked || handler.closeAfterAnswer(exchange) || headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true);
    connectionHeader(headers);
    int sent = answer.status();
    ctx.writeAndFlush(response).addListener(future -> handler.finish(exchange, sent, close || !future.isSuccess()));
  }

  private void writeHead(int status, List<ClientAnswer.Header> headers, String contentType) {
    if (done) {
      return;
    }
    HttpResponse response = new DefaultHttpResponse(version, HttpResponseStatus.valueOf(status));
    HttpHeaders responseHeaders = response.headers();
    try {
      for (ClientAnswer.Header header : headers) {
        responseHeaders.add(header.name(), header.value());
      }
      if (contentType != null) {
        responseHeaders.set(HttpHeaderNames.CONTENT_TYPE, contentType);
      }
    } catch (IllegalArgumentException e) {
      done = true;
      handler.finish(exchange, 502, true);
      ctx.channel().close();
      return;
    }
    responseHeaders.remove(HttpHeaderNames.TRANSFER_ENCODING);
    if (!http2 && !headRequest && !responseHeaders.contains(HttpHeaderNames.CONTENT_LENGTH)) {
      if (version.equals(HttpVersion.HTTP_1_0)) {
        close = true; // no chunks in HTTP/1.0: the end of the connection ends the body
      } else {
        HttpUtil.setTransferEncodingChunked(response, true);
      }
    }
    close |= closeAsked || handler.closeAfterAnswer(exchange)
        || responseHeaders.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true);
    connectionHeader(responseHeaders);
    ctx.writeAndFlush(response).addListener(future -> {
      if (!future.isSuccess()) {
        abortOnLoop();
      }
    });
  }

  private void writePiece(ByteBuffer piece, Written written) {
    if (done) {
      written.failed(new ClosedChannelException());
      return;
    }
    if (headRequest || !piece.hasRemaining()) {
      written.succeeded();
      return;
    }
    // No copy: the upstream keeps the piece until written succeeds, which is once the channel took it.
    ChannelFuture future = ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(piece)));
    future.addListener(f -> {
      if (f.isSuccess()) {
        written.succeeded();
      } else {
        written.failed(f.cause());
      }
    });
  }

  private void writeEnd() {
    if (done) {
      return;
    }
    done = true;
    int sent = status;
    ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT)
        .addListener(future -> handler.finish(exchange, sent, close || !future.isSuccess()));
  }

  private void abortOnLoop() {
    if (done) {
      return;
    }
    done = true;
    handler.finish(exchange, status, true);
    ctx.channel().close();
  }

  /** HTTP/1.x only: h2 has no Connection header (Netty drops it from h2 headers anyway). */
  private void connectionHeader(HttpHeaders headers) {
    if (http2) {
      headers.remove(HttpHeaderNames.CONNECTION);
      return;
    }
    if (close) {
      headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (version.equals(HttpVersion.HTTP_1_0)) {
      headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    } else {
      headers.remove(HttpHeaderNames.CONNECTION);
    }
  }
}

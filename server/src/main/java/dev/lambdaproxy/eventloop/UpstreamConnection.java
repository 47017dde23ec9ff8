package dev.lambdaproxy.eventloop;

import dev.lambdaproxy.pipeline.UpstreamFailure;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * One pooled HTTP/1.1 connection and the handler at the end of its pipeline: it carries one call
 * at a time, skips interim answers, and gives itself back to its pool once an answer has been read
 * whole (at the end of the read that finished it, so bytes the endpoint sent past the answer close
 * the connection rather than answer the next call).
 */
final class UpstreamConnection extends ChannelInboundHandlerAdapter {

  private final Channel channel;
  private final UpstreamPool pool;
  private UpstreamExchange exchange;
  /** It has carried a call before, or waited in the pool: the endpoint may have closed it meanwhile. */
  private boolean reused;
  private boolean discarded;
  private long idleSince;
  private boolean interim;
  private boolean answerRead;
  private boolean keepAlive;

  UpstreamConnection(Channel channel, UpstreamPool pool) {
    this.channel = channel;
    this.pool = pool;
  }

  /** Sees the answer's bytes before the decoder: the idle timeout's clock, and whether any byte came. */
  ChannelInboundHandler answerBytes() {
    return new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf bytes && bytes.isReadable()) {
          if (exchange == null) {
            // Bytes nobody asked for: an idle connection is out of step with its endpoint.
            bytes.release();
            pool.discard(UpstreamConnection.this);
            return;
          }
          exchange.answerBytes();
        }
        ctx.fireChannelRead(msg);
      }
    };
  }

  boolean isActive() {
    return !discarded && channel.isActive();
  }

  boolean reused() {
    return reused;
  }

  /** True the first time: the connection stops being counted by its pool. */
  boolean markDiscarded() {
    if (discarded) {
      return false;
    }
    discarded = true;
    return true;
  }

  long idleSince() {
    return idleSince;
  }

  /** Parks the connection in the pool, reading so that the endpoint's close is noticed while it waits. */
  void idleSince(long nanos) {
    idleSince = nanos;
    reused = true;
    channel.read();
  }

  void close() {
    channel.close();
  }

  void read() {
    channel.read();
  }

  /** Carries {@code call}'s request; its answer goes to {@code call}. */
  void send(UpstreamExchange call, HttpRequest request) {
    exchange = call;
    interim = false;
    answerRead = false;
    keepAlive = true;
    channel.writeAndFlush(request).addListener(written -> {
      if (!written.isSuccess() && exchange == call) {
        call.connectionLost(this, written.cause());
      }
    });
    channel.read();
  }

  /** The call no longer wants this connection's answer. */
  void detach() {
    exchange = null;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    UpstreamExchange call = exchange;
    if (call == null || answerRead) {
      ReferenceCountUtil.release(msg);
      pool.discard(this);
      return;
    }
    HttpObject part = (HttpObject) msg;
    if (part.decoderResult().isFailure()) {
      ReferenceCountUtil.release(msg);
      call.fail(NettyUpstream.invalidHttp(part.decoderResult().cause()));
      return;
    }
    if (msg instanceof HttpResponse head) {
      int status = head.status().code();
      if (status == 100 || status == 102 || status == 103) {
        interim = true; // its empty content follows, then the final answer
      } else if (status < 200) {
        ReferenceCountUtil.release(msg);
        call.fail(new UpstreamFailure(UpstreamFailure.Kind.INFORMATIONAL, null, status, null));
        return;
      } else {
        keepAlive = HttpUtil.isKeepAlive(head);
        call.head(head);
        if (exchange != call) {
          ReferenceCountUtil.release(msg);
          return;
        }
      }
    }
    if (msg instanceof HttpContent content) {
      boolean last = content instanceof LastHttpContent;
      if (interim) {
        content.release();
        interim = !last;
        return;
      }
      answerRead = last;
      call.content(content);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    UpstreamExchange call = exchange;
    if (call == null) {
      return;
    }
    if (answerRead) {
      exchange = null;
      if (keepAlive && isActive()) {
        pool.release(this);
      } else {
        pool.discard(this);
        pool.serveWaiting();
      }
      call.answerRead();
    } else if (call.wantsRead()) {
      channel.read();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    UpstreamExchange call = exchange;
    exchange = null;
    if (call != null) {
      if (answerRead) {
        call.answerRead(); // an answer read until the endpoint closed
      } else {
        call.connectionLost(this, null);
      }
    }
    pool.discard(this);
    pool.serveWaiting();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    UpstreamExchange call = exchange;
    exchange = null;
    if (call != null) {
      call.connectionLost(this, cause);
    }
    pool.discard(this);
  }
}

package dev.lambdaproxy.eventloop;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import dev.lambdaproxy.http.ProxyError;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a client connection speaks, set up as it is accepted: on the plain port HTTP/1.1, h2c by
 * prior knowledge (the connection preface) or by {@code Upgrade: h2c}; on the TLS port h2 or
 * HTTP/1.1 as ALPN chose. Either way each request meets a {@link ClientExchangeHandler}.
 */
final class ClientChannels extends ChannelInitializer<Channel> {

  /** The most an HTTP/1.1 request asking for h2c may carry as a body: it is read whole before the switch. */
  private static final int MAX_UPGRADE_BODY_BYTES = 64 * 1024;
  private static final ByteBuf PREFACE = Unpooled.unreleasableBuffer(Http2CodecUtil.connectionPrefaceBuf()).asReadOnly();

  private final FrontEnd frontEnd;
  private final SslContext tls;

  ClientChannels(FrontEnd frontEnd, SslContext tls) {
    this.frontEnd = frontEnd;
    this.tls = tls;
  }

  @Override
  protected void initChannel(Channel channel) {
    frontEnd.connections().add(channel);
    ChannelPipeline pipeline = channel.pipeline();
    pipeline.addLast("idle", new IdleStateHandler(0, 0, frontEnd.idleTimeoutMillis(), TimeUnit.MILLISECONDS));
    pipeline.addLast("idle-policy", new IdlePolicy());
    if (tls != null) {
      pipeline.addLast("tls", tls.newHandler(channel.alloc()));
      pipeline.addLast("alpn", new ApplicationProtocolNegotiationHandler(ApplicationProtocolNames.HTTP_1_1) {
        @Override
        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
          if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
            addHttp2(ctx.pipeline(), "https");
          } else if (ApplicationProtocolNames.HTTP_1_1.equals(protocol)) {
            addHttp1(ctx.pipeline(), "https", false);
          } else {
            ctx.close();
          }
        }
      });
    } else {
      pipeline.addLast("prior-knowledge", new PriorKnowledge());
    }
  }

  private void addHttp1(ChannelPipeline pipeline, String scheme, boolean upgradable) {
    Http1ServerCodec codec = new Http1ServerCodec();
    pipeline.addLast("http1", codec);
    if (upgradable) {
      pipeline.addLast("h2c-upgrade", new HttpServerUpgradeHandler(codec,
          protocol -> Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME.toString().contentEquals(protocol)
              ? new Http2ServerUpgradeCodec(frameCodec(), multiplex(scheme)) : null,
          MAX_UPGRADE_BODY_BYTES) {
        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
          FullHttpResponse tooLarge = json(ProxyError.bodyTooLarge(MAX_UPGRADE_BODY_BYTES));
          ctx.writeAndFlush(tooLarge).addListener(ChannelFutureListener.CLOSE);
        }
      });
    }
    pipeline.addLast("exchange", new ClientExchangeHandler(frontEnd, scheme, false));
  }

  private void addHttp2(ChannelPipeline pipeline, String scheme) {
    pipeline.addLast("h2", frameCodec());
    pipeline.addLast("h2-streams", multiplex(scheme));
  }

  private static Http2FrameCodec frameCodec() {
    return Http2FrameCodecBuilder.forServer()
        .initialSettings(Http2Settings.defaultSettings().maxHeaderListSize(Http1ServerCodec.MAX_HEADER_BYTES * 2L))
        .validateHeaders(true)
        .build();
  }

  private Http2MultiplexHandler multiplex(String scheme) {
    return new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
      @Override
      protected void initChannel(Http2StreamChannel stream) {
        stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true), new ClientExchangeHandler(frontEnd, scheme, true));
      }
    });
  }

  static FullHttpResponse json(ProxyError error) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(error.status()),
        Unpooled.wrappedBuffer(error.toJson()));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    HttpUtil.setContentLength(response, response.content().readableBytes());
    return response;
  }

  /** Tells the h2 connection preface from an HTTP/1.1 request by the first bytes, then steps aside. */
  private final class PriorKnowledge extends ByteToMessageDecoder {
    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
      int length = Math.min(in.readableBytes(), PREFACE.readableBytes());
      if (!ByteBufUtil.equals(PREFACE, PREFACE.readerIndex(), in, in.readerIndex(), length)) {
        addHttp1(ctx.pipeline(), "http", true);
        ctx.pipeline().remove(this);
      } else if (length == PREFACE.readableBytes()) {
        addHttp2(ctx.pipeline(), "http");
        ctx.pipeline().remove(this);
      }
    }
  }

  /**
   * A connection silent for the idle timeout is closed, unless its request waits for its answer
   * (the route's timeout bounds that) or, on h2, a stream is open.
   */
  private static final class IdlePolicy extends ChannelInboundHandlerAdapter {
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
      if (!(event instanceof IdleStateEvent)) {
        super.userEventTriggered(ctx, event);
        return;
      }
      ClientExchangeHandler http1 = ctx.pipeline().get(ClientExchangeHandler.class);
      Http2FrameCodec h2 = ctx.pipeline().get(Http2FrameCodec.class);
      if (h2 != null) {
        if (h2.connection().numActiveStreams() == 0) {
          ctx.close();
        }
      } else if (http1 == null || http1.idleMayClose()) {
        ctx.close();
      }
    }
  }
}

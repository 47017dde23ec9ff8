package dev.lambdaproxy.eventloop;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;

/**
 * HTTP/1.1 for the client side: Netty's request decoder, with a request line and a header block of
 * 8 KiB each at most, plus the one smuggling defence it lacks (it joins an obs-fold line to the header
 * before, where RFC 9112 section 5.2 lets a server refuse it: the proxy refuses it, as Jetty does).
 */
final class Http1ServerCodec extends CombinedChannelDuplexHandler<Http1ServerCodec.StrictRequestDecoder, HttpResponseEncoder>
    implements HttpServerUpgradeHandler.SourceCodec {

  static final int MAX_INITIAL_LINE_BYTES = 8 * 1024;
  static final int MAX_HEADER_BYTES = 8 * 1024;

  Http1ServerCodec() {
    init(new StrictRequestDecoder(new HttpDecoderConfig()
        .setMaxInitialLineLength(MAX_INITIAL_LINE_BYTES)
        .setMaxHeaderSize(MAX_HEADER_BYTES)
        .setAllowDuplicateContentLengths(false)
        .setStrictLineParsing(true)), new HttpResponseEncoder());
  }

  @Override
  public void upgradeFrom(ChannelHandlerContext ctx) {
    ctx.pipeline().remove(this);
  }

  /**
   * Scans each request's head before Netty parses it, for a header line that starts with a space or
   * a tab; such a request becomes an invalid one (answered 400) and the rest of the connection is
   * dropped. Bodies are not scanned: the head ends at its empty line, the next one starts after the
   * decoder's last content.
   */
  static final class StrictRequestDecoder extends HttpRequestDecoder {

    private boolean inHead = true;
    private boolean lineStart = true;
    private boolean firstLine = true;
    /** Bytes past the reader index already scanned. */
    private int scanned;
    private boolean refused;

    StrictRequestDecoder(HttpDecoderConfig config) {
      super(config);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
      if (refused) {
        in.skipBytes(in.readableBytes());
        return;
      }
      if (inHead && foldedLine(in)) {
        refused = true;
        in.skipBytes(in.readableBytes());
        DefaultFullHttpRequest invalid = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/bad-request");
        invalid.setDecoderResult(DecoderResult.failure(
            new IllegalArgumentException("a header line continued by a space or tab (obs-fold) is not accepted")));
        out.add(invalid);
        return;
      }
      int before = in.readerIndex();
      int produced = out.size();
      super.decode(ctx, in, out);
      scanned = Math.max(0, scanned - (in.readerIndex() - before));
      for (int i = produced; i < out.size(); i++) {
        if (out.get(i) instanceof LastHttpContent) {
          inHead = true;
          lineStart = true;
          firstLine = true;
          scanned = 0;
        }
      }
    }

    /** Whether the head scanned so far has an obs-fold line; leaves head mode at the head's empty line. */
    private boolean foldedLine(ByteBuf in) {
      for (int i = in.readerIndex() + scanned; i < in.writerIndex(); i++) {
        byte b = in.getByte(i);
        scanned++;
        if (b == '\r') {
          continue;
        }
        if (b == '\n') {
          if (lineStart && !firstLine) {
            inHead = false;
            return false;
          }
          if (!lineStart) {
            firstLine = false;
          }
          lineStart = true;
          continue;
        }
        if (lineStart && !firstLine && (b == ' ' || b == '\t')) {
          return true;
        }
        lineStart = false;
      }
      return false;
    }
  }
}

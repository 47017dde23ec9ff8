package dev.lambdaproxy.eventloop;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose request was not read to its end (a 413, a refusal) the way nginx's
 * {@code lingering_close} does: the answer goes out, the sending side is shut, and what the client
 * is still sending is read and dropped for a short while. Closed at once, a socket with unread
 * bytes sends a reset that can destroy the answer before the client reads it (a test saw "no
 * bytes" for a 413 to a chunked upload).
 */
final class LingeringClose {

  /** How long and how much the client may go on sending before the connection is closed anyway. */
  static final long LINGER_MILLIS = 2_000;
  static final long LINGER_BYTES = 1024 * 1024;

  private LingeringClose() {}

  static void close(Channel channel) {
    if (!(channel instanceof DuplexChannel duplex) || !channel.isActive() || duplex.isOutputShutdown()) {
      channel.close();
      return;
    }
    duplex.shutdownOutput().addListener(shut -> {
      if (!shut.isSuccess()) {
        channel.close();
        return;
      }
      channel.pipeline().addFirst("lingering-discard", new ChannelInboundHandlerAdapter() {
        private long dropped;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
          if (msg instanceof ByteBuf bytes) {
            dropped += bytes.readableBytes();
          }
          ReferenceCountUtil.release(msg);
          if (dropped > LINGER_BYTES) {
            ctx.close();
          }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
          ctx.close();
        }
      });
      channel.config().setAutoRead(true);
      channel.read();
      channel.eventLoop().schedule(() -> {
        channel.close();
      }, LINGER_MILLIS, TimeUnit.MILLISECONDS);
    });
  }
}

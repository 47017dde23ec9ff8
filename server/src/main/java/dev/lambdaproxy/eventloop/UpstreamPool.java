package dev.lambdaproxy.eventloop;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The keep-alive connections of one event loop to one endpoint, confined to that loop: the idle
 * ones (the most recently used handed out first, the oldest closed after keep-alive), and the calls
 * waiting for one when {@code maxConnections} are open (each bounded by its own timeout).
 */
final class UpstreamPool {

  /** Content pieces up to this size: one read's worth, sliced from the read buffer without a copy. */
  private static final int MAX_PIECE_BYTES = 64 * 1024;

  private final UpstreamPools loopPools;
  private final NettyUpstream upstream;
  private final UpstreamPools.Origin origin;
  private final Bootstrap bootstrap;
  private final ArrayDeque<UpstreamConnection> idle = new ArrayDeque<>();
  private final ArrayDeque<UpstreamExchange> waiting = new ArrayDeque<>();
  private int open;
  private ScheduledFuture<?> sweep;
  private boolean closed;

  UpstreamPool(UpstreamPools loopPools, NettyUpstream upstream, UpstreamPools.Origin origin) {
    this.loopPools = loopPools;
    this.upstream = upstream;
    this.origin = origin;
    this.bootstrap = new Bootstrap()
        .group(loopPools.loop())
        .channel(upstream.transport().channel())
        .resolver(upstream.resolver())
        // Reads are asked for: as a buffered answer needs them, as a streamed one's listener lets go of each piece.
        .option(ChannelOption.AUTO_READ, false)
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel channel) {
            UpstreamConnection connection = new UpstreamConnection(channel, UpstreamPool.this);
            if (origin.tls()) {
              SslHandler tls = upstream.tls().newHandler(channel.alloc(), origin.host(), origin.port());
              channel.pipeline().addLast("tls", tls);
            }
            channel.pipeline()
                .addLast("bytes", connection.answerBytes())
                .addLast("http", new HttpClientCodec(new HttpDecoderConfig()
                    .setMaxHeaderSize(NettyUpstream.MAX_ANSWER_HEADER_BYTES)
                    .setMaxChunkSize(MAX_PIECE_BYTES), false, false))
                .addLast("answer", connection);
          }
        });
  }

  UpstreamPools.Origin origin() {
    return origin;
  }

  /** Gives {@code exchange} a connection: an idle one, a new one, or the next one let go of. */
  void acquire(UpstreamExchange exchange) {
    UpstreamConnection connection;
    while ((connection = idle.pollFirst()) != null) {
      loopPools.idled(-1);
      if (connection.isActive()) {
        exchange.connected(connection);
        return;
      }
      discard(connection);
    }
    if (open < upstream.maxConnections()) {
      connect(exchange);
    } else {
      waiting.addLast(exchange);
    }
  }

  /** A new connection for {@code exchange}, the pool's limit notwithstanding: it replaces the stale one it gave up. */
  void connect(UpstreamExchange exchange) {
    open++;
    loopPools.opened(1);
    if (origin.tls() && !upstream.tlsReady().isDone()) {
      // The TLS context is still being built (right after start): connect once it is, never waiting on the loop.
      upstream.tlsReady().whenComplete((ready, failure) -> loopPools.loop().execute(() -> connectNow(exchange)));
      return;
    }
    connectNow(exchange);
  }

  private void connectNow(UpstreamExchange exchange) {
    ChannelFuture connecting = bootstrap.connect(origin.host(), origin.port());
    connecting.addListener(done -> {
      if (!done.isSuccess()) {
        opened(-1);
        exchange.connectFailed(done.cause());
        serveWaiting();
        return;
      }
      Channel channel = connecting.channel();
      UpstreamConnection connection = channel.pipeline().get(UpstreamConnection.class);
      SslHandler tls = channel.pipeline().get(SslHandler.class);
      if (tls == null) {
        handOver(connection, exchange);
      } else {
        tls.handshakeFuture().addListener(handshake -> {
          if (handshake.isSuccess()) {
            handOver(connection, exchange);
          } else {
            connection.close();
            exchange.connectFailed(handshake.cause());
          }
        });
      }
    });
  }

  private void handOver(UpstreamConnection connection, UpstreamExchange exchange) {
    if (exchange.isDone()) {
      release(connection); // timed out or aborted while connecting: the connection serves the next call
    } else {
      exchange.connected(connection);
    }
  }

  void cancelWaiting(UpstreamExchange exchange) {
    waiting.remove(exchange);
  }

  /** A connection whose answer was read whole, to keep for the next call. */
  void release(UpstreamConnection connection) {
    if (closed || !connection.isActive()) {
      discard(connection);
      return;
    }
    UpstreamExchange next;
    while ((next = waiting.pollFirst()) != null) {
      if (!next.isDone()) {
        next.connected(connection);
        return;
      }
    }
    connection.idleSince(System.nanoTime());
    idle.addFirst(connection);
    loopPools.idled(1);
    if (sweep == null) {
      scheduleSweep(upstream.keepAliveNanos());
    }
  }

  /** A connection closed, or about to be: no longer counted, never handed out again. */
  void discard(UpstreamConnection connection) {
    if (!connection.markDiscarded()) {
      return;
    }
    if (idle.remove(connection)) {
      loopPools.idled(-1);
    }
    opened(-1);
    connection.close();
  }

  /** Opens connections for calls that waited for one, as far as the limit allows. */
  void serveWaiting() {
    while (open < upstream.maxConnections() && !waiting.isEmpty()) {
      UpstreamExchange next = waiting.pollFirst();
      if (!next.isDone()) {
        connect(next);
      }
    }
  }

  private void opened(int delta) {
    open += delta;
    loopPools.opened(delta);
  }

  private void scheduleSweep(long delayNanos) {
    sweep = loopPools.loop().schedule(this::sweepIdle, Math.max(delayNanos, 1), TimeUnit.NANOSECONDS);
  }

  /** Closes the connections idle for keep-alive or longer, the oldest being last in line. */
  private void sweepIdle() {
    sweep = null;
    long now = System.nanoTime();
    UpstreamConnection oldest;
    while ((oldest = idle.peekLast()) != null && now - oldest.idleSince() >= upstream.keepAliveNanos()) {
      discard(oldest);
    }
    if (oldest != null) {
      scheduleSweep(oldest.idleSince() + upstream.keepAliveNanos() - now);
    }
  }

  void close() {
    closed = true;
    for (UpstreamConnection connection : new ArrayList<>(idle)) {
      discard(connection);
    }
    if (sweep != null) {
      sweep.cancel(false);
      sweep = null;
    }
  }
}

package dev.lambdaproxy.eventloop;

import dev.lambdaproxy.pipeline.Pipeline;
import dev.lambdaproxy.pipeline.Upstream;
import dev.lambdaproxy.runtime.ProxyRuntime;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;

/**
 * The jar's event-loop engine: the pipeline served from Netty's event loops ({@link Transport}),
 * on a plain port (HTTP/1.1, h2c) and, with TLS, an HTTPS port (h2 and HTTP/1.1 by ALPN). Stopping
 * stops accepting, lets the requests in flight finish up to the drain time, then closes.
 */
public final class EventLoopServer implements AutoCloseable {

  /**
   * @param host the address both ports bind
   * @param port the plain port; 0 picks one
   * @param tlsPort the HTTPS port, used when {@code tls} is given
   * @param tls the server's TLS, with ALPN for h2 and http/1.1, or null
   * @param idleTimeout how long a silent client connection is kept
   * @param drain how long stopping waits for requests in flight
   */
  public record Options(String host, int port, int tlsPort, SslContext tls, Duration idleTimeout, Duration drain) {
    public Options {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(idleTimeout, "idleTimeout");
      Objects.requireNonNull(drain, "drain");
    }
  }

  private final Transport transport;
  private final Pipeline pipeline;
  private final FrontEnd frontEnd;
  private final Channel plain;
  private final Channel secure;
  private final Duration drain;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private boolean closed;

  private EventLoopServer(Transport transport, Pipeline pipeline, FrontEnd frontEnd, Channel plain, Channel secure, Duration drain) {
    this.transport = transport;
    this.pipeline = pipeline;
    this.frontEnd = frontEnd;
    this.plain = plain;
    this.secure = secure;
    this.drain = drain;
  }

  /**
   * Binds the ports and serves.
   *
   * @param transport the event loops, the caller's to stop (after the upstream that shares them)
   * @param upstream where the pipeline sends its calls
   * @throws Exception when a port cannot be bound
   */
  public static EventLoopServer start(ProxyRuntime runtime, Transport transport, Upstream upstream, Options options) throws Exception {
    Pipeline pipeline = new Pipeline(runtime, upstream);
    FrontEnd frontEnd = new FrontEnd(pipeline, options.idleTimeout().toMillis());
    Channel plain = null;
    try {
      plain = bind(transport, new ClientChannels(frontEnd, null), options.host(), options.port());
      Channel secure = options.tls() == null ? null
          : bind(transport, new ClientChannels(frontEnd, options.tls()), options.host(), options.tlsPort());
      return new EventLoopServer(transport, pipeline, frontEnd, plain, secure, options.drain());
    } catch (Exception | Error e) {
      if (plain != null) {
        plain.close().awaitUninterruptibly();
      }
      pipeline.close();
      throw e;
    }
  }

  private static Channel bind(Transport transport, ClientChannels clients, String host, int port) throws InterruptedException {
    return new ServerBootstrap()
        .group(transport.loops())
        .channel(transport.serverChannel())
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(clients)
        .bind(new InetSocketAddress(host, port))
        .sync()
        .channel();
  }

  public int port() {
    return ((InetSocketAddress) plain.localAddress()).getPort();
  }

  /** The HTTPS port, or -1 when TLS is off. */
  public int tlsPort() {
    return secure == null ? -1 : ((InetSocketAddress) secure.localAddress()).getPort();
  }

  public boolean isNativeTransport() {
    return transport.isNative();
  }

  /** Waits until the server has stopped. */
  public void join() throws InterruptedException {
    stopped.await();
  }

  /** Stops accepting, lets requests in flight finish up to the drain time, then closes every connection. */
  @Override
  public synchronized void close() throws InterruptedException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      plain.close().awaitUninterruptibly();
      if (secure != null) {
        secure.close().awaitUninterruptibly();
      }
      frontEnd.startDraining();
      for (Channel connection : frontEnd.connections()) {
        connection.eventLoop().execute(() -> {
          ClientExchangeHandler http1 = connection.pipeline().get(ClientExchangeHandler.class);
          if (http1 != null) {
            http1.drain();
          }
        });
      }
      if (!frontEnd.awaitNoneInFlight(drain.toMillis())) {
        frontEnd.log().warn("stopping with requests still in flight after the drain time of {} ms", drain.toMillis());
      }
      frontEnd.connections().close().awaitUninterruptibly(2_000);
    } finally {
      pipeline.close();
      stopped.countDown();
    }
  }
}

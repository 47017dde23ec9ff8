package dev.lambdaproxy.eventloop;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The event loops both legs of a request run on, and the channel types that go with them: native
 * epoll where its library loads (Linux x86_64), NIO elsewhere. The front end accepts on them and
 * the upstream opens its connections on the loop of the client's channel, so a request never
 * changes thread.
 */
public final class Transport implements AutoCloseable {

  private final EventLoopGroup loops;
  private final boolean epoll;

  private Transport(EventLoopGroup loops, boolean epoll) {
    this.loops = loops;
    this.epoll = epoll;
  }

  /**
   * @param threads how many event loops; 0 for one per core
   * @param name the threads' name prefix
   */
  public static Transport start(int threads, String name) {
    int loops = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    DefaultThreadFactory factory = new DefaultThreadFactory(name, true);
    if (Epoll.isAvailable()) {
      return new Transport(new MultiThreadIoEventLoopGroup(loops, factory, EpollIoHandler.newFactory()), true);
    }
    return new Transport(new MultiThreadIoEventLoopGroup(loops, factory, NioIoHandler.newFactory()), false);
  }

  public EventLoopGroup loops() {
    return loops;
  }

  public boolean isNative() {
    return epoll;
  }

  public Class<? extends ServerChannel> serverChannel() {
    return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  public Class<? extends Channel> channel() {
    return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  /** Stops the loops once what runs on them has finished, waiting at most {@code millis}. */
  public void close(long millis) {
    loops.shutdownGracefully(0, millis, TimeUnit.MILLISECONDS).awaitUninterruptibly(millis + 1_000);
  }

  @Override
  public void close() {
    close(2_000);
  }
}

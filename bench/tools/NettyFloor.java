import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.FastThreadLocal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * The event-loop engine's floor for bench/floor.sh: Netty 4.2 alone, none of lambda-proxy's code,
 * doing the least a Lambda proxy must (GET in, POST {@code {}} to the stand-in, its body back), the
 * way NETTY-NOTES.md measured it: native epoll where it loads, one event loop per core, the
 * upstream connection opened on and pooled per the client channel's event loop (both legs of a
 * request on one thread, no locks), aggregated codecs. What lambda-proxy's event-loop engine costs
 * beyond this row is its own code. Run from the jar's classpath:
 * {@code java -cp server/target/lambda-proxy.jar bench/tools/NettyFloor.java PORT STANDIN_URL}.
 */
public class NettyFloor {

  static final byte[] EMPTY_OBJECT = "{}".getBytes(StandardCharsets.US_ASCII);

  /** Idle upstream connections of this event loop: touched only by its own thread. */
  static final FastThreadLocal<ArrayDeque<Channel>> IDLE = new FastThreadLocal<>() {
    @Override
    protected ArrayDeque<Channel> initialValue() {
      return new ArrayDeque<>();
    }
  };

  static String upstreamHost;
  static int upstreamPort;
  static String upstreamPath;

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    URI standin = URI.create(args[1]);
    upstreamHost = standin.getHost();
    upstreamPort = standin.getPort();
    upstreamPath = standin.getRawPath();
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    MultiThreadIoEventLoopGroup loops = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(), io);
    ServerBootstrap server = new ServerBootstrap()
        .group(loops)
        .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel channel) {
            channel.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new ClientLeg());
          }
        });
    server.bind("127.0.0.1", port).sync();
    System.out.println("netty floor on 127.0.0.1:" + port + " (" + (epoll ? "epoll" : "nio") + "), upstream " + standin);
  }

  /** The client's connection: each request borrows an upstream connection of the same loop. */
  static final class ClientLeg extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest clientRequest) {
      boolean keepAlive = HttpUtil.isKeepAlive(clientRequest);
      Channel client = ctx.channel();
      FullHttpRequest proxyRequest = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, upstreamPath,
          Unpooled.wrappedBuffer(EMPTY_OBJECT));
      proxyRequest.headers().set(HttpHeaderNames.HOST, upstreamHost + ":" + upstreamPort)
          .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
          .setInt(HttpHeaderNames.CONTENT_LENGTH, EMPTY_OBJECT.length);
      ArrayDeque<Channel> idle = IDLE.get();
      Channel pooled;
      while ((pooled = idle.pollLast()) != null && !pooled.isActive()) {
        // closed while idle: dropped
      }
      if (pooled != null) {
        send(pooled, proxyRequest, client, keepAlive);
        return;
      }
      EventLoop loop = client.eventLoop();
      new Bootstrap().group(loop)
          .channel(client instanceof io.netty.channel.epoll.EpollSocketChannel ? EpollSocketChannel.class : NioSocketChannel.class)
          .option(ChannelOption.TCP_NODELAY, true)
          .handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
              channel.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20), new ServerLeg());
            }
          })
          .connect(upstreamHost, upstreamPort)
          .addListener((ChannelFuture connected) -> {
            if (connected.isSuccess()) {
              send(connected.channel(), proxyRequest, client, keepAlive);
            } else {
              proxyRequest.release();
              answer(client, new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_GATEWAY), false);
            }
          });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  static void send(Channel upstream, FullHttpRequest proxyRequest, Channel client, boolean keepAlive) {
    ServerLeg leg = upstream.pipeline().get(ServerLeg.class);
    leg.client = client;
    leg.keepAlive = keepAlive;
    upstream.writeAndFlush(proxyRequest);
  }

  static void answer(Channel client, FullHttpResponse response, boolean keepAlive) {
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
    if (!keepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      client.writeAndFlush(response).addListener(f -> client.close());
    } else {
      client.writeAndFlush(response);
    }
  }

  /** The upstream connection: its answer goes to the client that borrowed it, and it goes back to the loop's pool. */
  static final class ServerLeg extends SimpleChannelInboundHandler<FullHttpResponse> {
    Channel client;
    boolean keepAlive;

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse serverResponse) {
      Channel borrower = client;
      client = null;
      ByteBuf body = serverResponse.content().retain();
      FullHttpResponse clientResponse = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, serverResponse.status(), body);
      clientResponse.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
      if (HttpUtil.isKeepAlive(serverResponse)) {
        IDLE.get().addLast(ctx.channel());
      } else {
        ctx.close();
      }
      if (borrower != null) {
        answer(borrower, clientResponse, keepAlive);
      } else {
        clientResponse.release();
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      IDLE.get().remove(ctx.channel());
      Channel borrower = client;
      client = null;
      if (borrower != null) {
        answer(borrower, new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_GATEWAY), false);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}

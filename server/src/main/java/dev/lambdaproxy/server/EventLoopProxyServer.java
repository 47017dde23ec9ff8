package dev.lambdaproxy.server;

import dev.lambdaproxy.config.ServerOptions;
import dev.lambdaproxy.eventloop.EventLoopServer;
import dev.lambdaproxy.runtime.ProxyRuntime;
import dev.lambdaproxy.eventloop.NettyUpstream;
import dev.lambdaproxy.eventloop.Transport;
import dev.lambdaproxy.servlet.LambdaProxyServlet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;

/**
 * The event-loop engine as the jar runs it: {@link EventLoopServer} on the proxy ports and
 * {@link NettyUpstream} on the same event loops, so both legs of a request run on one thread; the
 * admin port beside them.
 */
final class EventLoopProxyServer extends ProxyServerBase {

  private static final Logger LOG = LoggerFactory.getLogger(EventLoopProxyServer.class);

  private final EventLoopServer server;
  private final Transport transport;
  private final NettyUpstream upstream;

  private EventLoopProxyServer(EventLoopServer server, Transport transport, NettyUpstream upstream, AdminPort admin,
      ProxyRuntime runtime, String host) {
    super(admin, runtime, host);
    this.server = server;
    this.transport = transport;
    this.upstream = upstream;
  }

  static EventLoopProxyServer start(ProxyRuntime runtime, ServerOptions options, AdminPort.Starter admin) throws Exception {
    SslContext tls = options.tls() == null ? null : sslContext(options.tls());
    var settings = runtime.live().current().settings();
    if (!settings.sslVerify()) {
      LOG.warn("ssl-verify is false: TLS certificates are not checked for {}; anyone on the network path can read and change"
          + " these calls (and those of https routes added later)", LambdaProxyServlet.httpsRoutes(runtime.live().current()));
    }
    Transport transport = Transport.start(0, "lambda-proxy-loop");
    NettyUpstream upstream = new NettyUpstream(transport, settings, runtime.telemetry());
    EventLoopServer server;
    try {
      server = EventLoopServer.start(runtime, transport, upstream, new EventLoopServer.Options(options.host(), options.port(),
          options.tls() == null ? -1 : options.tls().port(), tls, settings.idleTimeout(), options.drain()));
    } catch (Exception | Error e) {
      upstream.close();
      transport.close();
      throw e;
    }
    AdminPort adminPort;
    try {
      adminPort = admin.start();
    } catch (Exception e) {
      server.close();
      upstream.close();
      transport.close();
      throw e;
    }
    return new EventLoopProxyServer(server, transport, upstream, adminPort, runtime, options.host());
  }

  /** The JDK's TLS with ALPN offering h2 then http/1.1, and h2's cipher suites (RFC 9113 section 9.2.2). */
  private static SslContext sslContext(ServerOptions.Tls tls) throws Exception {
    return SslContextBuilder.forServer(TlsKeys.keyManagers(tls))
        .sslProvider(SslProvider.JDK)
        .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
        .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
            ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
        .build();
  }

  @Override
  public int port() {
    return server.port();
  }

  @Override
  public String engine() {
    // Whether the native transport loaded: NIO works everywhere, but costs more per request.
    return "eventloop (" + (server.isNativeTransport() ? "epoll" : "nio") + ")";
  }

  @Override
  public int tlsPort() {
    return server.tlsPort();
  }

  @Override
  public void join() throws InterruptedException {
    server.join();
  }

  @Override
  public void close() throws Exception {
    try {
      server.close();
    } finally {
      try {
        upstream.close();
        transport.close();
      } finally {
        if (admin != null) {
          admin.close();
        }
        runtime.cache().close();
      }
    }
  }
}

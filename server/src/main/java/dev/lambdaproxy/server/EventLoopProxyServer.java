package dev.lambdaproxy.server;

import dev.lambdaproxy.config.ServerOptions;
import dev.lambdaproxy.eventloop.EventLoopServer;
import dev.lambdaproxy.runtime.LiveConfig;
import dev.lambdaproxy.runtime.ProxyRuntime;
import dev.lambdaproxy.servlet.JettyUpstream;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.net.URI;

/**
 * The event-loop engine as the jar runs it: {@link EventLoopServer} on the proxy ports, the admin
 * port beside it. Until the Netty upstream lands, calls go out through a Jetty client of its own.
 */
final class EventLoopProxyServer implements LambdaProxyServer {

  private final EventLoopServer server;
  private final JettyUpstream.Standalone upstream;
  private final AdminPort admin;
  private final ProxyRuntime runtime;
  private final String host;

  private EventLoopProxyServer(EventLoopServer server, JettyUpstream.Standalone upstream, AdminPort admin, ProxyRuntime runtime,
      String host) {
    this.server = server;
    this.upstream = upstream;
    this.admin = admin;
    this.runtime = runtime;
    this.host = host;
  }

  static EventLoopProxyServer start(ProxyRuntime runtime, ServerOptions options, AdminPort.Starter admin) throws Exception {
    SslContext tls = options.tls() == null ? null : sslContext(options.tls());
    var settings = runtime.live().current().settings();
    JettyUpstream.Standalone upstream = JettyUpstream.standalone(settings, runtime.telemetry());
    EventLoopServer server;
    try {
      server = EventLoopServer.start(runtime, upstream, new EventLoopServer.Options(options.host(), options.port(),
          options.tls() == null ? -1 : options.tls().port(), tls, settings.idleTimeout(), options.drain()));
    } catch (Exception | Error e) {
      upstream.close();
      throw e;
    }
    AdminPort adminPort;
    try {
      adminPort = admin.start();
    } catch (Exception e) {
      server.close();
      upstream.close();
      throw e;
    }
    return new EventLoopProxyServer(server, upstream, adminPort, runtime, options.host());
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
  public int tlsPort() {
    return server.tlsPort();
  }

  @Override
  public int adminPort() {
    return admin == null ? -1 : admin.port();
  }

  @Override
  public URI uri() {
    return URI.create("http://" + AdminPort.reachable(host) + ":" + port());
  }

  @Override
  public URI adminUri() {
    return admin == null ? null : admin.uri();
  }

  @Override
  public LiveConfig live() {
    return runtime.live();
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
      } finally {
        if (admin != null) {
          admin.close();
        }
        runtime.cache().close();
      }
    }
  }
}

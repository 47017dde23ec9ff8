package dev.lambdaproxy.server;

import dev.lambdaproxy.config.ServerOptions;
import dev.lambdaproxy.servlet.LambdaProxyInitializer;
import dev.lambdaproxy.runtime.LiveConfig;
import dev.lambdaproxy.runtime.ProxyRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Base64;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The servlet engine: the proxy on an embedded Jetty. A plain port speaks HTTP/1.1 and h2c (prior
 * knowledge and upgrade); with TLS, a second port speaks h2 and HTTP/1.1 chosen by ALPN.
 */
final class ServletServer extends ProxyServerBase {

  private final Server server;
  private final ServerConnector plain;
  private final ServerConnector tls;

  private ServletServer(Server server, ServerConnector plain, ServerConnector tls, AdminPort admin, ProxyRuntime runtime) {
    super(admin, runtime, plain.getHost());
    this.server = server;
    this.plain = plain;
    this.tls = tls;
  }

  /**
   * Starts serving.
   *
   * @throws Exception when Jetty cannot start, e.g. a port is taken or the keystore cannot be read
   */
  static ServletServer start(ProxyRuntime runtime, ServerOptions options, AdminPort.Starter admin) throws Exception {
    LiveConfig live = runtime.live();
    QueuedThreadPool threads = new QueuedThreadPool(200, 8);
    threads.setName("lambda-proxy");
    // Reserved threads are parked and woken over and over under a steady load of short requests
    // (the profile showed it): on two cores, handing work to the queue costs less.
    threads.setReservedThreads(0);
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    // Room for a function's whole header block (ClientAnswer.MAX_FUNCTION_HEADER_BYTES) and the proxy's own headers besides.
    http.setResponseHeaderSize(2 * dev.lambdaproxy.http.ClientAnswer.MAX_FUNCTION_HEADER_BYTES);
    ServerConnector plain = new ServerConnector(server, new StrayUpgradeIgnoringHttpFactory(http),
        new HTTP2CServerConnectionFactory(http));
    plain.setName("plain");
    plain.setHost(options.host());
    plain.setPort(options.port());
    long idleTimeout = live.current().settings().idleTimeout().toMillis();
    plain.setIdleTimeout(idleTimeout);
    server.addConnector(plain);
    ServerConnector tls = null;
    if (options.tls() != null) {
      tls = tlsConnector(server, http, options);
      tls.setIdleTimeout(idleTimeout);
      server.addConnector(tls);
    }

    ServletContextHandler context = new ServletContextHandler("/");
    // The same wiring as the WAR's web.xml, handed what this process made.
    context.setAttribute(LambdaProxyInitializer.RUNTIME_ATTRIBUTE, runtime);
    context.addEventListener(new LambdaProxyInitializer());
    // Stopping waits for requests in flight, up to the drain time, after the ports stop accepting.
    GracefulHandler graceful = new GracefulHandler(context);
    server.setHandler(new PathTargetsOnly(graceful));
    server.setErrorHandler(new JsonErrorHandler());
    server.setStopTimeout(options.drain().toMillis());
    server.setStopAtShutdown(false); // Main stops it on SIGTERM, then exits 0
    server.start();
    if (context.isFailed() || !context.isAvailable()) {
      server.stop();
      throw new IllegalStateException("the proxy did not start; see the log above");
    }

    AdminPort adminPort;
    try {
      adminPort = admin.start();
    } catch (Exception e) {
      server.stop();
      throw e;
    }
    return new ServletServer(server, plain, tls, adminPort, runtime);
  }

  private static ServerConnector tlsConnector(Server server, HttpConfiguration http, ServerOptions options) throws IOException {
    ServerOptions.Tls tls = options.tls();
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    if (tls.keystore() != null) {
      if (!Files.isReadable(tls.keystore())) {
        throw new IllegalArgumentException("--tls-keystore " + tls.keystore() + " cannot be read");
      }
      ssl.setKeyStorePath(tls.keystore().toString());
      if (tls.password() != null) {
        ssl.setKeyStorePassword(tls.password());
      }
    } else {
      // The PEM files become an in-memory keystore, locked with a password nobody needs to know.
      char[] password = Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(18)).toCharArray();
      KeyStore store = PemKeyStore.load(tls.certificate(), tls.privateKey(), password);
      ssl.setKeyStore(store);
      ssl.setKeyStorePassword(new String(password));
    }
    HttpConfiguration https = new HttpConfiguration(http);
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    // The certificate names the service, not necessarily the address tests and operators use.
    secure.setSniHostCheck(false);
    https.addCustomizer(secure);
    HttpConnectionFactory http1 = new StrayUpgradeIgnoringHttpFactory(https);
    HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(https);
    ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
    alpn.setDefaultProtocol(http1.getProtocol());
    ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, alpn.getProtocol()), alpn, h2, http1);
    connector.setName("tls");
    connector.setHost(options.host());
    connector.setPort(tls.port());
    return connector;
  }

  @Override
  public int port() {
    return plain.getLocalPort();
  }

  @Override
  public String engine() {
    return "servlet";
  }

  @Override
  public int tlsPort() {
    return tls == null ? -1 : tls.getLocalPort();
  }

  @Override
  public void join() throws InterruptedException {
    server.join();
  }

  @Override
  public void close() throws Exception {
    try {
      server.stop();
    } finally {
      if (admin != null) {
        admin.close();
      }
      runtime.cache().close();
    }
  }
}

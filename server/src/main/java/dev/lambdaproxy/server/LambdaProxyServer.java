package dev.lambdaproxy.server;

import dev.lambdaproxy.config.ServerOptions;
import dev.lambdaproxy.servlet.LambdaProxyInitializer;
import dev.lambdaproxy.runtime.LiveConfig;
import dev.lambdaproxy.runtime.ProxyRuntime;
import dev.lambdaproxy.runtime.Telemetry;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy on an embedded Jetty: what {@code java -jar lambda-proxy.jar} runs, and what tests
 * start. A plain port speaks HTTP/1.1 and h2c (prior knowledge and upgrade); with TLS, a second
 * port speaks h2 and HTTP/1.1 chosen by ALPN; an admin port, loopback by default, serves health,
 * readiness, metrics, the route table and reload.
 */
public final class LambdaProxyServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LambdaProxyServer.class);

  private final Server server;
  private final ServerConnector plain;
  private final ServerConnector tls;
  private final Server admin;
  private final ServerConnector adminConnector;
  private final ProxyRuntime runtime;

  private LambdaProxyServer(Server server, ServerConnector plain, ServerConnector tls, Server admin,
      ServerConnector adminConnector, ProxyRuntime runtime) {
    this.server = server;
    this.plain = plain;
    this.tls = tls;
    this.admin = admin;
    this.adminConnector = adminConnector;
    this.runtime = runtime;
  }

  /**
   * Starts serving.
   *
   * @param live the configuration, reloadable
   * @param options ports, TLS, admin, logs, drain
   * @throws Exception when Jetty cannot start, e.g. a port is taken or the keystore cannot be read
   */
  public static LambdaProxyServer start(LiveConfig live, ServerOptions options) throws Exception {
    Objects.requireNonNull(live, "live");
    Objects.requireNonNull(options, "options");
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    Telemetry telemetry = new Telemetry(registry, options.accessLog());
    ProxyRuntime runtime = ProxyRuntime.of(live, telemetry);

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

    Server admin = null;
    ServerConnector adminConnector = null;
    if (options.adminPort() >= 0) {
      QueuedThreadPool adminThreads = new QueuedThreadPool(8, 1);
      adminThreads.setName("lambda-proxy-admin");
      admin = new Server(adminThreads);
      adminConnector = new ServerConnector(admin, 1, 1, new StrayUpgradeIgnoringHttpFactory(http));
      adminConnector.setHost(options.adminHost());
      adminConnector.setPort(options.adminPort());
      admin.addConnector(adminConnector);
      admin.setHandler(new PathTargetsOnly(new AdminHandler(live, registry, runtime.cache())));
      admin.setErrorHandler(new JsonErrorHandler());
      try {
        admin.start();
      } catch (Exception e) {
        server.stop();
        throw e;
      }
    }

    return new LambdaProxyServer(server, plain, tls, admin, adminConnector, runtime);
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

  public int port() {
    return plain.getLocalPort();
  }

  /** The HTTPS port, or -1 when TLS is off. */
  public int tlsPort() {
    return tls == null ? -1 : tls.getLocalPort();
  }

  /** The admin port, or -1 when it is off. */
  public int adminPort() {
    return adminConnector == null ? -1 : adminConnector.getLocalPort();
  }

  /** {@code http://host:port}, with the loopback address when bound to all interfaces. */
  public URI uri() {
    return URI.create("http://" + reachable(plain.getHost()) + ":" + port());
  }

  public URI adminUri() {
    return adminConnector == null ? null : URI.create("http://" + reachable(adminConnector.getHost()) + ":" + adminPort());
  }

  private static String reachable(String host) {
    String name = host == null || host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    return name.contains(":") ? "[" + name + "]" : name;
  }

  public LiveConfig live() {
    return runtime.live();
  }

  public void join() throws InterruptedException {
    server.join();
  }

  /** Stops accepting, lets requests in flight finish up to the drain time, then stops. */
  @Override
  public void close() throws Exception {
    try {
      server.stop();
    } finally {
      if (admin != null) {
        admin.stop();
      }
      runtime.cache().close();
    }
  }
}

package dev.lambdaproxy.server;

import dev.lambdaproxy.servlet.LambdaProxyInitializer;
import dev.lambdaproxy.servlet.ProxyConfig;
import java.net.URI;
import java.util.Objects;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** The proxy on an embedded Jetty: what {@code java -jar lambda-proxy.jar} runs, and what tests start. */
public final class LambdaProxyServer implements AutoCloseable {

  private final Server server;
  private final ServerConnector connector;

  private LambdaProxyServer(Server server, ServerConnector connector) {
    this.server = server;
    this.connector = connector;
  }

  /**
   * Starts serving {@code config} on {@code host:port} (port 0 picks a free one).
   *
   * @throws Exception when Jetty cannot start, e.g. the port is taken
   */
  public static LambdaProxyServer start(ProxyConfig config, String host, int port) throws Exception {
    Objects.requireNonNull(config, "config");
    QueuedThreadPool threads = new QueuedThreadPool(200, 8);
    threads.setName("lambda-proxy");
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);

    ServletContextHandler context = new ServletContextHandler("/");
    // The same wiring as the WAR's web.xml, handed the configuration Main already loaded.
    context.setAttribute(LambdaProxyInitializer.CONFIG_ATTRIBUTE, config);
    context.addEventListener(new LambdaProxyInitializer());
    server.setHandler(context);
    server.setStopAtShutdown(true);
    server.setStopTimeout(5_000);
    server.start();
    if (context.isFailed() || !context.isAvailable()) {
      server.stop();
      throw new IllegalStateException("the proxy did not start; see the log above");
    }
    return new LambdaProxyServer(server, connector);
  }

  public int port() {
    return connector.getLocalPort();
  }

  /** {@code http://host:port}, with the loopback address when bound to all interfaces. */
  public URI uri() {
    String host = connector.getHost() == null || connector.getHost().equals("0.0.0.0") ? "127.0.0.1" : connector.getHost();
    return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port());
  }

  public void join() throws InterruptedException {
    server.join();
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}

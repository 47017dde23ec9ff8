package dev.lambdaproxy.server;

import dev.lambdaproxy.cache.ResponseCache;
import dev.lambdaproxy.config.ServerOptions;
import dev.lambdaproxy.runtime.LiveConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** The admin port on a small Jetty of its own, whichever engine serves the proxy ports: it is off the hot path. */
final class AdminPort implements AutoCloseable {

  /** Starts the admin port once the proxy ports are up; returns null when it is off. */
  interface Starter {
    AdminPort start() throws Exception;
  }

  private final Server server;
  private final ServerConnector connector;

  private AdminPort(Server server, ServerConnector connector) {
    this.server = server;
    this.connector = connector;
  }

  static AdminPort start(ServerOptions options, LiveConfig live, PrometheusMeterRegistry registry, ResponseCache cache)
      throws Exception {
    if (options.adminPort() < 0) {
      return null;
    }
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    QueuedThreadPool threads = new QueuedThreadPool(8, 1);
    threads.setName("lambda-proxy-admin");
    Server server = new Server(threads);
    ServerConnector connector = new ServerConnector(server, 1, 1, new StrayUpgradeIgnoringHttpFactory(http));
    connector.setHost(options.adminHost());
    connector.setPort(options.adminPort());
    server.addConnector(connector);
    server.setHandler(new PathTargetsOnly(new AdminHandler(live, registry, cache)));
    server.setErrorHandler(new JsonErrorHandler());
    server.start();
    return new AdminPort(server, connector);
  }

  int port() {
    return connector.getLocalPort();
  }

  URI uri() {
    return URI.create("http://" + reachable(connector.getHost()) + ":" + port());
  }

  /** The host to call a port bound to {@code host} by: loopback for every interface, IPv6 in brackets. */
  static String reachable(String host) {
    String name = host == null || host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    return name.contains(":") ? "[" + name + "]" : name;
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}

package dev.lambdaproxy.server;

import dev.lambdaproxy.config.ServerOptions;
import dev.lambdaproxy.runtime.LiveConfig;
import dev.lambdaproxy.runtime.ProxyRuntime;
import dev.lambdaproxy.runtime.Telemetry;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.util.Objects;

/**
 * The proxy as {@code java -jar lambda-proxy.jar} runs it, and as tests start it: a plain port
 * (HTTP/1.1 and h2c), with TLS an HTTPS port (h2 and HTTP/1.1 by ALPN), and an admin port, loopback
 * by default, serving health, readiness, metrics, the route table and reload. Either engine
 * ({@link ServerOptions#engine()}) serves the proxy ports; both share one runtime, so the admin
 * port's metrics count the requests of either.
 */
public interface LambdaProxyServer extends AutoCloseable {

  /** The plain port. */
  int port();

  /** What serves the ports, for the start line: {@code eventloop (epoll)}, {@code eventloop (nio)}, {@code servlet}. */
  String engine();

  /** The HTTPS port, or -1 when TLS is off. */
  int tlsPort();

  /** The admin port, or -1 when it is off. */
  int adminPort();

  /** {@code http://host:port}, with the loopback address when bound to all interfaces. */
  URI uri();

  /** The admin port's address, or null when it is off. */
  URI adminUri();

  LiveConfig live();

  /** Waits until the server has stopped. */
  void join() throws InterruptedException;

  /** Stops accepting, lets requests in flight finish up to the drain time, then stops. */
  @Override
  void close() throws Exception;

  /**
   * Starts serving with the engine the options name.
   *
   * @param live the configuration, reloadable
   * @param options ports, TLS, admin, logs, drain, engine
   * @throws Exception when the server cannot start, e.g. a port is taken or the keystore cannot be read
   */
  static LambdaProxyServer start(LiveConfig live, ServerOptions options) throws Exception {
    Objects.requireNonNull(live, "live");
    Objects.requireNonNull(options, "options");
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    Telemetry telemetry = new Telemetry(registry, options.accessLog());
    ProxyRuntime runtime = ProxyRuntime.of(live, telemetry);
    AdminPort.Starter admin = () -> AdminPort.start(options, live, registry, runtime.cache());
    return switch (options.engine()) {
      case SERVLET -> ServletServer.start(runtime, options, admin);
      case EVENTLOOP -> EventLoopProxyServer.start(runtime, options, admin);
    };
  }
}

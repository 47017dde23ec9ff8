package dev.lambdaproxy.server;

import dev.lambdaproxy.runtime.LiveConfig;
import dev.lambdaproxy.runtime.ProxyRuntime;
import java.net.URI;

/** What both engines' servers answer alike: the admin port, the configuration, the address to call. */
abstract class ProxyServerBase implements LambdaProxyServer {

  final AdminPort admin;
  final ProxyRuntime runtime;
  private final String host;

  /**
   * @param admin the admin port, or null when it is off
   * @param host the address the proxy ports are bound to
   */
  ProxyServerBase(AdminPort admin, ProxyRuntime runtime, String host) {
    this.admin = admin;
    this.runtime = runtime;
    this.host = host;
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
}

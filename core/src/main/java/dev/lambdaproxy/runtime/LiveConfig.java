package dev.lambdaproxy.runtime;

import dev.lambdaproxy.config.ConfigException;
import dev.lambdaproxy.config.Settings;
import dev.lambdaproxy.route.RouteTable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configuration in force, swapped whole when a valid change is loaded. A request reads it
 * once, when it is routed, and keeps what it read: in-flight requests finish on the table they
 * started with, and a bad file, or one with no routes, leaves the old table in force.
 */
public final class LiveConfig {

  private static final Logger LOG = LoggerFactory.getLogger(LiveConfig.class);

  /** What a reload did. */
  public record ReloadResult(boolean ok, int routes, String error, List<String> waitingForRestart) {}

  private final AtomicReference<ProxyConfig> current;
  private final Supplier<ProxyConfig> loader;

  /**
   * @param initial the configuration loaded at start
   * @param loader loads the configuration anew from the same sources; throws {@link ConfigException} on a bad file
   */
  public LiveConfig(ProxyConfig initial, Supplier<ProxyConfig> loader) {
    this.current = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
    this.loader = Objects.requireNonNull(loader, "loader");
  }

  /** A configuration that never changes. */
  public static LiveConfig fixed(ProxyConfig config) {
    return new LiveConfig(config, () -> config);
  }

  public ProxyConfig current() {
    return current.get();
  }

  /** Loads the configuration again and swaps it in if it is valid and has routes; one reload at a time. */
  public synchronized ReloadResult reload() {
    ProxyConfig next;
    try {
      next = loader.get();
    } catch (ConfigException | UncheckedIOException e) {
      String error = e instanceof UncheckedIOException io ? io.getMessage() + ": " + io.getCause().getMessage() : e.getMessage();
      LOG.warn("configuration not reloaded, the old one stays in force: {}", error);
      return new ReloadResult(false, current.get().routes().size(), error, List.of());
    }
    if (next.routes().size() == 0) {
      // Editors and config tools empty the file for a moment before writing it: that is no order to drop every route.
      String error = RouteTable.FILE_NAME + " in " + next.source() + " has no routes; to serve none, restart with it empty";
      LOG.warn("configuration not reloaded, the old one stays in force: {}", error);
      return new ReloadResult(false, current.get().routes().size(), error, List.of());
    }
    ProxyConfig previous = current.getAndSet(next);
    List<String> waiting = restartOnlyChanges(previous, next);
    LOG.info("configuration reloaded: {} routes from {}", next.routes().size(), next.source());
    if (!waiting.isEmpty()) {
      LOG.warn("changed settings that take effect only on restart: {}", waiting);
    }
    return new ReloadResult(true, next.routes().size(), null, waiting);
  }

  /** The settings the HTTP client and the credentials were built from once, at start. */
  static List<String> restartOnlyChanges(Settings before, Settings after) {
    List<String> changed = new ArrayList<>();
    if (before.sslVerify() != after.sslVerify()) {
      changed.add("ssl-verify");
    }
    if (before.maxConnections() != after.maxConnections()) {
      changed.add("max-connections");
    }
    if (!before.keepAlive().equals(after.keepAlive())) {
      changed.add("keepalive-ms");
    }
    if (!before.aws().equals(after.aws())) {
      changed.add("profile/role-arn/external-id/role-session-name");
    }
    if (!before.idleTimeout().equals(after.idleTimeout())) {
      changed.add("idle-timeout-ms");
    }
    assert Settings.RESTART_ONLY.size() == 10 : "a restart-only setting is not compared here";
    return changed;
  }

  /** The same for the cache, sized once at start. */
  static List<String> restartOnlyChanges(ProxyConfig before, ProxyConfig after) {
    List<String> changed = restartOnlyChanges(before.settings(), after.settings());
    if (!before.cacheLimits().equals(after.cacheLimits())) {
      changed.add("cache-max-bytes/cache-max-entry-bytes");
    }
    return changed;
  }
}

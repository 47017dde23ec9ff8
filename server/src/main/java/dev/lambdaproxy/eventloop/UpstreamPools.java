package dev.lambdaproxy.eventloop;

import io.netty.channel.EventLoop;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One event loop's pools, one per endpoint. Touched only on its loop, but for the two counts the
 * gauges read at scrape time (written by the loop alone, so volatile is enough).
 */
final class UpstreamPools {

  /** Where a call's connection goes: a pool per scheme, host and port. */
  record Origin(boolean tls, String host, int port) {

    static Origin of(URI uri) {
      String scheme = uri.getScheme() == null ? "http" : uri.getScheme().toLowerCase(Locale.ROOT);
      boolean tls = scheme.equals("https");
      int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
      return new Origin(tls, uri.getHost(), port);
    }
  }

  private final EventLoop loop;
  private final NettyUpstream upstream;
  private final Map<Origin, UpstreamPool> pools = new HashMap<>();
  private volatile int open;
  private volatile int idle;

  UpstreamPools(EventLoop loop, NettyUpstream upstream) {
    this.loop = loop;
    this.upstream = upstream;
  }

  EventLoop loop() {
    return loop;
  }

  UpstreamPool pool(Origin origin) {
    UpstreamPool pool = pools.get(origin);
    if (pool == null) {
      pool = new UpstreamPool(this, upstream, origin);
      pools.put(origin, pool);
    }
    return pool;
  }

  int activeCount() {
    return Math.max(0, open - idle);
  }

  int idleCount() {
    return idle;
  }

  void opened(int delta) {
    open += delta;
  }

  void idled(int delta) {
    idle += delta;
  }

  void close() {
    for (UpstreamPool pool : new ArrayList<>(pools.values())) {
      pool.close();
    }
  }
}

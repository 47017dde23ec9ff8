package dev.lambdaproxy.runtime;

import dev.lambdaproxy.frontdoor.Trace;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the proxy tells operators about each request: metrics (requests by route and status,
 * upstream latency, errors by kind, payload bytes, in-flight) and, when on, one log line.
 *
 * <p>Meters are looked up once per (route, status) and kept, so a request costs a map lookup and
 * a few atomic adds, not a registry search.
 */
public final class Telemetry {

  /** The logger of the one-line-per-request log. */
  public static final String ACCESS_LOGGER = "lambda-proxy.access";

  private static final Logger ACCESS = LoggerFactory.getLogger(ACCESS_LOGGER);

  private final MeterRegistry registry;
  private final boolean accessLog;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Map<String, Counter> requests = new ConcurrentHashMap<>();
  private final Map<String, Timer> upstream = new ConcurrentHashMap<>();
  private final Map<String, Counter> errors = new ConcurrentHashMap<>();
  private final Map<String, Counter> frontDoor = new ConcurrentHashMap<>();
  private final DistributionSummary bytesIn;
  private final DistributionSummary bytesOut;

  public Telemetry(MeterRegistry registry, boolean accessLog) {
    this.registry = registry;
    this.accessLog = accessLog;
    Gauge.builder("lambda_proxy_in_flight_requests", inFlight, AtomicInteger::get)
        .description("client requests being answered").register(registry);
    bytesIn = DistributionSummary.builder("lambda_proxy_payload_bytes").baseUnit("bytes").tag("direction", "in")
        .description("body bytes of client requests and of the answers sent to them").register(registry);
    bytesOut = DistributionSummary.builder("lambda_proxy_payload_bytes").baseUnit("bytes").tag("direction", "out")
        .description("body bytes of client requests and of the answers sent to them").register(registry);
  }

  /** No metrics kept and no request log: for a WAR whose container has its own. */
  public static Telemetry disabled() {
    return new Telemetry(new CompositeMeterRegistry(), false);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /**
   * The upstream pool's gauges, read at scrape time: {@code lambda_proxy_upstream_connections} by
   * {@code state} (active, idle), the same names whichever engine's pool it is.
   */
  public <T> void upstreamConnections(T pool, ToDoubleFunction<T> active, ToDoubleFunction<T> idle) {
    Gauge.builder("lambda_proxy_upstream_connections", pool, active).description("pooled connections to the endpoints")
        .tag("state", "active").register(registry);
    Gauge.builder("lambda_proxy_upstream_connections", pool, idle).description("pooled connections to the endpoints")
        .tag("state", "idle").register(registry);
  }

  public void started() {
    inFlight.incrementAndGet();
  }

  /**
   * One decision of the front door about a request: {@code allowed} (every check that applied let
   * it in), {@code preflight}, or the kind of its refusal ({@code no_api_key}, {@code route_throttled}...).
   * Tagged by route and decision only: never a key, a token or a client.
   */
  public void frontDoor(String route, String decision) {
    frontDoor.computeIfAbsent(route + ' ' + decision, k -> Counter.builder("lambda_proxy_front_door")
        .description("the front door's decisions: requests let in, preflights answered, requests refused by kind")
        .tag("route", route).tag("decision", decision).register(registry)).increment();
  }

  /**
   * A request is answered.
   *
   * @param route the route pattern, or {@code none} when no route matched
   * @param errorKind what the proxy refused or failed with, or null when the target answered
   * @param upstreamNanos time spent waiting on the function, or -1 when it was not called
   * @param trace the request's X-Ray trace, logged by its root ({@code 1-...}); null when tracing is off
   */
  public void finished(String method, String path, String client, String route, String target, int status, String errorKind,
      long totalNanos, long upstreamNanos, long bytesReceived, long bytesSent, String lambdaRequestId, Trace trace) {
    inFlight.decrementAndGet();
    requests.computeIfAbsent(route + ' ' + status, k -> Counter.builder("lambda_proxy_requests")
        .description("answered client requests").tag("route", route).tag("status", Integer.toString(status))
        .register(registry)).increment();
    if (errorKind != null) {
      errors.computeIfAbsent(errorKind, kind -> Counter.builder("lambda_proxy_errors")
          .description("requests the proxy refused or could not get answered, by kind").tag("kind", kind)
          .register(registry)).increment();
    }
    if (upstreamNanos >= 0) {
      upstream.computeIfAbsent(route, r -> Timer.builder("lambda_proxy_upstream_duration")
          .description("time from sending the call to the function's full answer").tag("route", r)
          .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(1))
          .register(registry)).record(Duration.ofNanos(upstreamNanos));
    }
    if (bytesReceived > 0) {
      bytesIn.record(bytesReceived);
    }
    if (bytesSent > 0) {
      bytesOut.record(bytesSent);
    }
    if (accessLog && ACCESS.isInfoEnabled()) {
      long millis = totalNanos / 1_000_000;
      String requestId = lambdaRequestId == null ? "-" : lambdaRequestId;
      String traceRoot = trace == null ? "-" : trace.root();
      // error= says what the proxy answered or cut the connection for, so a status never stands alone for a cut.
      ACCESS.atInfo()
          .addKeyValue("client", client).addKeyValue("method", method).addKeyValue("path", path)
          .addKeyValue("route", route).addKeyValue("function", target).addKeyValue("status", status)
          .addKeyValue("latencyMs", millis).addKeyValue("lambdaRequestId", requestId).addKeyValue("error", errorKind == null ? "-" : errorKind)
          .addKeyValue("trace", traceRoot)
          .log("{} {} {} route={} function={} status={} {}ms lambdaRequestId={} error={} trace={}",
              client, method, path, route, target, status, millis, requestId, errorKind == null ? "-" : errorKind, traceRoot);
    }
  }
}

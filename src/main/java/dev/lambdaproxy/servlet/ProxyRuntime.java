package dev.lambdaproxy.servlet;

import java.util.Objects;

/**
 * What the proxy servlet runs on, handed from whoever started it (the jar's server, or the WAR's
 * initializer) to the shared wiring: the live configuration and the telemetry.
 */
public record ProxyRuntime(LiveConfig live, Telemetry telemetry) {

  public ProxyRuntime {
    Objects.requireNonNull(live, "live");
    Objects.requireNonNull(telemetry, "telemetry");
  }
}

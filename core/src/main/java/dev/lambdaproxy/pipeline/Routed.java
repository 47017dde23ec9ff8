package dev.lambdaproxy.pipeline;

import dev.lambdaproxy.config.Settings;
import dev.lambdaproxy.invoke.InvokeTarget;
import dev.lambdaproxy.route.FunctionTarget;
import dev.lambdaproxy.route.HttpEndpoint;
import dev.lambdaproxy.route.Route;
import dev.lambdaproxy.route.RouteMatch;
import dev.lambdaproxy.runtime.ProxyConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * What admission decided for a request: its route and everything the later stages take from the
 * configuration, read once, so that a reload does not change a request under way.
 *
 * @param config the configuration in force when the request was routed
 * @param match the route and its path variables
 * @param invokeTarget where the Invoke call goes; null for an HTTP endpoint route
 * @param timeout how long the function or endpoint may take
 * @param receivedMillis wall-clock time the request was routed (events' requestTime)
 * @param readsBody whether the client's body is read and sent on
 */
public record Routed(ProxyConfig config, RouteMatch match, InvokeTarget invokeTarget, Duration timeout, long receivedMillis,
    boolean readsBody) {

  public Routed {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(match, "match");
    Objects.requireNonNull(timeout, "timeout");
  }

  public Route route() {
    return match.route();
  }

  public Settings settings() {
    return config.settings();
  }

  /** The function of a Lambda route; null for an HTTP endpoint. */
  public FunctionTarget function() {
    return match.route().function();
  }

  /** The endpoint of an HTTP endpoint route; null for a Lambda route. */
  public HttpEndpoint endpoint() {
    return match.route().endpoint();
  }

  /** What the route calls, for messages and logs: a function name, or an endpoint's URL with its {@code ${NAME}}s unexpanded. */
  public String targetName() {
    return match.route().target().display();
  }

  /** Whether the answer is passed on as it arrives (an endpoint, a response-streaming function) rather than decoded whole. */
  public boolean streams() {
    return endpoint() != null || function().stream();
  }
}

package dev.lambdaproxy.pipeline;

import dev.lambdaproxy.config.EventFormat;
import dev.lambdaproxy.invoke.Payloads;
import dev.lambdaproxy.http.ProxyError;
import dev.lambdaproxy.route.FunctionTarget;
import dev.lambdaproxy.route.Route;
import dev.lambdaproxy.route.RouteMatch;
import dev.lambdaproxy.runtime.ProxyConfig;
import java.time.Duration;
import java.util.List;

/**
 * The admit stage: the route (404), the method (405) and the declared body size (413), before a
 * byte of the body is read. A CORS preflight passes whatever methods its route takes: the front
 * door answers it.
 */
final class Admit {

  private Admit() {}

  /**
   * @param match the route a front end already matched in {@code config} (the routing filter), or null to match here
   * @param preflight whether the request is a CORS preflight on a route where CORS applies
   * @return the decision
   * @throws Failures.Refusal when the request is refused
   */
  static Routed admit(ProxyConfig config, RouteMatch match, ClientRequest clientRequest, boolean preflight) {
    RouteMatch routed = match != null ? match : config.routes().match(clientRequest.path(), clientRequest.method());
    if (routed == null) {
      throw new Failures.Refusal(ProxyError.noRoute(clientRequest.path()));
    }
    Route route = routed.route();
    String method = clientRequest.method();
    if (!route.allows(method) && !preflight) {
      throw new Failures.Refusal(ProxyError.methodNotAllowed(method, clientRequest.path(), List.copyOf(routed.allowedMethods())));
    }
    boolean readsBody = readsBody(route, method);
    long maxBody = config.settings().maxBodyBytes();
    if (readsBody && clientRequest.declaredLength() > maxBody) {
      throw new Failures.Refusal(ProxyError.bodyTooLarge(maxBody));
    }
    Duration timeout = route.timeout() != null ? route.timeout() : config.settings().timeout();
    return new Routed(config, routed, route.function() != null ? config.target(route) : null, timeout, config.clock().millis(),
        readsBody);
  }

  /** Whether the client's body is read: raw Lambda routes ignore it for GET, HEAD, DELETE and OPTIONS. */
  static boolean readsBody(Route route, String method) {
    FunctionTarget function = route.function();
    return function == null || function.event() != EventFormat.RAW || Payloads.carriesClientBody(method);
  }
}

package dev.lambdaproxy.pipeline;

import dev.lambdaproxy.frontdoor.CorsSettings;
import dev.lambdaproxy.http.ClientAnswer;
import dev.lambdaproxy.invoke.event.FrontDoorContext;
import dev.lambdaproxy.route.Route;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The front door's first check: a CORS preflight ({@code OPTIONS} with {@code Origin} and
 * {@code Access-Control-Request-Method}) on a route where CORS applies is answered here, 204, before
 * any key or authorizer is asked for and without invoking the function, whatever methods the route
 * takes. Its {@code Access-Control-*} headers are put on by {@link CorsSink}, as on every answer of
 * the route.
 */
final class CorsPreflight implements FrontDoor.Check {

  private static final byte[] NO_BODY = new byte[0];

  /** Whether CORS applies to a route: {@code cors.allow-origins} is set and the route did not say {@code cors=false}. */
  static boolean applies(CorsSettings cors, Route route) {
    return cors.enabled() && route.frontDoor().cors();
  }

  /** Whether a request is a preflight, as browsers send them (on a route where CORS applies). */
  static boolean isPreflight(ClientRequest clientRequest) {
    return clientRequest.method().equals("OPTIONS") && clientRequest.header("Origin") != null
        && clientRequest.header("Access-Control-Request-Method") != null;
  }

  @Override
  public boolean applies(Routed routed, ClientRequest clientRequest) {
    return applies(routed.config().cors(), routed.route()) && isPreflight(clientRequest);
  }

  @Override
  public CompletableFuture<FrontDoor.Verdict> check(Routed routed, ClientRequest clientRequest, FrontDoorContext context) {
    return CompletableFuture.completedFuture(FrontDoor.Verdict.answer(new ClientAnswer(204, List.of(), null, NO_BODY)));
  }
}

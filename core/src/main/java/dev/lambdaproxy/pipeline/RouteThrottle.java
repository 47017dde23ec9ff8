package dev.lambdaproxy.pipeline;

import dev.lambdaproxy.frontdoor.RateLimit;
import dev.lambdaproxy.frontdoor.RateLimitStore;
import dev.lambdaproxy.http.ProxyError;
import dev.lambdaproxy.invoke.event.FrontDoorContext;
import dev.lambdaproxy.route.FrontDoorOptions;
import java.util.concurrent.CompletableFuture;

/**
 * A route's own token bucket ({@code rate=N ; burst=N}), shared by all its clients, as API
 * Gateway's route throttling: over it, 429 {@code Too Many Requests} at once.
 */
final class RouteThrottle implements FrontDoor.Check {

  private final RateLimitStore limits;

  RouteThrottle(RateLimitStore limits) {
    this.limits = limits;
  }

  @Override
  public boolean applies(Routed routed, ClientRequest clientRequest) {
    return routed.route().frontDoor().rate() != null;
  }

  @Override
  public CompletableFuture<FrontDoor.Verdict> check(Routed routed, ClientRequest clientRequest, FrontDoorContext context) {
    FrontDoorOptions options = routed.route().frontDoor();
    if (!limits.tryTake("route " + routed.route().pattern(), RateLimit.of(options.rate(), options.burst()))) {
      throw new Failures.Refusal(ProxyError.tooManyRequests("route_throttled"));
    }
    return CompletableFuture.completedFuture(FrontDoor.Verdict.pass(context));
  }
}

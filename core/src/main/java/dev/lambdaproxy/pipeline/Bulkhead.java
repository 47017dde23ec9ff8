package dev.lambdaproxy.pipeline;

import dev.lambdaproxy.frontdoor.Bulkheads;
import dev.lambdaproxy.http.ProxyError;
import dev.lambdaproxy.invoke.event.FrontDoorContext;
import java.util.concurrent.CompletableFuture;

/**
 * The front door's last check: a route's cap on requests in flight ({@code max-concurrency=N}).
 * Past it a request gets 429 {@code Too Many Requests} at once rather than waiting on the shared
 * upstream pool and starving the other routes. The place is held until the request ends, however
 * it ends ({@link Pipeline.Call#completed}).
 */
final class Bulkhead implements FrontDoor.Check {

  private final Bulkheads bulkheads;

  Bulkhead(Bulkheads bulkheads) {
    this.bulkheads = bulkheads;
  }

  @Override
  public boolean applies(Routed routed, ClientRequest clientRequest) {
    return routed.route().frontDoor().maxConcurrency() != null;
  }

  @Override
  public CompletableFuture<FrontDoor.Verdict> check(Routed routed, ClientRequest clientRequest, FrontDoorContext context) {
    Bulkheads.Permit permit = bulkheads.tryEnter(routed.route().pattern(), routed.route().frontDoor().maxConcurrency());
    if (permit == null) {
      throw new Failures.Refusal(ProxyError.tooManyRequests("bulkhead_full"));
    }
    return CompletableFuture.completedFuture(FrontDoor.Verdict.passHolding(context, permit));
  }
}

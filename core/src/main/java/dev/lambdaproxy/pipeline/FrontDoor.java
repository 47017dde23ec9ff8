package dev.lambdaproxy.pipeline;

import dev.lambdaproxy.http.ClientAnswer;
import dev.lambdaproxy.invoke.event.FrontDoorContext;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The front door: what API Gateway does before a function runs (CORS preflights, API keys and
 * usage plans, throttling, authorizers, bulkheads), as checks between admit and cache. Each check
 * either passes the request on, adding what it learned to the {@link FrontDoorContext} that reaches
 * the event, or answers it itself (a preflight, a 401/403/429); a check that throws is answered by
 * {@link Failures} like any stage's failure.
 *
 * <p>Checks run in order and only where they apply, so a route that asks nothing of the front door
 * costs one loop over the checks' {@link Check#applies} and no allocation.
 */
final class FrontDoor {

  /** One check of the front door. */
  interface Check {

    /** Whether the check has anything to do for this request (decided from its route and the configuration). */
    boolean applies(Routed routed, ClientRequest clientRequest);

    /**
     * @param context what the checks before this one learned
     * @return the verdict; a failed future is answered by {@link Failures}
     */
    CompletableFuture<Verdict> check(Routed routed, ClientRequest clientRequest, FrontDoorContext context);
  }

  /**
   * A check's verdict: pass on with a context, or an answer the front door gives itself.
   *
   * @param context what reaches the event when the request passes; null when {@code answer} is set
   * @param answer the front door's own answer, or null when the request passes
   */
  record Verdict(FrontDoorContext context, ClientAnswer answer) {

    static Verdict pass(FrontDoorContext context) {
      return new Verdict(Objects.requireNonNull(context, "context"), null);
    }

    static Verdict answer(ClientAnswer answer) {
      return new Verdict(null, Objects.requireNonNull(answer, "answer"));
    }

    boolean passes() {
      return answer == null;
    }
  }

  private final List<Check> checks;

  FrontDoor(List<Check> checks) {
    this.checks = List.copyOf(checks);
  }

  /** Whether any check applies: when none does, the request goes straight on. */
  boolean applies(Routed routed, ClientRequest clientRequest) {
    for (Check check : checks) {
      if (check.applies(routed, clientRequest)) {
        return true;
      }
    }
    return false;
  }

  /** Runs the checks that apply, in order, until one answers or all have passed. */
  CompletableFuture<Verdict> check(Routed routed, ClientRequest clientRequest) {
    return next(0, routed, clientRequest, FrontDoorContext.NONE);
  }

  private CompletableFuture<Verdict> next(int index, Routed routed, ClientRequest clientRequest, FrontDoorContext context) {
    for (int i = index; i < checks.size(); i++) {
      Check check = checks.get(i);
      if (!check.applies(routed, clientRequest)) {
        continue;
      }
      int following = i + 1;
      CompletableFuture<Verdict> verdict;
      try {
        verdict = check.check(routed, clientRequest, context);
      } catch (RuntimeException | Error e) {
        return CompletableFuture.failedFuture(e);
      }
      return verdict.thenCompose(v -> v.passes() ? next(following, routed, clientRequest, v.context())
          : CompletableFuture.completedFuture(v));
    }
    return CompletableFuture.completedFuture(Verdict.pass(context));
  }
}

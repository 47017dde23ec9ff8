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
   * @param release what a passing check holds for the request (a bulkhead's place), given back when
   *     the request ends, however it ends; it may run more than once and must act once. Null for nothing held
   */
  record Verdict(FrontDoorContext context, ClientAnswer answer, Runnable release) {

    Verdict(FrontDoorContext context, ClientAnswer answer) {
      this(context, answer, null);
    }

    static Verdict pass(FrontDoorContext context) {
      return new Verdict(Objects.requireNonNull(context, "context"), null);
    }

    /** Passes, holding something until the request ends. */
    static Verdict passHolding(FrontDoorContext context, Runnable release) {
      return new Verdict(Objects.requireNonNull(context, "context"), null, Objects.requireNonNull(release, "release"));
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

  /**
   * Runs the checks that apply, in order, until one answers or all have passed. A passing verdict
   * carries what the checks hold for the request; when a later check answers or fails, it is given
   * back at once.
   */
  CompletableFuture<Verdict> check(Routed routed, ClientRequest clientRequest) {
    return next(0, routed, clientRequest, FrontDoorContext.NONE, null);
  }

  private CompletableFuture<Verdict> next(int index, Routed routed, ClientRequest clientRequest, FrontDoorContext context,
      Runnable held) {
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
        release(held);
        return CompletableFuture.failedFuture(e);
      }
      return verdict.handle((v, failure) -> {
        if (failure != null) {
          release(held);
          return CompletableFuture.<Verdict>failedFuture(failure);
        }
        Runnable nowHeld = both(held, v.release());
        if (!v.passes()) {
          release(nowHeld);
          return CompletableFuture.completedFuture(new Verdict(null, v.answer()));
        }
        return next(following, routed, clientRequest, v.context(), nowHeld);
      }).thenCompose(next -> next);
    }
    return CompletableFuture.completedFuture(new Verdict(context, null, held));
  }

  private static Runnable both(Runnable first, Runnable second) {
    if (first == null) {
      return second;
    }
    return second == null ? first : () -> {
      try {
        first.run();
      } finally {
        second.run();
      }
    };
  }

  private static void release(Runnable held) {
    if (held != null) {
      held.run();
    }
  }
}

package dev.lambdaproxy.pipeline;

import dev.lambdaproxy.frontdoor.ApiKeys;
import dev.lambdaproxy.frontdoor.RateLimitStore;
import dev.lambdaproxy.frontdoor.UsagePlan;
import dev.lambdaproxy.http.ProxyError;
import dev.lambdaproxy.invoke.event.FrontDoorContext;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * API keys and usage plans ({@code require-api-key=true}), as API Gateway's REST APIs check them:
 * the client's {@code x-api-key} must be a known key (else 403 {@code Forbidden}), within its plan's
 * rate (else 429 {@code Too Many Requests}) and its quota for the period (else 429
 * {@code Limit Exceeded}). A request over the rate is not counted against the quota. The key and its
 * name reach payload 1.0 events as {@code identity.apiKey} and {@code identity.apiKeyId}.
 */
final class ApiKeyCheck implements FrontDoor.Check {

  static final String HEADER = "x-api-key";

  private final RateLimitStore limits;

  ApiKeyCheck(RateLimitStore limits) {
    this.limits = limits;
  }

  @Override
  public boolean applies(Routed routed, ClientRequest clientRequest) {
    return routed.route().frontDoor().requireApiKey();
  }

  @Override
  public CompletableFuture<FrontDoor.Verdict> check(Routed routed, ClientRequest clientRequest, FrontDoorContext context) {
    String presented = clientRequest.header(HEADER);
    if (presented == null || presented.isEmpty()) {
      throw new Failures.Refusal(ProxyError.forbidden("no_api_key"));
    }
    ApiKeys.Key key = routed.config().apiKeys().find(presented);
    if (key == null) {
      throw new Failures.Refusal(ProxyError.forbidden("bad_api_key"));
    }
    UsagePlan plan = key.plan();
    String counted = "plan " + plan.name() + " key " + key.name();
    if (plan.rate() != null && !limits.tryTake(counted, plan.rate())) {
      throw new Failures.Refusal(ProxyError.tooManyRequests("plan_throttled"));
    }
    if (plan.quota() != null && !limits.tryCount(counted, plan.quota(), Instant.ofEpochMilli(routed.receivedMillis()))) {
      throw new Failures.Refusal(ProxyError.limitExceeded());
    }
    return CompletableFuture.completedFuture(FrontDoor.Verdict.pass(context.withApiKey(presented, key.name())));
  }
}

package dev.lambdaproxy.authorizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.lambdaproxy.invoke.LambdaResponse;
import dev.lambdaproxy.invoke.event.ClientRequestView;
import dev.lambdaproxy.invoke.event.Header;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A Lambda authorizer at work: checks the identity sources (one missing: 401, no invocation), asks
 * the function (or its cached decision for the same identity, for {@code ttl}), and matches the
 * decision against this request's ARN, so a cached Allow for one path opens no other. The function
 * answering the error {@code Unauthorized} is a 401; any other failure, a timeout or a malformed
 * answer is a 500. Only decisions are cached, never failures.
 */
public final class LambdaAuthorizer {

  /** The most identities whose decisions are kept per authorizer. */
  static final long MAX_CACHED_IDENTITIES = 10_000;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Invokes the authorizer's function with an event; the future fails when the call did. */
  @FunctionalInterface
  public interface Invoker {
    CompletableFuture<LambdaResponse> invoke(byte[] event);
  }

  /**
   * What of the request the authorizer reads.
   *
   * @param method the method, for the ARN
   * @param path the request's path, decoded, for the ARN
   * @param headers the client's headers, for the identity sources
   * @param rawQuery the client's query, or null
   * @param view the request as events see it, made only when the function is called
   */
  public record Request(String method, String path, List<Header> headers, String rawQuery, Supplier<ClientRequestView> view) {
    public Request {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(headers, "headers");
      Objects.requireNonNull(view, "view");
    }
  }

  /** The function answered the error {@code Unauthorized}: API Gateway's way for an authorizer to say 401. */
  private static final class Unauthorized extends RuntimeException {
    Unauthorized() {
      super("the authorizer function answered Unauthorized", null, false, false);
    }
  }

  /** The function could not decide: it failed, or answered what cannot be read. */
  private static final class Undecided extends RuntimeException {
    Undecided(String message) {
      super(message, null, false, false);
    }
  }

  private final AuthorizerSpec.Lambda spec;
  private final AsyncCache<String, LambdaDecision> decisions;

  public LambdaAuthorizer(AuthorizerSpec.Lambda spec, Clock clock) {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.decisions = spec.ttl().isZero() ? null : Caffeine.newBuilder()
        .expireAfterWrite(spec.ttl())
        .maximumSize(MAX_CACHED_IDENTITIES)
        .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
        .buildAsync();
  }

  public AuthorizerSpec.Lambda spec() {
    return spec;
  }

  public CompletableFuture<AuthorizerOutcome> authorize(Request request, Invoker invoker) {
    List<String> identity = new ArrayList<>(spec.identitySources().size());
    for (IdentitySource source : spec.identitySources()) {
      String value = source.valueIn(request.headers(), request.rawQuery());
      if (value == null) {
        return CompletableFuture.completedFuture(AuthorizerOutcome.unauthorized("identity source " + source + " is missing", false));
      }
      identity.add(value);
    }
    String arn = spec.arn().of(request.method(), request.path());
    boolean[] invoked = {false};
    CompletableFuture<LambdaDecision> decision;
    if (decisions == null) {
      invoked[0] = true;
      decision = invoke(request, arn, identity, invoker);
    } else {
      decision = decisions.get(String.join("\0", identity), (key, executor) -> {
        invoked[0] = true;
        return invoke(request, arn, identity, invoker);
      });
    }
    boolean cacheHit = !invoked[0];
    return decision.handle((answer, failure) -> {
      if (failure != null) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof Unauthorized) {
          return AuthorizerOutcome.unauthorized("the authorizer function answered Unauthorized", false);
        }
        return AuthorizerOutcome.failed("authorizer " + spec.name() + " (" + spec.function().display() + "): "
            + cause.getMessage(), cause);
      }
      if (!answer.allows(arn)) {
        return AuthorizerOutcome.forbidden(answer.policy() == null ? "the authorizer answered isAuthorized: false"
            : "the authorizer's policy does not allow " + arn, cacheHit);
      }
      return AuthorizerOutcome.allowed(AuthorizerContexts.lambdaV1(answer.principalId(), answer.context(),
          cacheHit ? 0 : answer.latencyMillis()), AuthorizerContexts.lambdaV2(answer.context()), cacheHit);
    });
  }

  private CompletableFuture<LambdaDecision> invoke(Request request, String arn, List<String> identity, Invoker invoker) {
    long started = System.nanoTime();
    try {
      byte[] event = switch (spec.type()) {
        case REQUEST -> AuthorizerEvents.request(request.view().get(), arn, identity);
        case REQUEST_V1 -> AuthorizerEvents.requestV1(request.view().get(), arn);
        case TOKEN -> AuthorizerEvents.token(identity.get(0), arn);
        case JWT -> throw new IllegalStateException("a JWT authorizer invokes no function");
      };
      return invoker.invoke(event).thenApply(response -> decide(response, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private LambdaDecision decide(LambdaResponse response, long latencyMillis) {
    if (response.status() != 200) {
      throw new Undecided("Lambda answered HTTP " + response.status()
          + (response.errorType() == null ? "" : " (" + response.errorType() + ")"));
    }
    JsonNode answer;
    try {
      answer = JSON.readTree(response.body());
    } catch (IOException e) {
      answer = null;
    }
    if (response.functionError() != null) {
      JsonNode message = answer == null ? null : answer.get("errorMessage");
      if (message != null && "Unauthorized".equals(message.asText())) {
        throw new Unauthorized();
      }
      JsonNode type = answer == null ? null : answer.get("errorType");
      throw new Undecided("the function failed" + (type == null ? "" : " with " + type.asText()));
    }
    try {
      return LambdaDecision.parse(spec, answer, latencyMillis);
    } catch (IllegalArgumentException e) {
      throw new Undecided("malformed answer: " + e.getMessage());
    }
  }
}

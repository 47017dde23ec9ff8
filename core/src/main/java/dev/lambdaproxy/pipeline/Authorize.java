package dev.lambdaproxy.pipeline;

import dev.lambdaproxy.authorizer.AuthorizerOutcome;
import dev.lambdaproxy.authorizer.AuthorizerSpec;
import dev.lambdaproxy.authorizer.JwtAuthorizer;
import dev.lambdaproxy.authorizer.LambdaAuthorizer;
import dev.lambdaproxy.credentials.CredentialsUnavailableException;
import dev.lambdaproxy.http.ClientAnswer;
import dev.lambdaproxy.http.ProxyError;
import dev.lambdaproxy.invoke.LambdaResponse;
import dev.lambdaproxy.invoke.event.FrontDoorContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front door's authorizer check: who the caller is, for routes with {@code authorizer=}. A JWT
 * authorizer validates the token (its keys fetched off the caller's thread); a Lambda authorizer
 * invokes its function through the same signer and {@link Upstream} as every call, with the
 * proxy's own credentials. Allowed, the result reaches the event as {@code requestContext.authorizer};
 * otherwise the answer is API Gateway's: 401 {@code Unauthorized}, 403 {@code Forbidden}, or 500
 * when the authorizer could not decide (the reason goes to the log, never a token or a claim).
 *
 * <p>The authorizers at work (keys, cached decisions) are kept per definition, so a reload that
 * leaves one unchanged keeps them.
 */
final class Authorize implements FrontDoor.Check {

  private static final Logger LOG = LoggerFactory.getLogger(Authorize.class);

  private final Prepare prepare;
  private final Upstream upstream;
  private final MeterRegistry registry;
  /** Discovery and key fetches block on the network: they run here, never on an event loop. */
  private final ThreadPoolExecutor io;
  private final Map<AuthorizerSpec, Object> atWork = new ConcurrentHashMap<>();
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  Authorize(Prepare prepare, Upstream upstream, MeterRegistry registry) {
    this.prepare = prepare;
    this.upstream = upstream;
    this.registry = registry;
    this.io = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(1_000), runnable -> {
      Thread thread = new Thread(runnable, "lambda-proxy-jwks");
      thread.setDaemon(true);
      return thread;
    });
    io.allowCoreThreadTimeOut(true);
  }

  @Override
  public boolean applies(Routed routed, ClientRequest clientRequest) {
    return routed.route().frontDoor().authorizer() != null;
  }

  @Override
  public CompletableFuture<FrontDoor.Verdict> check(Routed routed, ClientRequest clientRequest, FrontDoorContext context) {
    AuthorizerSpec spec = routed.config().authorizers().of(routed.route());
    if (spec == null) {
      // Checked at load; a configuration made without the loader may still get here.
      LOG.error("route {} names authorizer '{}', which is not defined", routed.route().pattern(), routed.route().frontDoor().authorizer());
      return CompletableFuture.completedFuture(FrontDoor.Verdict.answer(ProxyError.authorizerFailed().toAnswer()));
    }
    CompletableFuture<AuthorizerOutcome> outcome;
    if (spec instanceof AuthorizerSpec.Jwt jwt) {
      outcome = jwt(routed, jwt).authorize(jwt.identitySource().valueIn(clientRequest.headers(), clientRequest.rawQuery()),
          routed.route().frontDoor().scopes());
    } else {
      AuthorizerSpec.Lambda lambda = (AuthorizerSpec.Lambda) spec;
      LambdaAuthorizer.Request request = new LambdaAuthorizer.Request(clientRequest.method(), clientRequest.path(),
          clientRequest.headers(), clientRequest.rawQuery(), () -> Prepare.view(routed, clientRequest, RequestBody.EMPTY, context));
      outcome = lambda(routed, lambda).authorize(request, event -> invoke(routed, lambda, event));
    }
    return outcome.thenApply(decided -> verdict(routed, clientRequest, spec, decided, context));
  }

  private CompletableFuture<LambdaResponse> invoke(Routed routed, AuthorizerSpec.Lambda spec, byte[] event) {
    CompletableFuture<Void> loading = routed.config().credentials().loading();
    if (loading != null) {
      // Cold credentials: loaded on the provider's own thread, never on an event loop; the call goes from there.
      return loading.thenCompose(loaded -> send(routed, spec, event));
    }
    return send(routed, spec, event);
  }

  private CompletableFuture<LambdaResponse> send(Routed routed, AuthorizerSpec.Lambda spec, byte[] event) {
    ProxyRequest call;
    try {
      call = prepare.authorizerCall(routed, spec.target(), event, spec.timeout());
    } catch (RuntimeException e) { // no credentials, among others: the authorizer's failure, answered 500
      return CompletableFuture.failedFuture(e);
    }
    return upstream.exchange(call).thenApply(LambdaWire::response);
  }

  private FrontDoor.Verdict verdict(Routed routed, ClientRequest clientRequest, AuthorizerSpec spec, AuthorizerOutcome outcome,
      FrontDoorContext context) {
    count("lambda_proxy_authorizer_decisions", "decisions of the authorizers, by authorizer and decision", spec.name(),
        "decision", outcome.kind().text());
    if (outcome.cacheHit()) {
      count("lambda_proxy_authorizer_cache_hits", "decisions taken from an authorizer's cache, without invoking it",
          spec.name(), null, null);
    }
    boolean jwt = spec instanceof AuthorizerSpec.Jwt;
    return switch (outcome.kind()) {
      case ALLOWED -> FrontDoor.Verdict.pass(context.withAuthorizer(outcome.v1(), outcome.v2()));
      case UNAUTHORIZED -> {
        LOG.debug("{} {}: authorizer {}: 401, {}", clientRequest.method(), clientRequest.rawPath(), spec.name(), outcome.reason());
        yield answer(ProxyError.unauthorized("unauthorized", jwt
            ? "Bearer error=\"invalid_token\", error_description=\"" + outcome.reason() + "\""
            : null));
      }
      case FORBIDDEN -> {
        LOG.debug("{} {}: authorizer {}: 403, {}", clientRequest.method(), clientRequest.rawPath(), spec.name(), outcome.reason());
        yield answer(jwt
            ? ProxyError.frontDoor("forbidden", 403, "Forbidden", "ForbiddenException", Map.of("WWW-Authenticate",
                "Bearer error=\"insufficient_scope\", scope=\"" + String.join(" ", routed.route().frontDoor().scopes()) + "\""))
            // API Gateway's ACCESS_DENIED: a policy without an Allow for the request, or with a Deny.
            : ProxyError.frontDoor("forbidden", 403, "Forbidden", "AccessDeniedException", Map.of()));
      }
      case FAILED -> {
        if (outcome.cause() instanceof CredentialsUnavailableException missing) {
          throw missing; // Failures answers it as every request without credentials is answered
        }
        LOG.warn("{} {}: {}", clientRequest.method(), clientRequest.rawPath(), outcome.reason());
        yield answer(ProxyError.authorizerFailed());
      }
    };
  }

  private static FrontDoor.Verdict answer(ProxyError error) {
    ClientAnswer answer = error.toAnswer();
    return FrontDoor.Verdict.answer(answer);
  }

  private JwtAuthorizer jwt(Routed routed, AuthorizerSpec.Jwt spec) {
    return (JwtAuthorizer) atWork(routed, spec);
  }

  private LambdaAuthorizer lambda(Routed routed, AuthorizerSpec.Lambda spec) {
    return (LambdaAuthorizer) atWork(routed, spec);
  }

  private Object atWork(Routed routed, AuthorizerSpec spec) {
    Object running = atWork.get(spec);
    if (running != null) {
      return running;
    }
    // A definition seen for the first time: the configuration changed, so those no longer defined are let go.
    List<AuthorizerSpec> defined = List.copyOf(routed.config().authorizers().byName().values());
    for (AuthorizerSpec old : new HashSet<>(atWork.keySet())) {
      if (!defined.contains(old)) {
        close(atWork.remove(old));
      }
    }
    return atWork.computeIfAbsent(spec, s -> s instanceof AuthorizerSpec.Jwt jwt
        ? new JwtAuthorizer(jwt, io, routed.config().clock())
        : new LambdaAuthorizer((AuthorizerSpec.Lambda) s, routed.config().clock()));
  }

  private void count(String name, String description, String authorizer, String tag, String value) {
    String key = name + ' ' + authorizer + ' ' + value;
    counters.computeIfAbsent(key, k -> {
      Counter.Builder builder = Counter.builder(name).description(description).tag("authorizer", authorizer);
      return (tag == null ? builder : builder.tag(tag, value)).register(registry);
    }).increment();
  }

  /** Stops the key fetches and lets go of the authorizers at work. */
  void close() {
    io.shutdownNow();
    atWork.values().forEach(Authorize::close);
    atWork.clear();
  }

  private static void close(Object running) {
    if (running instanceof JwtAuthorizer jwt) {
      try {
        jwt.close();
      } catch (IOException e) {
        LOG.debug("closing a JWT authorizer's key source failed", e);
      }
    }
  }
}

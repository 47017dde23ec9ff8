package dev.lambdaproxy.pipeline;

import dev.lambdaproxy.authorizer.AuthorizerSpec;
import dev.lambdaproxy.cache.CacheRequest;
import dev.lambdaproxy.cache.CachedAnswer;
import dev.lambdaproxy.cache.ResponseCache;
import dev.lambdaproxy.http.ClientAnswer;
import dev.lambdaproxy.invoke.event.Header;
import dev.lambdaproxy.route.FunctionTarget;
import dev.lambdaproxy.sigv4.PayloadHash;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The cache stage, for routes with a cache policy: a GET or HEAD is answered from the store or by
 * one call shared by every request waiting on the same key; any other method passes through and,
 * on a 2xx or 3xx answer, drops that URI's stored answers (RFC 9111 section 4.4). The call it
 * makes is the rest of the pipeline, given as {@code origin}: it may run again later, as a
 * background refresh, so it is made from what was decided and read, never from the connection.
 * On a route with an authorizer the key also holds the caller's identity (its identity sources'
 * values, hashed), so one principal's answer never reaches another.
 */
final class CacheStage {

  private final ResponseCache cache;

  CacheStage(ResponseCache cache) {
    this.cache = cache;
  }

  static boolean applies(Routed routed) {
    FunctionTarget function = routed.function();
    return function != null && function.cache() != null && !function.stream();
  }

  CompletableFuture<ClientAnswer> serve(Routed routed, ClientRequest clientRequest, Supplier<CompletableFuture<ClientAnswer>> origin) {
    FunctionTarget function = routed.function();
    Map<String, String> headers = new HashMap<>();
    for (Header header : clientRequest.headers()) {
      headers.merge(header.name().toLowerCase(Locale.ROOT), header.value(), (first, next) -> first + ", " + next);
    }
    String routeKey = routed.route().pattern() + ' ' + function.display();
    AuthorizerSpec authorizer = routed.config().authorizers().of(routed.route());
    if (authorizer != null) {
      // One caller's answer is never another's: behind an authorizer, entries are kept per identity (hashed).
      String identity = authorizer.identity(clientRequest.headers(), clientRequest.rawQuery());
      if (identity == null) {
        return origin.get();
      }
      byte[] bytes = identity.getBytes(StandardCharsets.UTF_8);
      routeKey += " caller " + PayloadHash.sha256Hex(bytes, 0, bytes.length);
    }
    CacheRequest cacheRequest = CacheRequest.of(routeKey, clientRequest.method(), clientRequest.path(), clientRequest.rawQuery(),
        headers::get);
    return cache.serve(cacheRequest, function.cache(), origin).thenApply(CachedAnswer::answer);
  }
}

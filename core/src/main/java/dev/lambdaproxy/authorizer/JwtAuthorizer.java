package dev.lambdaproxy.authorizer;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSetBasedJWKSource;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.ResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JWT authorizer, validating as HTTP APIs do ("Controlling access to HTTP APIs with JWT
 * authorizers"): a signed token (RS256/384/512, ES256/384; never {@code none} or HMAC) whose
 * {@code kid} names a key of the issuer's JWKS; {@code iss} equal to the issuer; {@code aud}
 * (or {@code client_id} when there is no {@code aud}) one of the audiences; {@code exp} required,
 * {@code nbf} and {@code iat} checked, each with the clock skew; the route's scopes any-of on
 * {@code scp} or {@code scope}.
 *
 * <p>Keys are found by OIDC discovery (or the given JWKS URL) and fetched by Nimbus's JWKS source
 * (cached, rate-limited, outage-tolerant) on the {@code io} executor, never on the caller's thread.
 * The keys last fetched are kept here, so a request with a known {@code kid} is checked at once,
 * on the caller's thread; keys older than {@code jwks-refresh} are refetched in the background
 * while the old ones serve; only an unknown {@code kid} (a rotation) makes a request wait for a
 * fetch, rate-limited by Nimbus. A failed fetch keeps the last keys: an issuer's outage does not
 * lock callers out.
 */
public final class JwtAuthorizer implements Closeable {

  private static final Logger LOG = LoggerFactory.getLogger(JwtAuthorizer.class);

  static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
      JWSAlgorithm.ES256, JWSAlgorithm.ES384);
  /** Nimbus's default: at most two fetches in this interval, however many unknown kids arrive. */
  static final long RATE_LIMIT_MILLIS = 30_000;
  private static final int HTTP_TIMEOUT_MILLIS = 3_000;
  private static final int HTTP_SIZE_LIMIT = 512 * 1024;
  // Numbers as written: 1.50 stays "1.50" in the events' claims.
  private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .setNodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));

  /** The keys last fetched, with a verifier ready for each, by kid. */
  private record Keys(JWKSet set, Map<String, List<Verifier>> byKid) {
    static Keys of(JWKSet set) {
      Map<String, List<Verifier>> byKid = new HashMap<>();
      for (JWK jwk : set.getKeys()) {
        if (jwk.getKeyID() == null || (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse()))) {
          continue;
        }
        try {
          JWSVerifier verifier = null;
          if (jwk instanceof RSAKey rsa) {
            verifier = new RSASSAVerifier(rsa.toRSAPublicKey());
          } else if (jwk instanceof ECKey ec && (Curve.P_256.equals(ec.getCurve()) || Curve.P_384.equals(ec.getCurve()))) {
            verifier = new ECDSAVerifier(ec.toECPublicKey());
          }
          if (verifier != null) {
            byKid.computeIfAbsent(jwk.getKeyID(), kid -> new ArrayList<>()).add(new Verifier(jwk, verifier));
          }
        } catch (JOSEException e) {
          LOG.warn("a key of the JWKS ({}) is not usable: {}", jwk.getKeyID(), e.getMessage());
        }
      }
      return new Keys(set, byKid);
    }
  }

  private record Verifier(JWK jwk, JWSVerifier verifier) {
    boolean fits(JWSAlgorithm algorithm) {
      if (jwk.getAlgorithm() != null && !jwk.getAlgorithm().equals(algorithm)) {
        return false;
      }
      if (jwk instanceof RSAKey) {
        return JWSAlgorithm.Family.RSA.contains(algorithm);
      }
      Curve curve = ((ECKey) jwk).getCurve();
      return (Curve.P_256.equals(curve) && JWSAlgorithm.ES256.equals(algorithm))
          || (Curve.P_384.equals(curve) && JWSAlgorithm.ES384.equals(algorithm));
    }
  }

  private final AuthorizerSpec.Jwt spec;
  private final Executor io;
  private final Clock clock;
  private final ResourceRetriever retriever;
  private final AtomicReference<CompletableFuture<Keys>> fetching = new AtomicReference<>();
  private volatile Keys keys;
  private volatile long refreshAtMillis;
  private volatile JWKSetSource<SecurityContext> source;

  /**
   * @param io where discovery and key fetches run: they block on the network
   * @param clock what {@code exp}, {@code nbf} and {@code iat} are checked against
   */
  public JwtAuthorizer(AuthorizerSpec.Jwt spec, Executor io, Clock clock) {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.io = Objects.requireNonNull(io, "io");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.retriever = new DefaultResourceRetriever(HTTP_TIMEOUT_MILLIS, HTTP_TIMEOUT_MILLIS, HTTP_SIZE_LIMIT);
  }

  public AuthorizerSpec.Jwt spec() {
    return spec;
  }

  /**
   * Validates the token the identity source holds.
   *
   * @param identity the identity source's value ({@code Authorization}, with or without {@code Bearer }), or null
   * @param routeScopes the route's scopes, of which the token must carry one; empty for none
   */
  public CompletableFuture<AuthorizerOutcome> authorize(String identity, List<String> routeScopes) {
    String token = bearer(identity);
    if (token == null) {
      return done(AuthorizerOutcome.unauthorized("no token", false));
    }
    SignedJWT jwt;
    try {
      JWT parsed = JWTParser.parse(token);
      if (!(parsed instanceof SignedJWT signed)) {
        return done(AuthorizerOutcome.unauthorized("the token is not signed", false));
      }
      jwt = signed;
    } catch (ParseException e) {
      return done(AuthorizerOutcome.unauthorized("the token is not a JWT", false));
    }
    JWSAlgorithm algorithm = jwt.getHeader().getAlgorithm();
    if (!ALGORITHMS.contains(algorithm)) {
      return done(AuthorizerOutcome.unauthorized("the token's algorithm " + algorithm + " is not accepted", false));
    }
    String kid = jwt.getHeader().getKeyID();
    if (kid == null) {
      return done(AuthorizerOutcome.unauthorized("the token has no kid", false));
    }
    Keys current = keys;
    if (current != null && clock.millis() >= refreshAtMillis) {
      fetch(false); // in the background: this request goes on with the keys at hand
    }
    if (current != null && current.byKid.containsKey(kid)) {
      return done(validate(jwt, current, routeScopes));
    }
    // No keys yet, or a kid they do not have (a rotation): wait for a fetch, on the io executor.
    return fetch(current != null).handle((fresh, failure) -> {
      Keys usable = fresh != null ? fresh : keys;
      if (usable == null) {
        return AuthorizerOutcome.failed("authorizer " + spec.name() + ": the keys of issuer " + spec.issuer()
            + " could not be fetched: " + describe(failure), failure);
      }
      if (!usable.byKid.containsKey(kid)) {
        return AuthorizerOutcome.unauthorized("no key of the issuer has the token's kid", false);
      }
      return validate(jwt, usable, routeScopes);
    });
  }

  /** The token of an {@code Authorization} value, {@code Bearer } or not; null when there is none. */
  static String bearer(String identity) {
    if (identity == null) {
      return null;
    }
    String value = identity.strip();
    if (value.length() >= 7 && value.regionMatches(true, 0, "Bearer ", 0, 7)) {
      value = value.substring(7).strip();
    }
    return value.isEmpty() || value.equalsIgnoreCase("Bearer") ? null : value;
  }

  private AuthorizerOutcome validate(SignedJWT jwt, Keys usable, List<String> routeScopes) {
    JWSAlgorithm algorithm = jwt.getHeader().getAlgorithm();
    boolean verified = false;
    for (Verifier candidate : usable.byKid.get(jwt.getHeader().getKeyID())) {
      if (!candidate.fits(algorithm)) {
        continue;
      }
      try {
        if (jwt.verify(candidate.verifier)) {
          verified = true;
          break;
        }
      } catch (JOSEException | IllegalStateException e) {
        // not this key: try the next
      }
    }
    if (!verified) {
      return AuthorizerOutcome.unauthorized("the token's signature is not valid", false);
    }
    JsonNode claims;
    try {
      claims = JSON.readTree(jwt.getPayload().toString());
    } catch (IOException e) {
      claims = null;
    }
    if (claims == null || !claims.isObject()) {
      return AuthorizerOutcome.unauthorized("the token's claims are not a JSON object", false);
    }
    String problem = claimsProblem(claims);
    if (problem != null) {
      return AuthorizerOutcome.unauthorized(problem, false);
    }
    List<String> scopes = scopes(claims);
    if (!routeScopes.isEmpty() && routeScopes.stream().noneMatch(scopes::contains)) {
      return AuthorizerOutcome.forbidden("the token has none of the route's scopes", false);
    }
    return AuthorizerOutcome.allowed(AuthorizerContexts.jwtV1(AuthorizerContexts.stringClaims(claims), scopes),
        AuthorizerContexts.jwtV2(AuthorizerContexts.stringClaims(claims), scopes), false);
  }

  /** What is wrong with the claims, in API Gateway's words, or null. */
  String claimsProblem(JsonNode claims) {
    JsonNode iss = claims.get("iss");
    if (iss == null || !iss.isTextual() || !iss.asText().equals(spec.issuer().toString())) {
      return "the token does not have a valid issuer";
    }
    JsonNode aud = claims.get("aud");
    if (aud != null && !aud.isNull()) {
      boolean matched = false;
      for (JsonNode value : aud.isArray() ? aud : List.of(aud)) {
        matched |= value.isTextual() && spec.audiences().contains(value.asText());
      }
      if (!matched) {
        return "the token does not have a valid audience";
      }
    } else {
      JsonNode clientId = claims.get("client_id");
      if (clientId == null || !clientId.isTextual() || !spec.audiences().contains(clientId.asText())) {
        return "the token does not have a valid audience";
      }
    }
    double now = clock.millis() / 1000.0;
    double skew = spec.clockSkew().toMillis() / 1000.0;
    JsonNode exp = claims.get("exp");
    if (exp == null || !exp.isNumber()) {
      return "the token has no exp";
    }
    if (now >= exp.asDouble() + skew) {
      return "the token has expired";
    }
    JsonNode nbf = claims.get("nbf");
    if (nbf != null && (!nbf.isNumber() || now + skew < nbf.asDouble())) {
      return "the token is not valid yet";
    }
    JsonNode iat = claims.get("iat");
    if (iat != null && (!iat.isNumber() || now + skew < iat.asDouble())) {
      return "the token was issued in the future";
    }
    return null;
  }

  /** The token's scopes: {@code scp} and {@code scope}, each a space-separated string or an array. */
  static List<String> scopes(JsonNode claims) {
    Set<String> scopes = new LinkedHashSet<>();
    for (String claim : List.of("scp", "scope")) {
      JsonNode value = claims.get(claim);
      if (value == null) {
        continue;
      }
      for (JsonNode item : value.isArray() ? value : List.of(value)) {
        if (item.isTextual()) {
          for (String scope : item.asText().split(" ")) {
            if (!scope.isEmpty()) {
              scopes.add(scope);
            }
          }
        }
      }
    }
    return List.copyOf(scopes);
  }

  /**
   * Fetches the keys on the io executor, one fetch at a time (callers join the one under way).
   *
   * @param unknownKid true when a token named a kid the keys lack: Nimbus refetches even if its cache is fresh, rate-limited
   */
  private CompletableFuture<Keys> fetch(boolean unknownKid) {
    while (true) {
      CompletableFuture<Keys> running = fetching.get();
      if (running != null) {
        return running;
      }
      CompletableFuture<Keys> mine = new CompletableFuture<>();
      if (!fetching.compareAndSet(null, mine)) {
        continue;
      }
      // Whatever happens, the next background attempt waits a refresh period: a down issuer is not hammered.
      refreshAtMillis = clock.millis() + spec.jwksRefresh().toMillis();
      try {
        io.execute(() -> {
          try {
            Keys fetched = load(unknownKid);
            keys = fetched;
            fetching.set(null);
            mine.complete(fetched);
          } catch (Exception | Error e) {
            LOG.warn("authorizer {}: fetching the keys of {} failed ({}); {}", spec.name(), spec.issuer(), describe(e),
                keys == null ? "no keys yet" : "the last keys stay in use");
            fetching.set(null);
            mine.completeExceptionally(e);
          }
        });
      } catch (RejectedExecutionException e) {
        fetching.set(null);
        mine.completeExceptionally(e);
      }
      return mine;
    }
  }

  /** Runs on the io executor: discovery on first use, then the JWKS through Nimbus's source. */
  private Keys load(boolean unknownKid) throws Exception {
    JWKSetSource<SecurityContext> jwks = source;
    if (jwks == null) {
      URI jwksUri = spec.jwksUri() != null ? spec.jwksUri() : discover();
      long ttl = spec.jwksRefresh().toMillis();
      JWKSourceBuilder<SecurityContext> builder = JWKSourceBuilder.<SecurityContext>create(jwksUri.toURL(), retriever)
          .cache(ttl, HTTP_TIMEOUT_MILLIS * 2L)
          .refreshAheadCache(false)
          .retrying(true)
          .outageTolerantForever();
      // Nimbus wants the rate limit's interval shorter than the cache's life.
      builder = ttl > RATE_LIMIT_MILLIS ? builder.rateLimited(RATE_LIMIT_MILLIS) : builder.rateLimited(Math.max(1, ttl / 2));
      jwks = ((JWKSetBasedJWKSource<SecurityContext>) builder.build()).getJWKSetSource();
      source = jwks;
    }
    Keys current = keys;
    JWKSetCacheRefreshEvaluator refresh = unknownKid && current != null
        ? JWKSetCacheRefreshEvaluator.referenceComparison(current.set)
        : JWKSetCacheRefreshEvaluator.noRefresh();
    return Keys.of(jwks.getJWKSet(refresh, System.currentTimeMillis(), null));
  }

  /** OIDC discovery: the issuer's document must name the same issuer, and its jwks_uri must be https (or loopback). */
  private URI discover() throws IOException {
    URI discovery = spec.discoveryUri();
    JsonNode document = JSON.readTree(retriever.retrieveResource(discovery.toURL()).getContent());
    JsonNode issuer = document == null ? null : document.get("issuer");
    if (issuer == null || !spec.issuer().toString().equals(issuer.asText())) {
      throw new IOException("the discovery document at " + discovery + " names another issuer");
    }
    JsonNode jwksUri = document.get("jwks_uri");
    if (jwksUri == null || !jwksUri.isTextual()) {
      throw new IOException("the discovery document at " + discovery + " has no jwks_uri");
    }
    try {
      return Authorizers.secureUri(jwksUri.asText(), "jwks_uri");
    } catch (IllegalArgumentException e) {
      throw new IOException("the discovery document at " + discovery + ": " + e.getMessage());
    }
  }

  private static String describe(Throwable failure) {
    if (failure == null) {
      return "unknown reason";
    }
    Throwable cause = failure.getCause() != null && failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure;
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message.replace("\n", " "));
  }

  private static CompletableFuture<AuthorizerOutcome> done(AuthorizerOutcome outcome) {
    return CompletableFuture.completedFuture(outcome);
  }

  @Override
  public void close() throws IOException {
    JWKSetSource<SecurityContext> jwks = source;
    if (jwks != null) {
      jwks.close();
    }
  }
}

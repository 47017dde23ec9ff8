package dev.lambdaproxy.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import dev.lambdaproxy.testing.FakeLambda;
import dev.lambdaproxy.testing.Handlers;
import dev.lambdaproxy.testing.OidcIssuer;
import dev.lambdaproxy.testing.ProxyHarness;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * JWT authorizers end to end: an OIDC issuer on loopback (discovery and JWKS), tokens minted with
 * keys this test makes, the proxy validating them as HTTP APIs do, and the claims in the events.
 */
class JwtAuthorizerEndToEndTest {

  private static final String KEY = "AKIDJWTTEST";
  private static final String SECRET = "jwt/test+SECRET/9a8b7c";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static OidcIssuer issuers;
  private static OidcIssuer.Issuer users;
  private static OidcIssuer.Issuer rotating;
  private static OidcIssuer.Issuer flaky;
  private static OidcIssuer.Issuer direct;
  private static FakeLambda lambda;
  private static ProxyHarness proxy;

  @BeforeAll
  static void start() throws Exception {
    issuers = OidcIssuer.start();
    users = issuers.issuer("users");
    rotating = issuers.issuer("rotating");
    flaky = issuers.issuer("flaky");
    direct = issuers.issuer("direct");
    lambda = FakeLambda.builder()
        .credentials(KEY, SECRET)
        .function("recorder", Handlers.returning("{\"statusCode\":200,\"body\":\"in\"}"))
        .start();
    proxy = ProxyHarness.builder()
        .lambda(lambda, KEY, SECRET)
        .settings("""
            authorizer.users.type = jwt
            authorizer.users.issuer = %s
            authorizer.users.audience = app, cli
            authorizer.rotating.type = jwt
            authorizer.rotating.issuer = %s
            authorizer.rotating.audience = app
            authorizer.flaky.type = jwt
            authorizer.flaky.issuer = %s
            authorizer.flaky.audience = app
            authorizer.flaky.jwks-refresh = 1s
            authorizer.direct.type = jwt
            authorizer.direct.issuer = %s
            authorizer.direct.audience = app
            authorizer.direct.jwks-uri = %s/jwks
            authorizer.direct.identity-source = $request.header.X-Id-Token
            """.formatted(users.uri(), rotating.uri(), flaky.uri(), direct.uri(), direct.uri()))
        .routes("""
            /v2/me = recorder ; event=apigw-v2 ; authorizer=users
            /v1/me = recorder ; event=apigw-v1 ; authorizer=users
            /orders = recorder ; event=apigw-v2 ; authorizer=users ; scopes=orders.read,orders.admin
            /rotating = recorder ; event=apigw-v2 ; authorizer=rotating
            /flaky = recorder ; event=apigw-v2 ; authorizer=flaky
            /direct = recorder ; event=apigw-v2 ; authorizer=direct
            /open = recorder ; event=apigw-v2
            """)
        .start();
  }

  @AfterAll
  static void stop() throws Exception {
    proxy.close();
    lambda.close();
    issuers.close();
  }

  @BeforeEach
  void forget() {
    lambda.reset();
  }

  private static HttpResponse<String> get(String path, String authorization) {
    HttpRequest.Builder request = HttpRequest.newBuilder(proxy.uri(path)).GET();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return proxy.send(request);
  }

  private static JsonNode lastEvent() {
    return lambda.lastInvocation().payloadJson();
  }

  private static void assertUnauthorized(HttpResponse<String> response) {
    assertEquals(401, response.statusCode(), response.body());
    assertEquals("{\"message\":\"Unauthorized\"}", response.body());
    assertEquals("UnauthorizedException", response.headers().firstValue("x-amzn-ErrorType").orElse(null));
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    String challenge = response.headers().firstValue("WWW-Authenticate").orElse("");
    assertTrue(challenge.startsWith("Bearer error=\"invalid_token\""), challenge);
    assertEquals(0, lambda.invocations().size(), "the function was not invoked");
  }

  @Test
  void aGoodRsaTokenReachesTheFunctionWithItsClaimsAsStringsIn20() {
    String token = users.token()
        .claim("email_verified", true).claim("groups", List.of("admins", "ops")).claim("level", 42)
        .claim("address", Map.of("country", "NL")).claim("scope", "profile orders.read")
        .sign(users.rsa());
    HttpResponse<String> response = get("/v2/me", "Bearer " + token);
    assertEquals(200, response.statusCode(), response.body());
    JsonNode jwt = lastEvent().at("/requestContext/authorizer/jwt");
    JsonNode claims = jwt.get("claims");
    assertEquals(users.uri(), claims.get("iss").asText());
    assertEquals("user-1", claims.get("sub").asText());
    assertEquals("true", claims.get("email_verified").textValue());
    assertEquals("[admins ops]", claims.get("groups").textValue());
    assertEquals("42", claims.get("level").textValue());
    assertEquals("{\"country\":\"NL\"}", claims.get("address").textValue());
    assertTrue(claims.get("exp").textValue().matches("\\d{10}"), "epoch seconds: " + claims.get("exp"));
    assertEquals("[\"profile\",\"orders.read\"]", jwt.get("scopes").toString());
  }

  @Test
  void aGoodEcTokenWithoutBearerReachesA10EventAsClaimsAndScopes() {
    String token = users.token().claim("scp", List.of("a", "b")).claim("n", 7).sign(users.ec());
    HttpResponse<String> response = get("/v1/me", token);
    assertEquals(200, response.statusCode(), response.body());
    JsonNode authorizer = lastEvent().at("/requestContext/authorizer");
    assertEquals("7", authorizer.at("/claims/n").textValue());
    assertEquals("app", authorizer.at("/claims/aud").textValue());
    assertEquals("[\"a\",\"b\"]", authorizer.get("scopes").toString());
  }

  @Test
  void anAudArrayHoldingOneAudienceAndAClientIdWithoutAudAreAccepted() {
    assertEquals(200, get("/v2/me", "Bearer " + users.token().claim("aud", List.of("other", "cli")).sign(users.rsa())).statusCode());
    assertEquals(200, get("/v2/me", "Bearer " + users.token().without("aud").claim("client_id", "app").sign(users.rsa())).statusCode());
    assertEquals("null", lastEvent().at("/requestContext/authorizer/jwt/scopes").toString(), "no scopes in the token");
  }

  static Stream<Arguments> refusedTokens() {
    long now = Instant.now().getEpochSecond();
    RSAKey stranger = OidcIssuer.newRsaKey("rsa-1"); // the issuer's kid, another key
    ECKey strangerEc = OidcIssuer.newEcKey("ec-1", Curve.P_256);
    Function<OidcIssuer.Issuer, String> expired = i -> i.token().claim("iat", now - 4000).claim("exp", now - 3600).sign(i.rsa());
    return Stream.of(
        Arguments.of("no token at all", (Function<OidcIssuer.Issuer, String>) i -> null),
        Arguments.of("Bearer with nothing after it", (Function<OidcIssuer.Issuer, String>) i -> "Bearer "),
        Arguments.of("not a JWT", (Function<OidcIssuer.Issuer, String>) i -> "Bearer not.a.jwt"),
        Arguments.of("expired", expired),
        Arguments.of("nbf in the future", (Function<OidcIssuer.Issuer, String>) i -> i.token().claim("nbf", now + 600).sign(i.rsa())),
        Arguments.of("iat in the future beyond the skew",
            (Function<OidcIssuer.Issuer, String>) i -> i.token().claim("iat", now + 600).sign(i.rsa())),
        Arguments.of("no exp", (Function<OidcIssuer.Issuer, String>) i -> i.token().without("exp").sign(i.rsa())),
        Arguments.of("another issuer",
            (Function<OidcIssuer.Issuer, String>) i -> i.token().claim("iss", "https://evil.example.com").sign(i.rsa())),
        Arguments.of("another audience", (Function<OidcIssuer.Issuer, String>) i -> i.token().claim("aud", "other").sign(i.rsa())),
        Arguments.of("alg none", (Function<OidcIssuer.Issuer, String>) i -> i.token().unsigned()),
        Arguments.of("HS256 with the issuer's kid",
            (Function<OidcIssuer.Issuer, String>) i -> i.token().signHs256("rsa-1", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8))),
        Arguments.of("an RSA key outside the JWKS under a published kid", (Function<OidcIssuer.Issuer, String>) i -> i.token().sign(stranger)),
        Arguments.of("an EC key outside the JWKS under a published kid", (Function<OidcIssuer.Issuer, String>) i -> i.token().sign(strangerEc)),
        Arguments.of("a token whose signature was tampered with", (Function<OidcIssuer.Issuer, String>) i -> {
          String good = i.token().sign(i.rsa());
          String[] parts = good.split("\\.");
          String otherClaims = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
              ("{\"iss\":\"" + i.uri() + "\",\"aud\":\"app\",\"sub\":\"admin\",\"exp\":" + (now + 300) + "}").getBytes(StandardCharsets.UTF_8));
          return parts[0] + "." + otherClaims + "." + parts[2];
        }));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedTokens")
  void anInvalidTokenIs401AndTheFunctionIsNotInvoked(String name, Function<OidcIssuer.Issuer, String> token) {
    String value = token.apply(users);
    assertUnauthorized(get("/v2/me", value == null ? null : value.startsWith("Bearer") ? value : "Bearer " + value));
  }

  @Test
  void aRouteWithScopesNeedsOneOfThemInScpOrScope() {
    assertEquals(200, get("/orders", "Bearer " + users.token().claim("scp", List.of("orders.read")).sign(users.rsa())).statusCode());
    assertEquals(200, get("/orders", "Bearer " + users.token().claim("scope", "email orders.admin").sign(users.rsa())).statusCode());
    lambda.reset();
    for (String token : List.of(users.token().claim("scope", "profile").sign(users.rsa()), users.token().sign(users.rsa()))) {
      HttpResponse<String> response = get("/orders", "Bearer " + token);
      assertEquals(403, response.statusCode(), response.body());
      assertEquals("{\"message\":\"Forbidden\"}", response.body());
      assertEquals("ForbiddenException", response.headers().firstValue("x-amzn-ErrorType").orElse(null));
      assertEquals("Bearer error=\"insufficient_scope\", scope=\"orders.read orders.admin\"",
          response.headers().firstValue("WWW-Authenticate").orElse(null));
    }
    assertEquals(0, lambda.invocations().size());
  }

  @Test
  void aKeyRotationIsPickedUpByOneRateLimitedRefetch() {
    assertEquals(200, get("/rotating", "Bearer " + rotating.token().sign(rotating.rsa())).statusCode());
    assertEquals(1, rotating.jwksFetches(), "the keys are fetched once");
    assertEquals(200, get("/rotating", "Bearer " + rotating.token().sign(rotating.ec())).statusCode());
    assertEquals(1, rotating.jwksFetches(), "a known kid needs no fetch");

    RSAKey next = OidcIssuer.newRsaKey("rsa-2");
    rotating.publish(next);
    assertEquals(200, get("/rotating", "Bearer " + rotating.token().sign(next)).statusCode());
    assertEquals(2, rotating.jwksFetches(), "an unknown kid fetched the keys again");

    lambda.reset();
    for (int i = 0; i < 5; i++) {
      assertUnauthorized(get("/rotating", "Bearer " + rotating.token().sign(OidcIssuer.newEcKey("ghost-" + i, Curve.P_256))));
    }
    assertEquals(2, rotating.jwksFetches(), "unknown kids do not make the issuer refetch more than the rate limit allows");
    assertEquals(1, rotating.discoveries());
  }

  @Test
  void anOutageOfTheIssuerKeepsTheLastKeys() throws Exception {
    String token = "Bearer " + flaky.token().sign(flaky.rsa());
    assertEquals(200, get("/flaky", token).statusCode());
    int fetchesBefore = flaky.jwksFetches();
    flaky.down(true);
    try {
      long deadline = System.nanoTime() + 20_000_000_000L;
      // jwks-refresh = 1s: once a second has passed, a request makes the proxy try the (down) issuer again.
      while (flaky.jwksFetches() == fetchesBefore) {
        if (System.nanoTime() > deadline) {
          fail("the proxy never tried to refetch the keys of the down issuer");
        }
        assertEquals(200, get("/flaky", token).statusCode(), "served with the last keys");
        Thread.sleep(100);
      }
      assertEquals(200, get("/flaky", token).statusCode(), "still served after a failed refetch");
      assertEquals(200, get("/flaky", "Bearer " + flaky.token().sign(flaky.ec())).statusCode());
    } finally {
      flaky.down(false);
    }
  }

  @Test
  void aGivenJwksUrlNeedsNoDiscoveryAndTheTokenMayComeFromAnotherHeader() {
    HttpResponse<String> response = proxy.send(HttpRequest.newBuilder(proxy.uri("/direct"))
        .header("X-Id-Token", direct.token().sign(direct.ec())).GET());
    assertEquals(200, response.statusCode(), response.body());
    assertEquals(0, direct.discoveries());
    lambda.reset();
    assertUnauthorized(get("/direct", "Bearer " + direct.token().sign(direct.ec())));
  }

  @Test
  void aRouteWithoutAnAuthorizerAsksForNothing() throws Exception {
    assertEquals(200, get("/open", null).statusCode());
    JsonNode context = JSON.readTree(lambda.lastInvocation().payload()).get("requestContext");
    assertTrue(context.get("authorizer") == null, "no authorizer in the event: " + context);
  }
}

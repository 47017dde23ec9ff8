package dev.lambdaproxy.authorizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lambdaproxy.config.ConfigException;
import dev.lambdaproxy.credentials.CredentialsUnavailableException;
import dev.lambdaproxy.runtime.ConfSource;
import dev.lambdaproxy.runtime.ProxyConfig;
import java.io.Reader;
import java.io.StringReader;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The authorizer.NAME.* settings: read, defaulted and refused at load, every error naming its file and line. */
class AuthorizersTest {

  private static final String JWT = """
      authorizer.users.type = jwt
      authorizer.users.issuer = https://issuer.example.com/pool
      authorizer.users.audience = app-one, app-two
      """;
  private static final String GATE = """
      authorizer.gate.type = request
      authorizer.gate.function = arn:aws:lambda:eu-central-1:111122223333:function:gatekeeper:live
      authorizer.gate.identity-source = $request.header.Authorization, $request.querystring.tenant
      authorizer.gate.ttl = 5m
      authorizer.gate.simple-responses = true
      """;

  static ProxyConfig load(String settings, String routes) {
    ConfSource conf = new ConfSource() {
      @Override
      public Reader open(String fileName) {
        return new StringReader(fileName.equals("routes.properties") ? routes : settings);
      }

      @Override
      public String describe() {
        return "test";
      }
    };
    return ProxyConfig.load(conf, Map.of("AWS_REGION", "eu-west-1"), () -> {
      throw new CredentialsUnavailableException("none in this test");
    }, Clock.systemUTC());
  }

  private static String refused(String settings, String routes) {
    return assertThrows(ConfigException.class, () -> load(settings, routes)).getMessage();
  }

  @Test
  void aJwtAuthorizerTakesItsIssuerAudiencesAndDefaults() {
    AuthorizerSpec.Jwt users = (AuthorizerSpec.Jwt) load(JWT, "/me = me ; authorizer=users ; scopes=read\n").authorizers().get("users");
    assertEquals(URI.create("https://issuer.example.com/pool"), users.issuer());
    assertEquals(List.of("app-one", "app-two"), users.audiences());
    assertNull(users.jwksUri());
    assertEquals(IdentitySource.AUTHORIZATION, users.identitySource());
    assertEquals(Duration.ofSeconds(60), users.clockSkew());
    assertEquals(Duration.ofMinutes(5), users.jwksRefresh());
    assertEquals(URI.create("https://issuer.example.com/pool/.well-known/openid-configuration"), users.discoveryUri());
  }

  @Test
  void aLambdaAuthorizerTakesItsFunctionSourcesTtlAndTheArnOfItsFunction() {
    AuthorizerSpec.Lambda gate = (AuthorizerSpec.Lambda) load(GATE, "/orders = orders ; authorizer=GATE\n").authorizers().get("gate");
    assertEquals(AuthorizerType.REQUEST, gate.type());
    assertEquals("gatekeeper", gate.function().name());
    assertEquals("live", gate.function().qualifier());
    assertEquals(List.of(new IdentitySource(true, "Authorization"), new IdentitySource(false, "tenant")), gate.identitySources());
    assertEquals(Duration.ofMinutes(5), gate.ttl());
    assertTrue(gate.simpleResponses());
    assertEquals(Duration.ofMillis(3000), gate.timeout(), "the proxy's timeout-ms");
    assertEquals("eu-central-1", gate.target().signingRegion(), "the ARN's region signs the call");
    assertEquals("arn:aws:execute-api:eu-central-1:111122223333:lambda-proxy/$default/GET/orders/7", gate.arn().of("GET", "/orders/7"));
  }

  @Test
  void theArnPartsCanBeSetAsTheApiGatewayPoliciesExpectThem() {
    AuthorizerSpec.Lambda token = (AuthorizerSpec.Lambda) load("""
        authorizer.legacy.type = token
        authorizer.legacy.function = legacy-auth
        authorizer.legacy.region = us-west-2
        authorizer.legacy.account = 123456789012
        authorizer.legacy.api-id = a1b2c3d4e5
        authorizer.legacy.stage = prod
        authorizer.legacy.ttl = 0s
        authorizer.legacy.timeout = 800ms
        """, "/x = x ; authorizer=legacy\n").authorizers().get("legacy");
    assertEquals("arn:aws:execute-api:us-west-2:123456789012:a1b2c3d4e5/prod/POST/", token.arn().of("POST", "/"));
    assertEquals("eu-west-1", token.target().signingRegion(), "the function itself is in the proxy's region");
    assertEquals(Duration.ZERO, token.ttl());
    assertEquals(Duration.ofMillis(800), token.timeout());
    assertEquals(List.of(IdentitySource.AUTHORIZATION), token.identitySources());
  }

  @Test
  void anAuthorizerNobodyNamesIsFineAndARouteWithoutOneAsksNothing() {
    ProxyConfig config = load(JWT + GATE, "/open = open\n");
    assertEquals(2, config.authorizers().byName().size());
    assertNull(config.authorizers().of(config.routes().routes().get(0)));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "an unknown key names its line and the key it resembles|authorizer.users.isuer = x|lambda-proxy.properties:4: unknown setting 'authorizer.users.isuer' (did you mean 'authorizer.users.issuer'?)",
      "a key without a name|authorizer.type = jwt|lambda-proxy.properties:4: 'authorizer.type' must be authorizer.NAME.KEY",
      "a Lambda key on a jwt authorizer|authorizer.users.function = f|lambda-proxy.properties:4: 'authorizer.users.function' does not apply to a jwt authorizer",
      "an unknown type|authorizer.other.type = cognito|lambda-proxy.properties:4: 'authorizer.other.type': 'cognito' is not an authorizer type",
      "a type missing|authorizer.other.issuer = https://a.example|lambda-proxy.properties:4: authorizer 'other' needs 'authorizer.other.type'",
      "a required key missing|authorizer.other.type = jwt|lambda-proxy.properties:4: authorizer 'other' needs 'authorizer.other.issuer'",
  })
  void aBadSettingStopsTheStartNamingItsLine(String name, String line, String expected) {
    String message = refused(JWT + line + "\n", "/me = me\n");
    assertTrue(message.startsWith(expected), message);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "plain http on another host|http://issuer.example.com|must be https://",
      "plain http on a name that merely starts like loopback|http://127.0.0.1.example.com|must be https://",
      "no scheme|issuer.example.com|is not an https:// URL",
      "a query|https://issuer.example.com/?x=1|may not have a query",
  })
  void anIssuerThatIsNotHttpsIsRefused(String name, String issuer, String expected) {
    String message = refused(JWT.replace("https://issuer.example.com/pool", issuer), "/me = me\n");
    assertTrue(message.startsWith("lambda-proxy.properties:2: 'authorizer.users.issuer': "), message);
    assertTrue(message.contains(expected), message);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"http://127.0.0.1:8123/issuer", "http://localhost:9000", "http://[::1]:9000/x", "http://127.10.20.30"})
  void plainHttpIsAllowedOnLoopback(String issuer) {
    AuthorizerSpec.Jwt users = (AuthorizerSpec.Jwt) load(JWT.replace("https://issuer.example.com/pool", issuer), "/me = me\n")
        .authorizers().get("users");
    assertEquals(URI.create(issuer), users.issuer());
  }

  @Test
  void aJwksUrlFollowsTheSameRule() {
    String message = refused(JWT + "authorizer.users.jwks-uri = http://keys.example.com/jwks.json\n", "/me = me\n");
    assertTrue(message.startsWith("lambda-proxy.properties:4: 'authorizer.users.jwks-uri': the JWKS URL must be https://"), message);
  }

  @Test
  void aRouteNamingAnUnknownAuthorizerNamesItsLineAndTheDefinedOnes() {
    String message = refused(JWT + GATE, "/open = open\n/me = me ; authorizer=user\n");
    assertEquals("routes.properties:2: authorizer 'user' is not defined in lambda-proxy.properties; defined: gate, users"
        + " (did you mean 'users'?)", message);
  }

  @Test
  void scopesNeedAJwtAuthorizer() {
    String message = refused(GATE, "/orders = orders ; authorizer=gate ; scopes=orders.read\n");
    assertTrue(message.startsWith("routes.properties:1: scopes= needs a jwt authorizer; 'gate' is a request authorizer"), message);
  }

  @Test
  void cachingBehindAnAuthorizerNeedsAnIdentityToKeepAnswersApart() {
    String anyone = """
        authorizer.open.type = request
        authorizer.open.function = judge
        authorizer.open.identity-source =
        authorizer.open.ttl = 0s
        """;
    assertEquals(List.of(), ((AuthorizerSpec.Lambda) load(anyone, "/a = a ; authorizer=open\n").authorizers().get("open"))
        .identitySources());
    String message = refused(anyone, "/a = a ; authorizer=open ; cache=30s\n");
    assertTrue(message.startsWith("routes.properties:1: cache= on a route with authorizer 'open' needs the authorizer's"), message);
    load(JWT, "/me = me ; authorizer=users ; cache=30s\n"); // the token is the identity
    String cachedWithoutIdentity = refused(anyone.replace("ttl = 0s", "ttl = 10s"), "/a = a\n");
    assertTrue(cachedWithoutIdentity.startsWith("lambda-proxy.properties:4: 'authorizer.open.ttl': decisions are cached by the"
        + " identity sources: with none, set ttl = 0s"), cachedWithoutIdentity);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "a ttl without a unit|authorizer.gate.ttl = 300|'authorizer.gate.ttl': '300' is not a duration",
      "a ttl over an hour|authorizer.gate.ttl = 2h|'authorizer.gate.ttl': '2h' is outside 0s to 3600s",
      "a token authorizer without an identity source|authorizer.gate.identity-source =|'authorizer.gate.identity-source': a token authorizer reads its token from exactly one",
      "a bad identity source|authorizer.gate.identity-source = header.Authorization|is not an identity source",
      "simple responses on a token authorizer|authorizer.gate.simple-responses = true|does not apply to a token authorizer",
      "two sources for a token|authorizer.gate.identity-source = $request.header.A, $request.header.B|exactly one identity source",
      "a bad account|authorizer.gate.account = 12345|is not a 12-digit AWS account id",
      "a timeout over 30s|authorizer.gate.timeout = 31s|is outside 1ms to 30s",
  })
  void aBadLambdaAuthorizerSettingIsRefused(String name, String line, String expected) {
    String message = refused("""
        authorizer.gate.type = token
        authorizer.gate.function = gatekeeper
        """ + line + "\n", "/x = x\n");
    assertTrue(message.startsWith("lambda-proxy.properties:"), message);
    assertTrue(message.contains(expected), message);
  }

  @Test
  void aFunctionWithoutARegionIsRefused() {
    ConfSource conf = new ConfSource() {
      @Override
      public Reader open(String fileName) {
        return new StringReader(fileName.equals("routes.properties") ? "/x = arn:aws:lambda:eu-west-1:111122223333:function:x\n"
            : "authorizer.gate.type = token\nauthorizer.gate.function = gatekeeper\n");
      }

      @Override
      public String describe() {
        return "test";
      }
    };
    String message = assertThrows(ConfigException.class, () -> ProxyConfig.load(conf, Map.of(), () -> {
      throw new CredentialsUnavailableException("none");
    }, Clock.systemUTC())).getMessage();
    assertTrue(message.startsWith("lambda-proxy.properties:2: 'authorizer.gate.function': no region for function gatekeeper"), message);
  }

  @Test
  void identitySourcesReadHeadersAnyCaseAndDecodedQueryParameters() {
    IdentitySource header = IdentitySource.parse("$request.header.X-Token");
    IdentitySource query = IdentitySource.parse("method.request.querystring.tenant");
    List<dev.lambdaproxy.invoke.event.Header> headers = List.of(new dev.lambdaproxy.invoke.event.Header("x-token", "a"),
        new dev.lambdaproxy.invoke.event.Header("X-TOKEN", "b"));
    assertEquals("a,b", header.valueIn(headers, null));
    assertEquals("acme corp", query.valueIn(List.of(), "x=1&tenant=acme%20corp"));
    assertNull(query.valueIn(List.of(), "tenant="), "an empty value is a missing one");
    assertNull(header.valueIn(List.of(new dev.lambdaproxy.invoke.event.Header("X-Token", "  ")), null));
    assertFalse(header.equals(query));
  }
}

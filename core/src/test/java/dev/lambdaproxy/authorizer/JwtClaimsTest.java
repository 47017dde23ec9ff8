package dev.lambdaproxy.authorizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A JWT's claims as HTTP APIs check them, against a clock the test holds (now = 1767225600, skew 60 s). */
class JwtClaimsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long NOW = 1_767_225_600L;

  private static JwtAuthorizer authorizer() {
    LambdaAuthorizerTest.TestClock clock = new LambdaAuthorizerTest.TestClock();
    AuthorizerSpec.Jwt spec = new AuthorizerSpec.Jwt("users", URI.create("https://issuer.example.com"), List.of("app", "cli"), null,
        IdentitySource.AUTHORIZATION, Duration.ofSeconds(60), Duration.ofMinutes(5));
    return new JwtAuthorizer(spec, Runnable::run, clock);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      "a good token|'iss':'https://issuer.example.com','aud':'app','exp':NOW+300|-",
      "an aud array holding one audience|'iss':'https://issuer.example.com','aud':['other','cli'],'exp':NOW+300|-",
      "client_id without aud|'iss':'https://issuer.example.com','client_id':'app','exp':NOW+300|-",
      "aud wins over client_id|'iss':'https://issuer.example.com','aud':'other','client_id':'app','exp':NOW+300|the token does not have a valid audience",
      "another audience|'iss':'https://issuer.example.com','aud':'other','exp':NOW+300|the token does not have a valid audience",
      "neither aud nor client_id|'iss':'https://issuer.example.com','exp':NOW+300|the token does not have a valid audience",
      "another issuer|'iss':'https://evil.example.com','aud':'app','exp':NOW+300|the token does not have a valid issuer",
      "an issuer with a trailing slash|'iss':'https://issuer.example.com/','aud':'app','exp':NOW+300|the token does not have a valid issuer",
      "no exp|'iss':'https://issuer.example.com','aud':'app'|the token has no exp",
      "expired beyond the skew|'iss':'https://issuer.example.com','aud':'app','exp':NOW-61|the token has expired",
      "expired within the skew|'iss':'https://issuer.example.com','aud':'app','exp':NOW-59|-",
      "nbf in the future beyond the skew|'iss':'https://issuer.example.com','aud':'app','exp':NOW+300,'nbf':NOW+61|the token is not valid yet",
      "nbf within the skew|'iss':'https://issuer.example.com','aud':'app','exp':NOW+300,'nbf':NOW+59|-",
      "iat in the future beyond the skew|'iss':'https://issuer.example.com','aud':'app','exp':NOW+300,'iat':NOW+61|the token was issued in the future",
      "iat in the past|'iss':'https://issuer.example.com','aud':'app','exp':NOW+300,'iat':NOW-3600|-",
      "exp as a string|'iss':'https://issuer.example.com','aud':'app','exp':'soon'|the token has no exp",
  })
  void claimsAreCheckedAsHttpApisCheckThem(String name, String claims, String problem) throws Exception {
    String json = "{" + claims.replace('\'', '"')
        .replace("NOW+300", Long.toString(NOW + 300)).replace("NOW-61", Long.toString(NOW - 61))
        .replace("NOW-59", Long.toString(NOW - 59)).replace("NOW+61", Long.toString(NOW + 61))
        .replace("NOW+59", Long.toString(NOW + 59)).replace("NOW-3600", Long.toString(NOW - 3600)) + "}";
    assertEquals(problem, authorizer().claimsProblem(JSON.readTree(json)));
  }

  @Test
  void scopesComeFromScpAndScopeAsStringsOrArrays() throws Exception {
    assertEquals(List.of("a", "b", "c"), JwtAuthorizer.scopes(JSON.readTree("{\"scp\":[\"a\",\"b\"],\"scope\":\"b c\"}")));
    assertEquals(List.of("orders.read"), JwtAuthorizer.scopes(JSON.readTree("{\"scope\":\" orders.read \"}")));
    assertEquals(List.of(), JwtAuthorizer.scopes(JSON.readTree("{}")));
  }

  @Test
  void theTokenIsTheAuthorizationValueWithOrWithoutBearer() {
    assertEquals("abc", JwtAuthorizer.bearer("Bearer abc"));
    assertEquals("abc", JwtAuthorizer.bearer("bearer  abc "));
    assertEquals("abc", JwtAuthorizer.bearer("abc"));
    assertNull(JwtAuthorizer.bearer("Bearer "));
    assertNull(JwtAuthorizer.bearer(null));
  }
}

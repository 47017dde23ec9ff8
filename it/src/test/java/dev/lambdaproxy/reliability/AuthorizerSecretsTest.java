package dev.lambdaproxy.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ch.qos.logback.classic.Level;
import dev.lambdaproxy.testing.FakeLambda;
import dev.lambdaproxy.testing.Handlers;
import dev.lambdaproxy.testing.LambdaReply;
import dev.lambdaproxy.testing.OidcIssuer;
import dev.lambdaproxy.testing.ProxyHarness;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tokens and claims' values never reach the log, whatever an authorizer decides, at DEBUG. */
class AuthorizerSecretsTest {

  private static final String KEY = "AKIDAUTHSECRETS";
  private static final String SECRET = "auth/secrets+SECRET/1q2w3e";
  private static final String CLAIM_VALUE = "claim-value-8c1f4e";
  private static final String LAMBDA_TOKEN = "lambda-token-5d6e7f";

  @Test
  void noTokenOrClaimValueIsLogged() throws Exception {
    List<String> secrets = new ArrayList<>();
    String all;
    try (OidcIssuer issuers = OidcIssuer.start();
        FakeLambda lambda = FakeLambda.builder().credentials(KEY, SECRET)
            .function("recorder", Handlers.returning("{\"statusCode\":200,\"body\":\"in\"}"))
            .function("gate", invocation -> LambdaReply.functionError("Unhandled", "Error", "Unauthorized"))
            .start()) {
      OidcIssuer.Issuer users = issuers.issuer("users");
      LogCapture logs = LogCapture.start(Level.DEBUG);
      try (logs;
          ProxyHarness proxy = ProxyHarness.builder().lambda(lambda, KEY, SECRET)
              .settings("""
                  authorizer.users.type = jwt
                  authorizer.users.issuer = %s
                  authorizer.users.audience = app
                  authorizer.gate.type = token
                  authorizer.gate.function = gate
                  """.formatted(users.uri()))
              .routes("""
                  /me = recorder ; event=apigw-v2 ; authorizer=users ; scopes=admin
                  /gate = recorder ; event=apigw-v1 ; authorizer=gate
                  """)
              .start()) {
        String good = users.token().claim("email", CLAIM_VALUE).claim("scope", "admin").sign(users.rsa());
        String noScope = users.token().claim("email", CLAIM_VALUE).sign(users.rsa());
        String expired = users.token().claim("email", CLAIM_VALUE).claim("exp", 1_000_000_000L).sign(users.rsa());
        String foreign = users.token().claim("email", CLAIM_VALUE).claim("aud", "other").sign(users.rsa());
        secrets.addAll(List.of(good, noScope, expired, foreign, LAMBDA_TOKEN));
        int[] expected = {200, 403, 401, 401};
        for (int i = 0; i < 4; i++) {
          assertEquals(expected[i], proxy.send(HttpRequest.newBuilder(proxy.uri("/me")).header("Authorization", "Bearer " + secrets.get(i)))
              .statusCode());
        }
        assertEquals(401, proxy.send(HttpRequest.newBuilder(proxy.uri("/gate")).header("Authorization", LAMBDA_TOKEN)).statusCode());
        assertTrue(lambda.invocations().get(0).payloadAsString().contains(CLAIM_VALUE), "the claim did reach the function");
      }
      all = logs.text();
      assertTrue(all.contains("authorizer users: 403"), "the decisions were logged at debug: " + all);
      for (String secret : secrets) {
        for (String part : secret.split("\\.")) {
          checkAbsent(all, part);
        }
      }
      checkAbsent(all, CLAIM_VALUE);
    }
  }

  private static void checkAbsent(String all, String secret) {
    int at = all.indexOf(secret);
    if (at >= 0) {
      fail("leaked into the log: ..." + all.substring(Math.max(0, at - 200), Math.min(all.length(), at + secret.length() + 50)));
    }
  }
}

package dev.lambdaproxy.authorizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A Lambda authorizer's IAM policy against request ARNs: wildcards, Allow, Deny, and what is malformed. */
class IamPolicyTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ORDERS_7 = "arn:aws:execute-api:eu-west-1:000000000000:lambda-proxy/$default/GET/orders/7";

  private static IamPolicy policy(String statements) throws Exception {
    return IamPolicy.parse(JSON.readTree("{\"Version\":\"2012-10-17\",\"Statement\":" + statements + "}"));
  }

  private static String statement(String effect, String action, String resource) {
    return "{\"Effect\":\"" + effect + "\",\"Action\":" + action + ",\"Resource\":" + resource + "}";
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "the exact ARN|\"arn:aws:execute-api:eu-west-1:000000000000:lambda-proxy/$default/GET/orders/7\"|true",
      "another path|\"arn:aws:execute-api:eu-west-1:000000000000:lambda-proxy/$default/GET/orders/8\"|false",
      "a star for the rest|\"arn:aws:execute-api:eu-west-1:000000000000:lambda-proxy/$default/GET/*\"|true",
      "a star for the method|\"arn:aws:execute-api:eu-west-1:000000000000:lambda-proxy/$default/*/orders/7\"|true",
      "another method|\"arn:aws:execute-api:eu-west-1:000000000000:lambda-proxy/$default/POST/*\"|false",
      "question marks one character each|\"arn:aws:execute-api:eu-west-1:000000000000:lambda-proxy/$default/G?T/orders/?\"|true",
      "a question mark is not two|\"arn:aws:execute-api:eu-west-1:000000000000:lambda-proxy/$default/GET/orders?\"|false",
      "everything|\"*\"|true",
      "wildcards inside the account|\"arn:aws:execute-api:*:*:lambda-proxy/*\"|true",
      "case matters in ARNs|\"arn:aws:execute-api:eu-west-1:000000000000:lambda-proxy/$default/get/orders/7\"|false",
      "one of several resources|[\"arn:x\",\"arn:aws:execute-api:eu-west-1:000000000000:lambda-proxy/$default/GET/orders/*\"]|true",
  })
  void anAllowOpensWhatItsResourceMatches(String name, String resource, boolean allowed) throws Exception {
    assertEquals(allowed, policy("[" + statement("Allow", "\"execute-api:Invoke\"", resource) + "]").allows(ORDERS_7));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "the action itself|\"execute-api:Invoke\"|true",
      "any case|\"Execute-API:invoke\"|true",
      "a wildcard action|\"execute-api:*\"|true",
      "star|\"*\"|true",
      "an array|[\"s3:GetObject\",\"execute-api:Invoke\"]|true",
      "another action|\"execute-api:ManageConnections\"|false",
  })
  void aStatementAppliesOnlyToTheInvokeAction(String name, String action, boolean allowed) throws Exception {
    assertEquals(allowed, policy(statement("Allow", action, "\"*\"")).allows(ORDERS_7));
  }

  @Test
  void anExplicitDenyWinsOverAnyAllowWhateverTheOrder() throws Exception {
    String allowAll = statement("Allow", "\"execute-api:Invoke\"", "\"*\"");
    String denyOrders = statement("Deny", "\"execute-api:Invoke\"", "\"arn:aws:execute-api:*:*:*/*/*/orders/*\"");
    assertEquals(false, policy("[" + allowAll + "," + denyOrders + "]").allows(ORDERS_7));
    assertEquals(false, policy("[" + denyOrders + "," + allowAll + "]").allows(ORDERS_7));
    assertEquals(true, policy("[" + allowAll + "," + denyOrders + "]").allows(ORDERS_7.replace("orders/7", "users/7")));
  }

  @Test
  void withoutAnAllowTheRequestIsDenied() throws Exception {
    assertEquals(false, policy("[" + statement("Deny", "\"execute-api:Invoke\"", "\"arn:nothing\"") + "]").allows(ORDERS_7));
    assertEquals(false, policy("[]").allows(ORDERS_7));
  }

  @Test
  void aConditionalAllowAllowsNothingButAConditionalDenyStillDenies() throws Exception {
    String conditionalAllow = "{\"Effect\":\"Allow\",\"Action\":\"execute-api:Invoke\",\"Resource\":\"*\",\"Condition\":{}}";
    String conditionalDeny = "{\"Effect\":\"Deny\",\"Action\":\"execute-api:Invoke\",\"Resource\":\"*\",\"Condition\":{}}";
    assertEquals(false, policy("[" + conditionalAllow + "]").allows(ORDERS_7));
    assertEquals(false, policy("[" + statement("Allow", "\"*\"", "\"*\"") + "," + conditionalDeny + "]").allows(ORDERS_7));
  }

  @Test
  void aSingleStatementObjectIsAStatementList() throws Exception {
    assertTrue(policy(statement("Allow", "\"execute-api:Invoke\"", "\"*\"")).allows(ORDERS_7));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "no Statement|{\"Version\":\"2012-10-17\"}",
      "an Effect that is neither|{\"Statement\":[{\"Effect\":\"Maybe\",\"Action\":\"*\",\"Resource\":\"*\"}]}",
      "no Resource|{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\"}]}",
      "NotResource|{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"NotResource\":\"x\"}]}",
      "a number as a resource|{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":[1]}]}",
      "not an object|[]",
  })
  void aMalformedPolicyIsRefused(String name, String document) {
    assertThrows(IllegalArgumentException.class, () -> IamPolicy.parse(JSON.readTree(document)));
  }

  @Test
  void wildcardsMatchLikeIam() {
    assertTrue(IamPolicy.matches("a*b*c", "aXXbYYc"));
    assertTrue(IamPolicy.matches("a*", "a"));
    assertTrue(IamPolicy.matches("*", ""));
    assertEquals(false, IamPolicy.matches("a?", "a"));
    assertEquals(false, IamPolicy.matches("a*b", "aXXbY"));
    assertTrue(IamPolicy.matches("**?", "x"));
  }
}

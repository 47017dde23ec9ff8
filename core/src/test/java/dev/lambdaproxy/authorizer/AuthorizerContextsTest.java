package dev.lambdaproxy.authorizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the events carry as requestContext.authorizer: claims and 1.0 context values as API Gateway's strings. */
class AuthorizerContextsTest {

  private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .setNodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "\"text\"|text",
      "42|42",
      "1700000000|1700000000",
      "1.50|1.50",
      "-3|-3",
      "true|true",
      "false|false",
      "[\"a\",\"b\"]|[a b]",
      "[1,true,\"x\"]|[1 true x]",
      "[]|[]",
      "{\"b\":1,\"a\":[2]}|{\"b\":1,\"a\":[2]}",
      "null|null",
  })
  void everyValueBecomesAString(String json, String expected) throws Exception {
    assertEquals(expected, AuthorizerContexts.text(JSON.readTree(json)));
  }

  @Test
  void jwtClaimsAndScopesTakeTheShapeOfEachPayloadVersion() throws Exception {
    var claims = AuthorizerContexts.stringClaims(JSON.readTree("{\"sub\":\"u1\",\"exp\":1700000000,\"groups\":[\"a\",\"b\"]}"));
    assertEquals("{\"claims\":{\"sub\":\"u1\",\"exp\":\"1700000000\",\"groups\":\"[a b]\"},\"scopes\":[\"read\"]}",
        AuthorizerContexts.jwtV1(claims, List.of("read")).toString());
    assertEquals("{\"jwt\":{\"claims\":{\"sub\":\"u1\",\"exp\":\"1700000000\",\"groups\":\"[a b]\"},\"scopes\":null}}",
        AuthorizerContexts.jwtV2(claims, List.of()).toString());
  }

  @Test
  void aLambdaContextIsStringsIn1AndAsReturnedIn2() throws Exception {
    var context = JSON.readTree("{\"count\":3,\"admin\":true,\"name\":\"ada\",\"nested\":{\"x\":1}}");
    assertEquals("{\"principalId\":\"user-1\",\"integrationLatency\":12,\"count\":\"3\",\"admin\":\"true\",\"name\":\"ada\","
        + "\"nested\":\"{\\\"x\\\":1}\"}", AuthorizerContexts.lambdaV1("user-1", context, 12).toString());
    assertEquals("{\"lambda\":{\"count\":3,\"admin\":true,\"name\":\"ada\",\"nested\":{\"x\":1}}}",
        AuthorizerContexts.lambdaV2(context).toString());
    assertEquals("{\"integrationLatency\":0}", AuthorizerContexts.lambdaV1(null, null, 0).toString());
    assertEquals("{\"lambda\":null}", AuthorizerContexts.lambdaV2(null).toString());
  }
}

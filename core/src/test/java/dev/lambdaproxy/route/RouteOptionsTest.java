package dev.lambdaproxy.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lambdaproxy.config.ConfigException;
import dev.lambdaproxy.config.EventFormat;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The API Gateway-era route options: event formats, invocation types, HTTP endpoints and ${ENV} references. */
class RouteOptionsTest {

  private static final Map<String, String> ENV = Map.of("HELLO_KEY", "k-123", "FN", "hello", "HOST", "abc.execute-api.eu-west-1.amazonaws.com");

  private static Route route(String line, EventFormat defaultEvent) throws IOException {
    return RouteTable.parse(new StringReader(line + "\n"), ENV, defaultEvent).routes().get(0);
  }

  private static Route route(String line) throws IOException {
    return route(line, EventFormat.RAW);
  }

  @Test
  void anEndpointUrlMayNameThePathVariablesOfItsRoute() throws IOException {
    HttpEndpoint pet = route("/pets/{petId} = http://petstore.example.com/petstore/pets/{petId}").endpoint();
    assertEquals("/petstore/pets/%7BpetId%7D", pet.uri().getRawPath());
    assertEquals(java.util.Set.of("petId"), pet.pathVariables());
    assertEquals("http://petstore.example.com/petstore/pets/{petId}", pet.display());
    HttpEndpoint greedy = route("/{proxy+} = http://backend.internal/{proxy+}").endpoint();
    assertEquals(java.util.Set.of("proxy"), greedy.pathVariables());
    assertTrue(route("/plain = http://backend.internal/x").endpoint().pathVariables().isEmpty());
  }

  @Test
  void functionOptionsAreRead() throws IOException {
    FunctionTarget target = route("/a = hello ; event=apigw-v2 ; invocation=Event ; log=tail ; function-error-status=500"
        + " ; client-context=\"{\\\"custom\\\":{\\\"app\\\":\\\"web\\\"}}\"").function();
    assertEquals(EventFormat.APIGW_V2, target.event());
    assertEquals(InvocationType.EVENT, target.invocation());
    assertTrue(target.logTail());
    assertEquals(500, target.functionErrorStatus());
    assertEquals("{\"custom\":{\"app\":\"web\"}}", new String(Base64.getDecoder().decode(target.clientContext()), StandardCharsets.UTF_8));
  }

  @Test
  void theEventSettingIsTheDefaultAndARouteOverridesIt() throws IOException {
    assertEquals(EventFormat.APIGW_V1, route("/a = hello", EventFormat.APIGW_V1).function().event());
    assertEquals(EventFormat.RAW, route("/a = hello ; event=raw", EventFormat.APIGW_V1).function().event());
    FunctionTarget plain = route("/a = hello").function();
    assertEquals(InvocationType.REQUEST_RESPONSE, plain.invocation());
    assertEquals(502, plain.functionErrorStatus());
    assertFalse(plain.logTail());
    assertNull(plain.clientContext());
  }

  @Test
  void environmentReferencesAreExpandedInEveryValue() throws IOException {
    assertEquals("hello", route("/a = ${FN}").function().function().reference());
    HttpEndpoint endpoint = route("/b = https://${HOST}/prod ; auth=apikey ; api-key=${HELLO_KEY}").endpoint();
    assertEquals(URI.create("https://abc.execute-api.eu-west-1.amazonaws.com/prod"), endpoint.uri());
    assertEquals("k-123", endpoint.apiKey().reveal());
    assertFalse(endpoint.toString().contains("k-123"), "the key never prints");
  }

  @Test
  void anEndpointUrlIsShownWithItsReferencesUnexpanded() throws IOException {
    HttpEndpoint endpoint = route("/b = https://${HOST}/prod/${HELLO_KEY}").endpoint();
    assertEquals(URI.create("https://abc.execute-api.eu-west-1.amazonaws.com/prod/k-123"), endpoint.uri(), "the call uses the values");
    assertEquals("https://${HOST}/prod/${HELLO_KEY}", endpoint.display());
    assertFalse(endpoint.toString().contains("k-123") || endpoint.toString().contains("abc.execute-api"), endpoint.toString());
  }

  @Test
  void iamEndpointsInferServiceAndRegionFromTheHost() throws IOException {
    HttpEndpoint api = route("/a/* = https://abc123.execute-api.eu-west-1.amazonaws.com/prod ; auth=iam").endpoint();
    assertEquals("execute-api", api.service());
    assertEquals("eu-west-1", api.region());
    HttpEndpoint url = route("/b = https://xyz.lambda-url.us-east-2.on.aws/ ; auth=iam").endpoint();
    assertEquals("lambda", url.service());
    assertEquals("us-east-2", url.region());
    HttpEndpoint custom = route("/c = https://api.example.com ; auth=iam ; service=execute-api ; region=ap-south-1").endpoint();
    assertEquals("execute-api", custom.service());
    assertEquals("ap-south-1", custom.region());
    HttpEndpoint open = route("/d = http://127.0.0.1:9000/fn ; forward-auth=true").endpoint();
    assertEquals(HttpEndpoint.Auth.NONE, open.auth());
    assertTrue(open.forwardAuth());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "/a = ${NOPE}|routes.properties:1: environment variable NOPE is not set",
      "/a = hello ; client-context=${MISSING}|routes.properties:1: environment variable MISSING is not set",
      "/a = ${FN|routes.properties:1: '${' without a closing '}'",
      "/a = hello ; event=apigw|routes.properties:1: 'apigw' is not raw, apigw-v1 or apigw-v2",
      "/a = hello ; evnt=raw|routes.properties:1: unknown option 'evnt' (did you mean 'event'?)",
      "/a = hello ; invocation=async|routes.properties:1: 'async' is not RequestResponse, Event or DryRun",
      "/a = hello ; log=all|routes.properties:1: log 'all' is not tail or none",
      "/a = hello ; function-error-status=200|routes.properties:1: function-error-status '200' is not an error status",
      "/a = hello ; client-context=[1]|routes.properties:1: client-context must be a JSON object",
      "/a = hello ; auth=iam|routes.properties:1: option 'auth' is for HTTP endpoint routes, not a Lambda function",
      "/a = https://example.com ; qualifier=live|routes.properties:1: option 'qualifier' is for Lambda function routes, not an HTTP endpoint",
      "/a = https://example.com ; auth=apikey|routes.properties:1: auth=apikey needs api-key=${ENV_NAME}",
      "/a = https://example.com ; api-key=x|routes.properties:1: api-key is only sent with auth=apikey",
      "/a = https://example.com ; auth=iam|routes.properties:1: auth=iam: the host example.com is neither execute-api nor lambda-url",
      "/a = https://example.com ; auth=basic|routes.properties:1: 'basic' is not none, apikey or iam",
      "/a = https://example.com/?x=1|routes.properties:1: 'https://example.com/?x=1' must not have a query",
      "/a = https://user:pw@example.com|routes.properties:1: the URL of example.com must not carry user info",
      "/a/{id} = https://example.com/x/{name}|routes.properties:1: 'https://example.com/x/{name}': {name} is not a variable of /a/{id} (it has [{id}])",
      "/a = https://example.com/x/{id}|routes.properties:1: 'https://example.com/x/{id}': {id} is not a variable of /a",
      "/a/{id} = https://example.com/x/{id|routes.properties:1: 'https://example.com/x/{id': '{' without a closing '}'",
      "/a/{id} = https://example.com/x/id}|routes.properties:1: 'https://example.com/x/id}': '}' without an opening '{'",
  })
  void badOptionsStopTheStartNamingTheLine(String line, String expectedStart) {
    String message = assertThrows(ConfigException.class,
        () -> RouteTable.parse(new StringReader(line + "\n"), ENV, EventFormat.RAW)).getMessage();
    assertTrue(message.startsWith(expectedStart), () -> "message was: " + message);
    assertFalse(message.contains("k-123") || message.contains("pw@"));
  }
}

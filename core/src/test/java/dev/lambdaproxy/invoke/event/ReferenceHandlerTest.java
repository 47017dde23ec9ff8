package dev.lambdaproxy.invoke.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lambdaproxy.http.ClientAnswer;
import dev.lambdaproxy.invoke.event.ProxyResultDecoder.Format;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reference handler of the issue runs unchanged on both events and its answer decodes back. It
 * is this Node.js function, ported line by line over Jackson trees:
 *
 * <pre>
 * exports.handler = async (event) =&gt; {
 *   let name = event['queryStringParameters'] ? event['queryStringParameters']['name'] : undefined
 *   if (!name &amp;&amp; event.body !== null &amp;&amp; event.body !== undefined) { let body = JSON.parse(event.body); if (body.name) name = body.name }
 *   return { statusCode: 200, body: JSON.stringify(`Hello, ${name}!`) }
 * }
 * </pre>
 */
class ReferenceHandlerTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** JavaScript truthiness of a JSON value, undefined (null here) included. */
  private static boolean truthy(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return false;
    }
    if (value.isTextual()) {
      return !value.textValue().isEmpty();
    }
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    if (value.isNumber()) {
      return value.doubleValue() != 0 && !Double.isNaN(value.doubleValue());
    }
    return true;
  }

  private static JsonNode handler(JsonNode event) throws IOException {
    JsonNode name = truthy(event.get("queryStringParameters")) ? event.get("queryStringParameters").get("name") : null;
    JsonNode body = event.get("body");
    if (!truthy(name) && body != null && !body.isNull()) {
      JsonNode parsed = JSON.readTree(body.textValue());
      if (truthy(parsed.get("name"))) {
        name = parsed.get("name");
      }
    }
    String greeting = "Hello, " + (name == null ? "undefined" : name.asText()) + "!";
    ObjectNode result = JSON.createObjectNode();
    result.put("statusCode", 200);
    result.put("body", JSON.writeValueAsString(greeting));
    return result;
  }

  static Stream<Arguments> cases() {
    Function<ClientRequestView, byte[]> v1 = ApiGatewayV1Event::toJson;
    Function<ClientRequestView, byte[]> v2 = ApiGatewayV2Event::toJson;
    ClientRequestView get = RequestBuilder.get("/hello").query("name=APISIX").build();
    ClientRequestView post = RequestBuilder.post("/hello").body("application/json", "{\"name\":\"APISIX\"}").build();
    return Stream.of(
        Arguments.of("GET /hello?name=APISIX in format 1.0", get, v1, Format.V1),
        Arguments.of("GET /hello?name=APISIX in format 2.0", get, v2, Format.V2),
        Arguments.of("POST /hello {\"name\":\"APISIX\"} in format 1.0", post, v1, Format.V1),
        Arguments.of("POST /hello {\"name\":\"APISIX\"} in format 2.0", post, v2, Format.V2));
  }

  @ParameterizedTest(name = "{0} greets APISIX")
  @MethodSource("cases")
  void theReferenceHandlerGreetsApisix(String name, ClientRequestView request, Function<ClientRequestView, byte[]> event,
      Format format) throws IOException {
    JsonNode result = handler(JSON.readTree(event.apply(request)));

    ProxyResultDecoder.Result decoded = ProxyResultDecoder.decode(JSON.writeValueAsBytes(result), format);

    assertNull(decoded.malformedReason());
    ClientAnswer answer = decoded.answer();
    assertEquals(200, answer.status());
    assertEquals("application/json", answer.contentType());
    // JSON.stringify makes the body a JSON string: the client gets it with its quotes.
    assertEquals("\"Hello, APISIX!\"", new String(answer.body(), StandardCharsets.UTF_8));
    assertEquals("Hello, APISIX!", JSON.readTree(answer.body()).textValue());
  }
}

package dev.lambdaproxy.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Functions written for API Gateway, ported to the fixture so the proxy can be shown to run them unchanged. */
public final class ReferenceHandlers {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ReferenceHandlers() {}

  /**
   * The handler of the public article on APISIX's aws-lambda plugin, line for line:
   * <pre>
   * let name = event['queryStringParameters'] ? event['queryStringParameters']['name'] : undefined
   * if (!name &amp;&amp; event.body !== null &amp;&amp; event.body !== undefined) {
   *   let body = JSON.parse(event.body); if (body.name) name = body.name }
   * return { statusCode: 200, body: JSON.stringify(`Hello, ${name}!`) }
   * </pre>
   */
  public static LambdaHandler apisixHello() {
    return invocation -> {
      JsonNode event = invocation.payloadJson();
      JsonNode query = event.get("queryStringParameters");
      String name = query != null && !query.isNull() && query.hasNonNull("name") ? query.get("name").asText() : null;
      JsonNode body = event.get("body");
      if (name == null && body != null && !body.isNull()) {
        JsonNode parsed = JSON.readTree(body.asText());
        if (parsed.hasNonNull("name")) {
          name = parsed.get("name").asText();
        }
      }
      ObjectNode result = JSON.createObjectNode();
      result.put("statusCode", 200);
      result.put("body", JSON.writeValueAsString("Hello, " + (name == null ? "undefined" : name) + "!"));
      return LambdaReply.json(result.toString());
    };
  }

  /** Answers as Lambda does for the invocation type asked: 202 for Event, 204 for DryRun, the payload echoed otherwise. */
  public static LambdaHandler honouringInvocationType() {
    return invocation -> {
      String type = invocation.header("X-Amz-Invocation-Type");
      if ("Event".equals(type)) {
        return LambdaReply.bytes(new byte[0]).withStatus(202);
      }
      if ("DryRun".equals(type)) {
        return LambdaReply.bytes(new byte[0]).withStatus(204);
      }
      return LambdaReply.bytes(invocation.payload());
    };
  }
}

package dev.lambdaproxy.authorizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * What an authorizer's result looks like inside a function's event, as API Gateway writes
 * {@code requestContext.authorizer} ("Working with AWS Lambda proxy integrations for HTTP APIs",
 * REST's "Input format of a Lambda function for proxy integration"):
 * <ul>
 *   <li>JWT, payload 2.0: {@code {"jwt": {"claims": {...}, "scopes": [...]}}}; 1.0: {@code {"claims": {...}, "scopes": [...]}}.
 *       Every claim's value a string; {@code scopes} the token's, or null when it has none.</li>
 *   <li>Lambda, payload 2.0: {@code {"lambda": context}}, the context exactly as returned (null when none);
 *       1.0: {@code {"principalId": ..., "integrationLatency": ms, key: "string"...}}.</li>
 * </ul>
 */
public final class AuthorizerContexts {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private AuthorizerContexts() {}

  static ObjectNode jwtV1(ObjectNode claims, List<String> scopes) {
    ObjectNode authorizer = NODES.objectNode();
    authorizer.set("claims", claims);
    authorizer.set("scopes", scopes(scopes));
    return authorizer;
  }

  static ObjectNode jwtV2(ObjectNode claims, List<String> scopes) {
    ObjectNode jwt = NODES.objectNode();
    jwt.set("claims", claims);
    jwt.set("scopes", scopes(scopes));
    ObjectNode authorizer = NODES.objectNode();
    authorizer.set("jwt", jwt);
    return authorizer;
  }

  private static JsonNode scopes(List<String> scopes) {
    if (scopes.isEmpty()) {
      return NODES.nullNode();
    }
    ArrayNode array = NODES.arrayNode();
    scopes.forEach(array::add);
    return array;
  }

  static ObjectNode lambdaV1(String principalId, JsonNode context, long integrationLatencyMillis) {
    ObjectNode authorizer = NODES.objectNode();
    if (principalId != null) {
      authorizer.put("principalId", principalId);
    }
    authorizer.put("integrationLatency", integrationLatencyMillis);
    if (context != null && context.isObject()) {
      for (Map.Entry<String, JsonNode> field : context.properties()) {
        if (!field.getKey().equals("principalId") && !field.getKey().equals("integrationLatency")) {
          authorizer.set(field.getKey(), field.getValue().isNull() ? NODES.nullNode() : NODES.textNode(text(field.getValue())));
        }
      }
    }
    return authorizer;
  }

  static ObjectNode lambdaV2(JsonNode context) {
    ObjectNode authorizer = NODES.objectNode();
    authorizer.set("lambda", context == null ? NODES.nullNode() : context.deepCopy());
    return authorizer;
  }

  /**
   * A JSON value as API Gateway's strings show it: a string as is, a number as written, a boolean
   * {@code true}/{@code false}, an array {@code [a b]} (its items the same way), an object as JSON text.
   */
  public static String text(JsonNode value) {
    if (value.isTextual()) {
      return value.asText();
    }
    if (value.isArray()) {
      StringBuilder joined = new StringBuilder("[");
      for (JsonNode item : value) {
        if (joined.length() > 1) {
          joined.append(' ');
        }
        joined.append(text(item));
      }
      return joined.append(']').toString();
    }
    if (value.isNumber()) {
      return value.isBigDecimal() ? value.decimalValue().toString() : value.asText();
    }
    return value.toString(); // booleans, null, objects: their JSON text
  }

  /** Every claim with its value as {@link #text}. */
  static ObjectNode stringClaims(JsonNode claims) {
    ObjectNode strings = NODES.objectNode();
    for (Map.Entry<String, JsonNode> claim : claims.properties()) {
      strings.put(claim.getKey(), text(claim.getValue()));
    }
    return strings;
  }
}

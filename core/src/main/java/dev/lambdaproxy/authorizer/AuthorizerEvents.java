package dev.lambdaproxy.authorizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lambdaproxy.invoke.event.ApiGatewayV1Event;
import dev.lambdaproxy.invoke.event.ApiGatewayV2Event;
import dev.lambdaproxy.invoke.event.ClientRequestView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The events Lambda authorizers receive ("Input to an API Gateway Lambda authorizer"; HTTP APIs'
 * "Lambda authorizer payload format"), made from the same writers as the functions' own events so
 * the two never differ:
 * <ul>
 *   <li>{@code request}: the HTTP API request event without its body, with {@code type: REQUEST},
 *       {@code routeArn} and {@code identitySource} (the identity values, in order);</li>
 *   <li>{@code request-v1}: the REST request event without its body, with {@code type: REQUEST} and {@code methodArn};</li>
 *   <li>{@code token}: {@code {type: TOKEN, authorizationToken, methodArn}}.</li>
 * </ul>
 */
final class AuthorizerEvents {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** What an authorizer is not sent: the body, and the 1.0 event's version (REST's request authorizer event has none). */
  private static final Set<String> LEFT_OUT = Set.of("version", "body", "isBase64Encoded");

  private AuthorizerEvents() {}

  static byte[] request(ClientRequestView view, String routeArn, List<String> identityValues) {
    ObjectNode event = JSON.createObjectNode();
    event.put("version", "2.0");
    event.put("type", "REQUEST");
    event.put("routeArn", routeArn);
    identityValues.forEach(event.putArray("identitySource")::add);
    copyWithout(read(ApiGatewayV2Event.toJson(view)), event);
    return write(event);
  }

  static byte[] requestV1(ClientRequestView view, String methodArn) {
    ObjectNode event = JSON.createObjectNode();
    event.put("type", "REQUEST");
    event.put("methodArn", methodArn);
    copyWithout(read(ApiGatewayV1Event.toJson(view)), event);
    return write(event);
  }

  static byte[] token(String token, String methodArn) {
    ObjectNode event = JSON.createObjectNode();
    event.put("type", "TOKEN");
    event.put("authorizationToken", token);
    event.put("methodArn", methodArn);
    return write(event);
  }

  private static void copyWithout(JsonNode from, ObjectNode to) {
    for (Map.Entry<String, JsonNode> field : from.properties()) {
      if (!LEFT_OUT.contains(field.getKey())) {
        to.set(field.getKey(), field.getValue());
      }
    }
  }

  private static JsonNode read(byte[] json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException("the event writer made JSON it cannot read", e);
    }
  }

  private static byte[] write(ObjectNode event) {
    try {
      return JSON.writeValueAsBytes(event);
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory failed", e);
    }
  }
}

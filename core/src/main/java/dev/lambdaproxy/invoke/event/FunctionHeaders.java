package dev.lambdaproxy.invoke.event;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lambdaproxy.http.ClientAnswer;
import dev.lambdaproxy.http.Headers;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The headers of a function's result on their way to the client: Content-Type kept apart, the rest
 * filtered by {@link Headers#isForwardableFromFunction}. Each {@code add} method answers null, or
 * what makes the result malformed.
 */
final class FunctionHeaders {

  private final List<ClientAnswer.Header> headers = new ArrayList<>();
  private final Set<String> multiValued = new HashSet<>();
  private String contentType;

  /** {@code multiValueHeaders}: a name maps to an array of values. Call before {@link #addSingleValued}. */
  String addMultiValued(JsonNode node) {
    if (isAbsent(node)) {
      return null;
    }
    if (!node.isObject()) {
      return "multiValueHeaders must be an object, was " + ProxyResultDecoder.describe(node);
    }
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      JsonNode values = field.getValue();
      if (values.isNull()) {
        continue;
      }
      if (!values.isArray()) {
        return "multiValueHeaders." + field.getKey() + " must be an array, was " + ProxyResultDecoder.describe(values);
      }
      // multiValueHeaders win over headers for the same name ("Set up Lambda proxy integrations", output format).
      multiValued.add(field.getKey().toLowerCase(Locale.ROOT));
      for (JsonNode value : values) {
        String problem = add(field.getKey(), value, "multiValueHeaders." + field.getKey());
        if (problem != null) {
          return problem;
        }
      }
    }
    return null;
  }

  /** {@code headers}: a name maps to one value; names already in {@code multiValueHeaders} are skipped. */
  String addSingleValued(JsonNode node) {
    if (isAbsent(node)) {
      return null;
    }
    if (!node.isObject()) {
      return "headers must be an object, was " + ProxyResultDecoder.describe(node);
    }
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      if (!multiValued.contains(field.getKey().toLowerCase(Locale.ROOT))) {
        String problem = add(field.getKey(), field.getValue(), "headers." + field.getKey());
        if (problem != null) {
          return problem;
        }
      }
    }
    return null;
  }

  /** 2.0's {@code cookies}: each string becomes one Set-Cookie header. */
  String addCookies(JsonNode node) {
    if (isAbsent(node)) {
      return null;
    }
    if (!node.isArray()) {
      return "cookies must be an array of strings, was " + ProxyResultDecoder.describe(node);
    }
    for (JsonNode cookie : node) {
      if (cookie.isNull()) {
        continue;
      }
      if (!cookie.isTextual()) {
        return "cookies must be an array of strings, had " + ProxyResultDecoder.describe(cookie);
      }
      if (Headers.isForwardableFromFunction("Set-Cookie", cookie.textValue())) {
        headers.add(new ClientAnswer.Header("Set-Cookie", cookie.textValue()));
      }
    }
    return null;
  }

  /** The answer with these headers; Content-Type is {@code application/json} when the function set none. */
  ClientAnswer answer(int status, byte[] body) {
    return new ClientAnswer(status, headers, contentType == null ? ClientAnswer.JSON : contentType, body);
  }

  private String add(String name, JsonNode value, String where) {
    if (value.isNull()) {
      return null;
    }
    if (!value.isValueNode()) {
      return where + " must be a string, was " + ProxyResultDecoder.describe(value);
    }
    // API Gateway stringifies numbers and booleans: {"X-Count": 3} sends "X-Count: 3".
    String text = value.asText();
    if (name.equalsIgnoreCase("Content-Type")) {
      contentType = Headers.firstContentType(contentType, text);
    } else if (Headers.isForwardableFromFunction(name, text)) {
      headers.add(new ClientAnswer.Header(name, text));
    }
    return null;
  }

  private static boolean isAbsent(JsonNode node) {
    return node == null || node.isNull();
  }
}

package dev.lambdaproxy.authorizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * What a Lambda authorizer answered, read once and then matched against each request it is used
 * for (a cached decision included): a simple {@code isAuthorized}, or an IAM policy evaluated
 * against the request's ARN.
 *
 * @param authorized a simple answer's {@code isAuthorized}; ignored when there is a policy
 * @param policy the IAM policy, or null for a simple answer
 * @param principalId the answer's {@code principalId}, or null
 * @param context the answer's {@code context} object as returned, or null
 * @param latencyMillis how long the function took, for 1.0 events' {@code integrationLatency}
 */
public record LambdaDecision(boolean authorized, IamPolicy policy, String principalId, JsonNode context, long latencyMillis) {

  public boolean allows(String arn) {
    return policy == null ? authorized : policy.allows(arn);
  }

  /**
   * Reads a function's answer ("Output from an API Gateway Lambda authorizer"; HTTP APIs' "Lambda
   * authorizer response format").
   *
   * @throws IllegalArgumentException saying what is malformed (the caller answers 500)
   */
  static LambdaDecision parse(AuthorizerSpec.Lambda spec, JsonNode answer, long latencyMillis) {
    if (answer == null || !answer.isObject()) {
      throw new IllegalArgumentException("the answer is not a JSON object");
    }
    JsonNode context = answer.get("context");
    if (context != null && context.isNull()) {
      context = null;
    }
    if (context != null && !context.isObject()) {
      throw new IllegalArgumentException("context is not an object");
    }
    if (spec.type() == AuthorizerType.REQUEST && spec.simpleResponses()) {
      JsonNode authorized = answer.get("isAuthorized");
      if (authorized == null || !authorized.isBoolean()) {
        throw new IllegalArgumentException("isAuthorized is missing or not a boolean (simple-responses = true)");
      }
      return new LambdaDecision(authorized.booleanValue(), null, null, context, latencyMillis);
    }
    JsonNode principal = answer.get("principalId");
    if (principal != null && !principal.isNull() && !principal.isTextual()) {
      throw new IllegalArgumentException("principalId is not a string");
    }
    String principalId = principal == null || principal.isNull() ? null : principal.asText();
    if (principalId == null && spec.type() != AuthorizerType.REQUEST) {
      throw new IllegalArgumentException("principalId is missing");
    }
    if (!answer.has("policyDocument")) {
      throw new IllegalArgumentException("policyDocument is missing" + (answer.has("isAuthorized")
          ? " (a simple {\"isAuthorized\":...} answer needs simple-responses = true)" : ""));
    }
    IamPolicy policy = IamPolicy.parse(answer.get("policyDocument"));
    if (context != null && spec.type() != AuthorizerType.REQUEST) {
      // REST APIs take only strings, numbers and booleans in the context.
      for (Map.Entry<String, JsonNode> field : context.properties()) {
        if (field.getValue().isContainerNode()) {
          throw new IllegalArgumentException("context." + field.getKey() + " is an object or array; REST authorizers' context"
              + " values are strings, numbers or booleans");
        }
      }
    }
    return new LambdaDecision(false, policy, principalId, context, latencyMillis);
  }
}

package dev.lambdaproxy.authorizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The IAM policy a Lambda authorizer answers with, evaluated as API Gateway evaluates it ("Output
 * from an API Gateway Lambda authorizer", and IAM's policy evaluation logic): a statement applies
 * when one of its actions matches {@code execute-api:Invoke} and one of its resources matches the
 * request's ARN, {@code *} and {@code ?} as wildcards; an explicit Deny wins over any Allow, and
 * without an Allow the request is denied. A statement with a {@code Condition} (which API Gateway's
 * authorizer policies cannot use) never allows, but still denies.
 */
public final class IamPolicy {

  static final String INVOKE = "execute-api:Invoke";

  private record Statement(boolean allow, List<String> actions, List<String> resources, boolean conditional) {}

  private final List<Statement> statements;

  private IamPolicy(List<Statement> statements) {
    this.statements = List.copyOf(statements);
  }

  /**
   * Reads a {@code policyDocument}.
   *
   * @throws IllegalArgumentException saying what is malformed
   */
  public static IamPolicy parse(JsonNode document) {
    if (document == null || !document.isObject()) {
      throw new IllegalArgumentException("policyDocument is not an object");
    }
    JsonNode statementNode = document.get("Statement");
    if (statementNode == null || !(statementNode.isObject() || statementNode.isArray())) {
      throw new IllegalArgumentException("policyDocument.Statement is missing or not an object or array");
    }
    List<Statement> statements = new ArrayList<>();
    for (JsonNode statement : statementNode.isArray() ? statementNode : List.of(statementNode)) {
      if (!statement.isObject()) {
        throw new IllegalArgumentException("a Statement is not an object");
      }
      JsonNode effect = statement.get("Effect");
      String effectText = effect != null && effect.isTextual() ? effect.asText().toLowerCase(Locale.ROOT) : "";
      if (!effectText.equals("allow") && !effectText.equals("deny")) {
        throw new IllegalArgumentException("a Statement's Effect is not Allow or Deny");
      }
      statements.add(new Statement(effectText.equals("allow"), strings(statement, "Action"), strings(statement, "Resource"),
          statement.has("Condition")));
    }
    return new IamPolicy(statements);
  }

  private static List<String> strings(JsonNode statement, String field) {
    JsonNode node = statement.get(field);
    List<String> values = new ArrayList<>();
    if (node != null && node.isTextual()) {
      values.add(node.asText());
    } else if (node != null && node.isArray()) {
      for (JsonNode item : node) {
        if (!item.isTextual()) {
          throw new IllegalArgumentException("a Statement's " + field + " holds something other than strings");
        }
        values.add(item.asText());
      }
    }
    if (values.isEmpty()) {
      throw new IllegalArgumentException("a Statement has no " + field + " (NotAction and NotResource are not supported)");
    }
    return values;
  }

  /** Whether the policy lets the request with this {@code execute-api} ARN through. */
  public boolean allows(String arn) {
    boolean allowed = false;
    for (Statement statement : statements) {
      if (!applies(statement, arn)) {
        continue;
      }
      if (!statement.allow) {
        return false; // an explicit Deny wins, whatever else allows
      }
      allowed |= !statement.conditional;
    }
    return allowed;
  }

  private static boolean applies(Statement statement, String arn) {
    boolean action = false;
    for (String pattern : statement.actions) {
      // Action names are case-insensitive in IAM; ARNs are not.
      action |= matches(pattern.toLowerCase(Locale.ROOT), INVOKE.toLowerCase(Locale.ROOT));
    }
    if (!action) {
      return false;
    }
    for (String pattern : statement.resources) {
      if (matches(pattern, arn)) {
        return true;
      }
    }
    return false;
  }

  /** IAM's wildcards: {@code *} any run of characters (none included), {@code ?} exactly one. */
  static boolean matches(String pattern, String text) {
    int p = 0;
    int t = 0;
    int star = -1;
    int resume = 0;
    while (t < text.length()) {
      if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
        p++;
        t++;
      } else if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        resume = t;
      } else if (star >= 0) {
        p = star + 1;
        t = ++resume;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }
}

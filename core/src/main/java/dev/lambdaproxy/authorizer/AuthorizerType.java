package dev.lambdaproxy.authorizer;

import java.util.Locale;

/** What decides who may call a route, as {@code authorizer.NAME.type} names it. */
public enum AuthorizerType {
  /** A JSON Web Token checked against an OIDC issuer's keys, as HTTP APIs' JWT authorizers do. */
  JWT("jwt"),
  /** A Lambda function given the HTTP API request event (payload 2.0): a simple answer or an IAM policy. */
  REQUEST("request"),
  /** A Lambda function given the REST API request event (payload 1.0): an IAM policy. */
  REQUEST_V1("request-v1"),
  /** A Lambda function given the REST API token event {@code {type, authorizationToken, methodArn}}: an IAM policy. */
  TOKEN("token");

  private final String text;

  AuthorizerType(String text) {
    this.text = text;
  }

  public String text() {
    return text;
  }

  static AuthorizerType parse(String value) {
    String lower = value.strip().toLowerCase(Locale.ROOT);
    for (AuthorizerType type : values()) {
      if (type.text.equals(lower)) {
        return type;
      }
    }
    throw new IllegalArgumentException("'" + value + "' is not an authorizer type; use jwt, request, request-v1 or token");
  }
}

package dev.lambdaproxy.authorizer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * What an authorizer decided for one request.
 *
 * @param kind allowed, or why not
 * @param reason why, for the log and a 401's {@code error_description}: never a token or a claim's value
 * @param v1 what payload 1.0 events carry as {@code requestContext.authorizer}, when allowed
 * @param v2 what payload 2.0 events carry as {@code requestContext.authorizer}, when allowed
 * @param cacheHit whether a cached decision was used (no function was invoked)
 * @param cause the failure behind {@link Kind#FAILED}, or null
 */
public record AuthorizerOutcome(Kind kind, String reason, ObjectNode v1, ObjectNode v2, boolean cacheHit, Throwable cause) {

  /** The decisions, as metrics count them. */
  public enum Kind {
    ALLOWED("allowed"),
    /** No identity, or one that is not valid: 401. */
    UNAUTHORIZED("unauthorized"),
    /** A valid identity that may not do this (a Deny, a missing scope): 403. */
    FORBIDDEN("forbidden"),
    /** The authorizer could not decide (failed, timed out, answered nonsense): 500. */
    FAILED("failed");

    private final String text;

    Kind(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }
  }

  public AuthorizerOutcome {
    Objects.requireNonNull(kind, "kind");
  }

  static AuthorizerOutcome allowed(ObjectNode v1, ObjectNode v2, boolean cacheHit) {
    return new AuthorizerOutcome(Kind.ALLOWED, null, v1, v2, cacheHit, null);
  }

  static AuthorizerOutcome unauthorized(String reason, boolean cacheHit) {
    return new AuthorizerOutcome(Kind.UNAUTHORIZED, reason, null, null, cacheHit, null);
  }

  static AuthorizerOutcome forbidden(String reason, boolean cacheHit) {
    return new AuthorizerOutcome(Kind.FORBIDDEN, reason, null, null, cacheHit, null);
  }

  static AuthorizerOutcome failed(String reason, Throwable cause) {
    return new AuthorizerOutcome(Kind.FAILED, reason, null, null, false, cause);
  }

  @Override
  public String toString() {
    return "AuthorizerOutcome[" + kind.text + (reason == null ? "" : ", " + reason) + (cacheHit ? ", cached" : "") + "]";
  }
}

package dev.lambdaproxy.testing;

import java.util.Objects;

/**
 * Why the fixture refused a request: what AWS would answer ({@code status}, {@code errorType},
 * {@code message}) and, for the engineer reading a failed test, a {@code detail} AWS would not
 * give. None of the four ever holds a secret or a session token.
 */
record Rejection(int status, String errorType, String message, String detail, boolean authentication) {

  Rejection {
    Objects.requireNonNull(errorType, "errorType");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(detail, "detail");
  }

  /** A 403 from the authentication layer, which AWS answers in the front end's format. */
  static Rejection auth(String errorType, String message, String detail) {
    return new Rejection(403, errorType, message, detail, true);
  }

  /** An error from the Lambda API itself. */
  static Rejection api(int status, String errorType, String message, String detail) {
    return new Rejection(status, errorType, message, detail, false);
  }

  LambdaReply toReply() {
    return authentication
        ? LambdaReply.authError(status, errorType, message)
        : LambdaReply.apiError(status, errorType, message);
  }
}

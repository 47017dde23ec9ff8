package dev.lambdaproxy.testing;

/**
 * What the fixture decided about one received request.
 *
 * @param signatureValid whether the SigV4 signature checked out
 * @param errorType the AWS error name answered, null when the function handler was called
 * @param message the message AWS would have sent with that error, null when invoked
 * @param detail why, in words AWS would not send (never a secret); null when invoked
 */
public record Outcome(boolean signatureValid, String errorType, String message, String detail) {

  static final Outcome INVOKED = new Outcome(true, null, null, null);

  static Outcome rejected(boolean signatureValid, Rejection rejection) {
    return new Outcome(signatureValid, rejection.errorType(), rejection.message(), rejection.detail());
  }

  /** Whether the request reached a function handler. */
  public boolean invoked() {
    return errorType == null;
  }

  @Override
  public String toString() {
    return invoked() ? "invoked" : errorType + " (" + detail + ")";
  }
}

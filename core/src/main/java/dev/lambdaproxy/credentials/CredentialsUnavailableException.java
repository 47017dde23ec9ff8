package dev.lambdaproxy.credentials;

/** No usable AWS credentials; the message says what an operator can set. It never holds a secret. */
public final class CredentialsUnavailableException extends RuntimeException {

  public CredentialsUnavailableException(String message) {
    super(message, null, false, false);
  }
}

package dev.lambdaproxy.credentials;

/** Where the proxy's AWS credentials come from. Implementations are thread-safe and cheap to call per request. */
public interface CredentialsProvider {

  /**
   * The credentials to sign with now.
   *
   * @throws CredentialsUnavailableException when there are none, saying what to set
   */
  AwsCredentials resolve();

  /** Whether credentials can be had now and, if not, why: for a readiness check. */
  default CredentialsStatus status() {
    try {
      resolve();
      return CredentialsStatus.ready(getClass().getSimpleName(), null, null);
    } catch (CredentialsUnavailableException e) {
      return CredentialsStatus.unavailable(e.getMessage());
    }
  }
}

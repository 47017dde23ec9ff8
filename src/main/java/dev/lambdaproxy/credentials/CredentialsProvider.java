package dev.lambdaproxy.credentials;

/** Where the proxy's AWS credentials come from. Implementations are thread-safe and cheap to call per request. */
public interface CredentialsProvider {

  /**
   * The credentials to sign with now.
   *
   * @throws CredentialsUnavailableException when there are none, saying what to set
   */
  AwsCredentials resolve();
}

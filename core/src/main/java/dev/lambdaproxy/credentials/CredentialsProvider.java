package dev.lambdaproxy.credentials;

/** Where the proxy's AWS credentials come from. Implementations are thread-safe and cheap to call per request. */
public interface CredentialsProvider {

  /**
   * The credentials to sign with now.
   *
   * @throws CredentialsUnavailableException when there are none, saying what to set
   */
  AwsCredentials resolve();

  /**
   * Null when {@link #resolve()} would answer at once, without I/O; otherwise a load, started on
   * the provider's own thread (one at a time, shared by every caller), that completes when it has
   * ended, well or not, so that {@link #resolve()} then answers at once. An event loop calls this
   * before signing, so it never waits on STS or an instance's metadata service itself.
   */
  default java.util.concurrent.CompletableFuture<Void> loading() {
    return null;
  }

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

package dev.lambdaproxy.credentials;

import java.time.Instant;
import java.util.Objects;

/**
 * One place credentials can come from, asked afresh on every {@link #load()}: the caching is
 * {@link AwsSdkCredentialsProvider}'s. Implementations may block on I/O and are thread-safe.
 */
interface CredentialSource extends AutoCloseable {

  /** What this source is, for messages: e.g. {@code container endpoint http://127.0.0.1:80/creds}. */
  String name();

  /**
   * Credentials from this source now.
   *
   * @throws CredentialsUnavailableException saying why there are none (what to set, or what failed)
   */
  Loaded load();

  /**
   * Fresh credentials to replace ones this source gave; by default {@link #load()}. A chain asks
   * only the source the credentials came from.
   */
  default Loaded renew() {
    return load();
  }

  @Override
  default void close() {
  }

  /**
   * Credentials as a source handed them out.
   *
   * @param expiration when they stop working; null when they do not expire
   * @param source the name of the source that gave them
   */
  record Loaded(AwsCredentials credentials, Instant expiration, String source) {

    public Loaded {
      Objects.requireNonNull(credentials, "credentials");
      Objects.requireNonNull(source, "source");
    }

    /** Whether {@code other} holds the very same keys with the same expiration. */
    boolean sameAs(Loaded other) {
      return credentials.accessKeyId().equals(other.credentials.accessKeyId())
          && credentials.secretAccessKey().equals(other.credentials.secretAccessKey())
          && Objects.equals(credentials.sessionToken(), other.credentials.sessionToken())
          && Objects.equals(expiration, other.expiration);
    }
  }
}

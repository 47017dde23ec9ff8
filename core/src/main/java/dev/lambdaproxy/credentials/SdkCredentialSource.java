package dev.lambdaproxy.credentials;

import java.time.Instant;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/** An SDK credentials provider as a {@link CredentialSource}, and our providers as SDK ones. */
final class SdkCredentialSource implements CredentialSource {

  private static final Instant NEVER = Instant.parse("9999-01-01T00:00:00Z");

  private final String name;
  private final AwsCredentialsProvider provider;

  SdkCredentialSource(String name, AwsCredentialsProvider provider) {
    this.name = Objects.requireNonNull(name, "name");
    this.provider = Objects.requireNonNull(provider, "provider");
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Loaded load() {
    AwsCredentialsIdentity identity;
    try {
      identity = provider.resolveCredentials();
    } catch (CredentialsUnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CredentialsUnavailableException(name + ": " + Reasons.of(e));
    }
    return loaded(identity, name);
  }

  /** Our credentials from the SDK's, naming {@code source}. */
  static Loaded loaded(AwsCredentialsIdentity identity, String source) {
    String token = identity instanceof AwsSessionCredentialsIdentity session ? session.sessionToken() : null;
    AwsCredentials credentials;
    try {
      credentials = new AwsCredentials(identity.accessKeyId(), identity.secretAccessKey(), token);
    } catch (NullPointerException | IllegalArgumentException e) {
      throw new CredentialsUnavailableException(source + ": handed out incomplete credentials (" + e.getMessage() + ")");
    }
    // The SDK marks credentials that never expire (e.g. credential_process without Expiration) with Instant.MAX.
    Instant expiration = identity.expirationTime().filter(time -> time.isBefore(NEVER)).orElse(null);
    return new Loaded(credentials, expiration, source);
  }

  /** {@code provider} for the SDK's clients: each call resolves, so it is as cheap as {@code provider} is. */
  static AwsCredentialsProvider toSdk(CredentialsProvider provider) {
    Objects.requireNonNull(provider, "provider");
    return new AwsCredentialsProvider() {
      @Override
      public software.amazon.awssdk.auth.credentials.AwsCredentials resolveCredentials() {
        AwsCredentials credentials = provider.resolve();
        return credentials.sessionToken() == null
            ? AwsBasicCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey())
            : AwsSessionCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey(), credentials.sessionToken());
      }

      @Override
      public String toString() {
        return "lambda-proxy " + provider;
      }
    };
  }

  @Override
  public void close() {
    if (provider instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        // Closing only frees the provider's own resources; nothing to do about a failure.
      }
    }
  }

  @Override
  public String toString() {
    return "SdkCredentialSource[" + name + "]";
  }
}

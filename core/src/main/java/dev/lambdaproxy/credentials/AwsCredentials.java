package dev.lambdaproxy.credentials;

import java.util.Objects;

/**
 * An AWS access key pair, with the session token of temporary credentials.
 *
 * <p>{@link #toString()} names the access key id only: the secret and the token must never reach a
 * log line or an error message.
 */
public record AwsCredentials(String accessKeyId, String secretAccessKey, String sessionToken) {

  public AwsCredentials {
    Objects.requireNonNull(accessKeyId, "accessKeyId");
    Objects.requireNonNull(secretAccessKey, "secretAccessKey");
    if (accessKeyId.isBlank()) {
      throw new IllegalArgumentException("accessKeyId is blank");
    }
    if (secretAccessKey.isBlank()) {
      throw new IllegalArgumentException("secretAccessKey is blank");
    }
    if (sessionToken != null && sessionToken.isBlank()) {
      sessionToken = null;
    }
  }

  public static AwsCredentials of(String accessKeyId, String secretAccessKey) {
    return new AwsCredentials(accessKeyId, secretAccessKey, null);
  }

  @Override
  public String toString() {
    return "AwsCredentials[accessKeyId=" + accessKeyId + ", secretAccessKey=***"
        + (sessionToken == null ? "" : ", sessionToken=***") + "]";
  }
}

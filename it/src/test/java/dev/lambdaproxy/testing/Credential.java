package dev.lambdaproxy.testing;

import java.util.Objects;

/**
 * A key pair the fixture accepts; {@code sessionToken} is null for long-term keys. {@link
 * #toString()} names the access key id only.
 */
record Credential(String accessKeyId, String secretAccessKey, String sessionToken) {

  Credential {
    Objects.requireNonNull(accessKeyId, "accessKeyId");
    Objects.requireNonNull(secretAccessKey, "secretAccessKey");
    if (accessKeyId.isBlank() || accessKeyId.contains("/")) {
      throw new IllegalArgumentException("accessKeyId must be non-blank and free of '/': '" + accessKeyId + "'");
    }
    if (secretAccessKey.isBlank()) {
      throw new IllegalArgumentException("secretAccessKey of " + accessKeyId + " is blank");
    }
    if (sessionToken != null && sessionToken.isBlank()) {
      throw new IllegalArgumentException("sessionToken of " + accessKeyId + " is blank; pass null for none");
    }
  }

  @Override
  public String toString() {
    return "Credential[accessKeyId=" + accessKeyId + ", secretAccessKey=***"
        + (sessionToken == null ? "" : ", sessionToken=***") + "]";
  }
}

package dev.lambdaproxy.credentials;

import java.time.Instant;

/**
 * Whether credentials can be had now, for a readiness check. Never holds a secret.
 *
 * @param ready whether {@link CredentialsProvider#resolve()} returns credentials now
 * @param source where the credentials come from (e.g. {@code container endpoint http://...}); null when not ready
 * @param expiration when the credentials in use expire; null when they do not, or when not ready
 * @param problem when not ready, why and what to set; when ready, a failing background refresh, else null
 */
public record CredentialsStatus(boolean ready, String source, Instant expiration, String problem) {

  public static CredentialsStatus ready(String source, Instant expiration, String problem) {
    return new CredentialsStatus(true, source, expiration, problem);
  }

  public static CredentialsStatus unavailable(String problem) {
    return new CredentialsStatus(false, null, null, problem);
  }

  @Override
  public String toString() {
    if (!ready) {
      return "not ready: " + problem;
    }
    return "ready: credentials from " + source + (expiration == null ? "" : ", expiring " + expiration)
        + (problem == null ? "" : "; " + problem);
  }
}

package dev.lambdaproxy.config;

/**
 * Which AWS identity the proxy signs as, beyond the default credential chain.
 *
 * @param profile the shared-config profile ({@code profile} setting, or {@code AWS_PROFILE}); null for the default
 * @param roleArn a role to assume with STS on top of the chain's credentials; null for none
 * @param externalId the external id the role's trust policy asks for; null for none
 * @param roleSessionName the session name for the assumed role; null for a generated one
 */
public record AwsAccess(String profile, String roleArn, String externalId, String roleSessionName) {

  public static final AwsAccess NONE = new AwsAccess(null, null, null, null);

  @Override
  public String toString() {
    // The external id is a shared secret with the role's owner.
    return "AwsAccess[profile=" + profile + ", roleArn=" + roleArn + ", externalId=" + (externalId == null ? null : "***")
        + ", roleSessionName=" + roleSessionName + "]";
  }
}

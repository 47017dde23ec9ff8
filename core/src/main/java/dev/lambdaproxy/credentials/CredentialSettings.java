package dev.lambdaproxy.credentials;

import java.util.regex.Pattern;

/**
 * The credential settings of {@code lambda-proxy.properties}: {@code profile}, {@code role-arn},
 * {@code external-id} and {@code role-session-name}; each null when not set.
 *
 * <p>The static parsers ({@link #profile(String)}, {@link #roleArn(String)}, ...) check one value
 * and say what is wrong with an {@link IllegalArgumentException}, for the settings loader to put
 * behind the file name and line.
 *
 * @param profile the profile of the shared AWS files to read; null for {@code AWS_PROFILE}, else
 *     {@code default}. As in the SDK, keys in the environment still come first
 * @param roleArn an IAM role the proxy assumes with the credentials it found, or null
 * @param externalId the external id the role's trust policy asks for; only with {@code roleArn}
 * @param roleSessionName the session name of assumed roles; null for {@link #DEFAULT_SESSION_NAME}
 * @param region the region whose STS endpoint assumes roles; null for {@code AWS_REGION}, else
 *     {@code us-east-1}
 */
public record CredentialSettings(String profile, String roleArn, String externalId, String roleSessionName, String region) {

  public static final String DEFAULT_SESSION_NAME = "lambda-proxy";

  // Limits of the AWS CLI's profile names and of STS's AssumeRole parameters.
  private static final Pattern PROFILE = Pattern.compile("[A-Za-z0-9_.@+:/=,-]{1,128}");
  private static final Pattern ROLE_ARN =
      Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[A-Za-z0-9_+=,.@/-]{1,512}");
  private static final Pattern EXTERNAL_ID = Pattern.compile("[A-Za-z0-9_+=,.@:/-]{2,1224}");
  private static final Pattern SESSION_NAME = Pattern.compile("[A-Za-z0-9_+=,.@-]{2,64}");

  public CredentialSettings {
    profile = profile == null ? null : profile(profile);
    roleArn = roleArn == null ? null : roleArn(roleArn);
    externalId = externalId == null ? null : externalId(externalId);
    roleSessionName = roleSessionName == null ? null : roleSessionName(roleSessionName);
    region = region == null || region.isBlank() ? null : region.strip();
    if (externalId != null && roleArn == null) {
      throw new IllegalArgumentException("external-id needs role-arn: it is sent when assuming that role");
    }
  }

  /** No settings: the default chain, no role. */
  public static CredentialSettings none() {
    return new CredentialSettings(null, null, null, null, null);
  }

  /** The session name assumed roles get. */
  public String sessionName() {
    return roleSessionName == null ? DEFAULT_SESSION_NAME : roleSessionName;
  }

  /** A copy with {@code region}, e.g. the {@code region} setting after the environment had its say. */
  public CredentialSettings withRegion(String region) {
    return new CredentialSettings(profile, roleArn, externalId, roleSessionName, region);
  }

  public static String profile(String value) {
    String profile = value.strip();
    if (!PROFILE.matcher(profile).matches()) {
      throw new IllegalArgumentException("'" + value + "' is not a profile name (letters, digits and _.@+:/=,- only)");
    }
    return profile;
  }

  public static String roleArn(String value) {
    String arn = value.strip();
    if (!ROLE_ARN.matcher(arn).matches()) {
      throw new IllegalArgumentException("'" + value + "' is not an IAM role ARN such as arn:aws:iam::123456789012:role/name");
    }
    return arn;
  }

  public static String externalId(String value) {
    String id = value.strip();
    if (!EXTERNAL_ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "an external id is 2 to 1224 letters, digits and _+=,.@:/- characters");
    }
    return id;
  }

  public static String roleSessionName(String value) {
    String name = value.strip();
    if (!SESSION_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "'" + value + "' is not a role session name (2 to 64 letters, digits and _+=,.@- characters)");
    }
    return name;
  }

  @Override
  public String toString() {
    // The external id is a shared secret of sorts between the role's owner and us: never shown.
    return "CredentialSettings[profile=" + profile + ", roleArn=" + roleArn + ", externalId="
        + (externalId == null ? "null" : "***") + ", roleSessionName=" + roleSessionName + ", region=" + region + "]";
  }
}

package dev.lambdaproxy.credentials;

import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awssdk.services.sts.auth.StsWebIdentityTokenFileCredentialsProvider;

/**
 * A role assumed with a web identity token file (EKS IRSA: {@code AWS_WEB_IDENTITY_TOKEN_FILE} and
 * {@code AWS_ROLE_ARN}, optionally {@code AWS_ROLE_SESSION_NAME}), through the SDK's
 * {@link StsWebIdentityTokenFileCredentialsProvider}, which reads the token afresh on each call.
 */
final class WebIdentitySource implements CredentialSource {

  static final String NAME = "web identity";

  private final String tokenFile;
  private final String roleArn;
  private final String sessionName;
  private final StsClients sts;
  private StsWebIdentityTokenFileCredentialsProvider provider; // guarded by this

  WebIdentitySource(AwsEnvironment environment, String defaultSessionName, StsClients sts) {
    this.tokenFile = environment.get("aws.webIdentityTokenFile", "AWS_WEB_IDENTITY_TOKEN_FILE");
    this.roleArn = environment.get("aws.roleArn", "AWS_ROLE_ARN");
    String session = environment.get("aws.roleSessionName", "AWS_ROLE_SESSION_NAME");
    this.sessionName = session != null ? session : defaultSessionName;
    this.sts = sts;
  }

  @Override
  public String name() {
    return tokenFile == null || roleArn == null ? NAME : NAME + " token " + tokenFile + " for role " + roleArn;
  }

  @Override
  public Loaded load() {
    if (tokenFile == null || roleArn == null) {
      String missing = tokenFile == null && roleArn == null ? "AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN not set"
          : tokenFile == null ? "AWS_WEB_IDENTITY_TOKEN_FILE not set (AWS_ROLE_ARN is)"
          : "AWS_ROLE_ARN not set (AWS_WEB_IDENTITY_TOKEN_FILE is)";
      throw new CredentialsUnavailableException(NAME + ": " + missing);
    }
    if (!Files.isReadable(Path.of(tokenFile))) {
      throw new CredentialsUnavailableException(name() + ": cannot read the token file");
    }
    try {
      return SdkCredentialSource.loaded(provider().resolveCredentials(), name());
    } catch (CredentialsUnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CredentialsUnavailableException(name() + ": " + Reasons.of(e));
    }
  }

  private synchronized StsWebIdentityTokenFileCredentialsProvider provider() {
    if (provider == null) {
      provider = StsClients.passThrough(StsWebIdentityTokenFileCredentialsProvider.builder())
          .stsClient(sts.client())
          .roleArn(roleArn)
          .roleSessionName(sessionName)
          .webIdentityTokenFile(Path.of(tokenFile))
          .build();
    }
    return provider;
  }

  @Override
  public synchronized void close() {
    if (provider != null) {
      provider.close();
      provider = null;
    }
  }

  @Override
  public String toString() {
    return "WebIdentitySource[" + name() + "]";
  }
}

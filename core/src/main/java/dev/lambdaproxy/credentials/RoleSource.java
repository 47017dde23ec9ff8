package dev.lambdaproxy.credentials;

import java.util.Objects;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;

/**
 * A role assumed with STS AssumeRole, signed with the credentials of another provider, through
 * the SDK's {@link StsAssumeRoleCredentialsProvider}.
 */
final class RoleSource implements CredentialSource {

  private final String roleArn;
  private final String externalId;
  private final String sessionName;
  private final CredentialsProvider signer;
  private final StsClients sts;
  private StsAssumeRoleCredentialsProvider provider; // guarded by this

  RoleSource(String roleArn, String externalId, String sessionName, CredentialsProvider signer, StsClients sts) {
    this.roleArn = Objects.requireNonNull(roleArn, "roleArn");
    this.externalId = externalId;
    this.sessionName = Objects.requireNonNull(sessionName, "sessionName");
    this.signer = Objects.requireNonNull(signer, "signer");
    this.sts = Objects.requireNonNull(sts, "sts");
  }

  @Override
  public String name() {
    return "role " + roleArn;
  }

  @Override
  public Loaded load() {
    try {
      signer.resolve();
    } catch (CredentialsUnavailableException e) {
      throw new CredentialsUnavailableException(name() + ": no credentials to assume it with: " + e.getMessage());
    }
    try {
      return SdkCredentialSource.loaded(provider().resolveCredentials(), name());
    } catch (CredentialsUnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CredentialsUnavailableException(name() + ": AssumeRole failed: " + Reasons.of(e));
    }
  }

  private synchronized StsAssumeRoleCredentialsProvider provider() {
    if (provider == null) {
      AssumeRoleRequest request = AssumeRoleRequest.builder()
          .roleArn(roleArn)
          .roleSessionName(sessionName)
          .externalId(externalId)
          .overrideConfiguration(o -> o.credentialsProvider(SdkCredentialSource.toSdk(signer)))
          .build();
      provider = StsClients.passThrough(StsAssumeRoleCredentialsProvider.builder())
          .stsClient(sts.client())
          .refreshRequest(request)
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
    return "RoleSource[" + roleArn + "]";
  }
}

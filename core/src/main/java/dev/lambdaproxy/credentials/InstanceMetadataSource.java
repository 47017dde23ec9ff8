package dev.lambdaproxy.credentials;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.InstanceProfileCredentialsProvider;
import software.amazon.awssdk.profiles.Profile;
import software.amazon.awssdk.profiles.ProfileFile;

/**
 * The instance role of an EC2 instance, from its instance metadata service (IMDSv2, falling back
 * to v1 as the SDK does), through the SDK's {@link InstanceProfileCredentialsProvider} pointed at
 * the endpoint the environment or profile names.
 */
final class InstanceMetadataSource implements CredentialSource {

  static final String NAME = "EC2 instance metadata";
  static final String IPV4_ENDPOINT = "http://169.254.169.254";
  static final String IPV6_ENDPOINT = "http://[fd00:ec2::254]";
  // The SDK refreshes IMDS credentials only in its stale window; a minute leaves our cache time to renew.
  private static final Duration SDK_STALE_TIME = Duration.ofMinutes(1);

  private final AwsEnvironment environment;
  private final String profileName;
  private final boolean disabled;
  private String endpoint; // guarded by this
  private InstanceProfileCredentialsProvider provider; // guarded by this

  InstanceMetadataSource(AwsEnvironment environment, String profileName) {
    this.environment = environment;
    this.profileName = profileName;
    this.disabled = environment.isTrue("aws.disableEc2Metadata", "AWS_EC2_METADATA_DISABLED");
  }

  @Override
  public synchronized String name() {
    return endpoint == null ? NAME : NAME + " " + endpoint;
  }

  @Override
  public Loaded load() {
    if (disabled) {
      throw new CredentialsUnavailableException(NAME + ": turned off by AWS_EC2_METADATA_DISABLED");
    }
    InstanceProfileCredentialsProvider current = provider();
    try {
      return SdkCredentialSource.loaded(current.resolveCredentials(), name());
    } catch (CredentialsUnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CredentialsUnavailableException(name() + ": " + Reasons.of(e));
    }
  }

  private synchronized InstanceProfileCredentialsProvider provider() {
    if (provider == null) {
      ProfileFile profiles = ProfileSource.readOrEmpty(environment);
      endpoint = endpoint(profiles);
      provider = InstanceProfileCredentialsProvider.builder()
          .endpoint(endpoint)
          .profileFile(profiles)
          .profileName(profileName)
          .staleTime(SDK_STALE_TIME)
          .asyncCredentialUpdateEnabled(false)
          .build();
    }
    return provider;
  }

  private String endpoint(ProfileFile profiles) {
    Optional<Profile> profile = profiles.profile(profileName);
    String endpoint = environment.get("aws.ec2MetadataServiceEndpoint", "AWS_EC2_METADATA_SERVICE_ENDPOINT");
    if (endpoint == null) {
      endpoint = profile.flatMap(p -> p.property("ec2_metadata_service_endpoint")).orElse(null);
    }
    if (endpoint != null) {
      return endpoint;
    }
    String mode = environment.get("aws.ec2MetadataServiceEndpointMode", "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE");
    if (mode == null) {
      mode = profile.flatMap(p -> p.property("ec2_metadata_service_endpoint_mode")).orElse("IPv4");
    }
    return mode.toLowerCase(Locale.ROOT).equals("ipv6") ? IPV6_ENDPOINT : IPV4_ENDPOINT;
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
    return "InstanceMetadataSource[" + name() + "]";
  }
}

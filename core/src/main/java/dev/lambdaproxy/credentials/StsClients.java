package dev.lambdaproxy.credentials;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.services.sts.auth.StsCredentialsProvider;

/**
 * The one STS client of a {@link CredentialsProviders}, made on first use. It has no credentials of
 * its own: AssumeRoleWithWebIdentity needs none, and each AssumeRole request carries the
 * credentials it is signed with.
 */
final class StsClients implements AutoCloseable {

  static final String DEFAULT_REGION = "us-east-1";
  // The SDK's STS providers cache; with these they ask STS on every call and our cache decides when.
  private static final Duration SDK_STALE_TIME = Duration.ZERO;
  private static final Duration SDK_PREFETCH_TIME = Duration.ofDays(3650);

  private final AwsEnvironment environment;
  private final String configuredRegion;
  private final String profileName;
  private StsClient client; // guarded by this
  private boolean closed; // guarded by this

  /**
   * @param configuredRegion the region setting, or null to look at AWS_REGION, AWS_DEFAULT_REGION,
   *     aws.region and the profile's region, else {@link #DEFAULT_REGION}
   */
  StsClients(AwsEnvironment environment, String configuredRegion, String profileName) {
    this.environment = environment;
    this.configuredRegion = configuredRegion;
    this.profileName = profileName;
  }

  private String region(ProfileFile profiles) {
    String region = configuredRegion;
    if (region == null) {
      region = environment.get("aws.region", "AWS_REGION");
    }
    if (region == null) {
      region = environment.get(null, "AWS_DEFAULT_REGION");
    }
    if (region == null) {
      region = profiles.profile(profileName).flatMap(profile -> profile.property("region")).orElse(DEFAULT_REGION);
    }
    return region;
  }

  /** The endpoint override (AWS_ENDPOINT_URL_STS, then AWS_ENDPOINT_URL), or null for AWS's regional endpoint. */
  String endpointOverride() {
    return environment.endpointUrl("STS");
  }

  synchronized StsClient client() {
    if (closed) {
      throw new CredentialsUnavailableException("the STS client is closed: the proxy is stopping");
    }
    if (client == null) {
      ProfileFile profiles = profiles();
      StsClientBuilder builder = StsClient.builder()
          .region(Region.of(region(profiles)))
          .credentialsProvider(AnonymousCredentialsProvider.create())
          .httpClientBuilder(UrlConnectionHttpClient.builder()
              .connectionTimeout(Duration.ofSeconds(2))
              .socketTimeout(Duration.ofSeconds(10)))
          // Our profile file, so the client reads no other, and a bound on each call's retries.
          .overrideConfiguration(o -> o.defaultProfileFile(profiles).defaultProfileName(profileName)
              .apiCallTimeout(Duration.ofSeconds(20)));
      String endpoint = endpointOverride();
      if (endpoint != null) {
        builder.endpointOverride(URI.create(endpoint));
      }
      client = builder.build();
    }
    return client;
  }

  private ProfileFile profiles() {
    try {
      return ProfileSource.readOrEmpty(environment);
    } catch (RuntimeException e) {
      // The profile source reports an unreadable file; STS needs nothing from it.
      return ProfileFile.aggregator().build();
    }
  }

  /** Turns off the SDK's own caching in an STS credentials provider: see the class doc of AwsSdkCredentialsProvider. */
  static <B extends StsCredentialsProvider.BaseBuilder<B, ?>> B passThrough(B builder) {
    return builder.asyncCredentialUpdateEnabled(false).staleTime(SDK_STALE_TIME).prefetchTime(SDK_PREFETCH_TIME);
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (client != null) {
      client.close();
      client = null;
    }
  }
}

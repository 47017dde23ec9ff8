package dev.lambdaproxy.credentials;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The proxy's credential providers, made from its settings and an explicit environment: the
 * default chain, the role of the {@code role-arn} setting, and one provider per role of a route.
 *
 * <p>The default chain asks, in the order of the AWS SDK for Java's default chain:
 * <ol>
 *   <li>system properties {@code aws.accessKeyId}/{@code aws.secretAccessKey}/{@code aws.sessionToken},
 *       else the variables {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}/{@code AWS_SESSION_TOKEN};</li>
 *   <li>a web identity token ({@code AWS_WEB_IDENTITY_TOKEN_FILE} with {@code AWS_ROLE_ARN}: EKS IRSA);</li>
 *   <li>the profile of the {@code profile} setting, else {@code AWS_PROFILE}, else {@code default}, in
 *       {@code ~/.aws/credentials} and {@code ~/.aws/config} (keys, {@code credential_process}, roles);</li>
 *   <li>a container credentials endpoint (ECS, EKS Pod Identity);</li>
 *   <li>EC2 instance metadata (IMDSv2).</li>
 * </ol>
 * With {@code role-arn} set, the proxy signs with that role, assumed with what the chain found.
 *
 * <p>Everything here shares one renewal thread and one STS client. Whoever calls
 * {@link #fromSettings} owns the result and closes it when the proxy stops; that closes every
 * provider it handed out. Making one does no I/O: the first {@code resolve()} does.
 */
public final class CredentialsProviders implements AutoCloseable {

  private final AwsEnvironment environment;
  private final CredentialSettings settings;
  private final Clock clock;
  private final AwsSdkCredentialsProvider.Timing timing;
  private final ScheduledExecutorService executor;
  private final StsClients sts;
  private final AwsSdkCredentialsProvider defaultChain;
  private final AwsSdkCredentialsProvider proxy;
  private final Map<RoleKey, AwsSdkCredentialsProvider> roles = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private record RoleKey(String roleArn, String externalId) {
  }

  CredentialsProviders(CredentialSettings settings, AwsEnvironment environment, Clock clock,
      AwsSdkCredentialsProvider.Timing timing) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.environment = Objects.requireNonNull(environment, "environment");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.timing = Objects.requireNonNull(timing, "timing");
    this.executor = AwsSdkCredentialsProvider.newExecutor();
    String profileName = profileName();
    this.sts = new StsClients(environment, settings.region(), profileName);
    this.defaultChain = new AwsSdkCredentialsProvider(defaultChain(profileName), clock, executor, timing);
    this.proxy = settings.roleArn() == null ? defaultChain
        : new AwsSdkCredentialsProvider(
            new RoleSource(settings.roleArn(), settings.externalId(), settings.sessionName(), defaultChain, sts),
            clock, executor, timing);
  }

  /**
   * The providers of {@code settings}, reading the AWS variables and files from {@code env} and
   * {@code systemProperties} only (a system property wins over its variable, as in the SDK).
   */
  public static CredentialsProviders fromSettings(CredentialSettings settings, Map<String, String> env,
      Properties systemProperties) {
    return fromSettings(settings, env, systemProperties, Clock.systemUTC());
  }

  /** As {@link #fromSettings(CredentialSettings, Map, Properties)}, with the clock expirations are read on. */
  public static CredentialsProviders fromSettings(CredentialSettings settings, Map<String, String> env,
      Properties systemProperties, Clock clock) {
    return new CredentialsProviders(settings, new AwsEnvironment(env, systemProperties), clock,
        AwsSdkCredentialsProvider.Timing.DEFAULT);
  }

  /** The providers of {@code settings} in this process's environment and system properties. */
  public static CredentialsProviders fromSystem(CredentialSettings settings) {
    return fromSettings(settings, System.getenv(), System.getProperties());
  }

  /** What the proxy signs with: the role of {@code role-arn} when set, else the default chain. */
  public AwsSdkCredentialsProvider proxy() {
    return proxy;
  }

  /** The default chain, without the {@code role-arn} role. */
  public AwsSdkCredentialsProvider defaultChain() {
    return defaultChain;
  }

  /** As {@link #forRole(String, String)} without an external id. */
  public AwsSdkCredentialsProvider forRole(String roleArn) {
    return forRole(roleArn, null);
  }

  /**
   * Credentials of {@code roleArn} (e.g. a route's function in another account), assumed with
   * {@link #proxy()}'s credentials and the {@code role-session-name}; one provider per role and
   * external id, made without I/O.
   *
   * @throws IllegalArgumentException when {@code roleArn} is not a role ARN, or {@code externalId} not an external id
   */
  public AwsSdkCredentialsProvider forRole(String roleArn, String externalId) {
    String arn = CredentialSettings.roleArn(Objects.requireNonNull(roleArn, "roleArn"));
    String id = externalId == null ? null : CredentialSettings.externalId(externalId);
    if (closed) {
      throw new IllegalStateException("closed");
    }
    return roles.computeIfAbsent(new RoleKey(arn, id), key -> new AwsSdkCredentialsProvider(
        new RoleSource(key.roleArn(), key.externalId(), settings.sessionName(), proxy, sts), clock, executor, timing));
  }

  /** Whether {@link #proxy()} has credentials now, and if not why: for a readiness check. */
  public CredentialsStatus status() {
    return proxy.status();
  }

  private String profileName() {
    if (settings.profile() != null) {
      return settings.profile();
    }
    String fromEnvironment = environment.get("aws.profile", "AWS_PROFILE");
    return fromEnvironment != null ? fromEnvironment : "default";
  }

  private CredentialChain defaultChain(String profileName) {
    ProfileSource profile = new ProfileSource(environment, profileName, "set AWS_PROFILE or the profile setting to one that is");
    List<CredentialSource> sources = List.of(
        new EnvironmentSource(environment),
        new WebIdentitySource(environment, settings.sessionName(), sts),
        profile,
        new ContainerCredentialsSource(environment),
        new InstanceMetadataSource(environment, profileName));
    String advice = "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary credentials),"
        + " or AWS_PROFILE (or the profile setting) with a profile in " + profile.files()
        + ", or run with an IAM role (EKS, ECS or EC2)";
    return new CredentialChain("default chain", sources, advice);
  }

  /** Stops renewal, closes every provider handed out and the STS client. Cached credentials stay usable until they expire. */
  @Override
  public void close() {
    closed = true;
    for (AwsSdkCredentialsProvider role : roles.values()) {
      role.close();
    }
    if (proxy != defaultChain) {
      proxy.close();
    }
    defaultChain.close();
    sts.close();
    executor.shutdownNow();
  }

  @Override
  public String toString() {
    return "CredentialsProviders[" + settings + ", proxy=" + proxy + ", roles=" + roles.size() + "]";
  }
}

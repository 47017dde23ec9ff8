package dev.lambdaproxy.runtime;

import dev.lambdaproxy.authorizer.Authorizers;
import dev.lambdaproxy.cache.CacheLimits;
import dev.lambdaproxy.config.AwsAccess;
import dev.lambdaproxy.config.ConfigException;
import dev.lambdaproxy.config.ConfigValues;
import dev.lambdaproxy.config.Settings;
import dev.lambdaproxy.credentials.CredentialSettings;
import dev.lambdaproxy.credentials.CredentialsProvider;
import dev.lambdaproxy.credentials.CredentialsProviders;
import dev.lambdaproxy.credentials.CredentialsUnavailableException;
import dev.lambdaproxy.frontdoor.ApiKeys;
import dev.lambdaproxy.frontdoor.CorsSettings;
import dev.lambdaproxy.frontdoor.TracingSettings;
import dev.lambdaproxy.invoke.InvokeTarget;
import dev.lambdaproxy.route.Route;
import dev.lambdaproxy.route.RouteTable;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.Properties;

/**
 * Everything the proxy runs on, loaded and checked once: settings, routes with their Invoke
 * targets, where credentials come from, and the clock the signer reads.
 */
public final class ProxyConfig {

  private final Settings settings;
  private final RouteTable routes;
  private final Map<Route, InvokeTarget> targets;
  private final CredentialsProvider credentials;
  private final Clock clock;
  private final String source;
  private final CacheLimits cacheLimits;
  private final Function<String, CredentialsProvider> roles;
  private final Map<Route, CredentialsProvider> roleCredentials;
  private final Authorizers authorizers;
  private final CorsSettings cors;
  private final ApiKeys apiKeys;
  private final TracingSettings tracing;

  /** Until {@link #withRoles} is given the chain, a role route has nothing to assume its role with. */
  private static final Function<String, CredentialsProvider> NO_ROLES = arn -> () -> {
    throw new CredentialsUnavailableException("role-arn=" + arn + " needs the AWS credential chain to assume it");
  };

  public ProxyConfig(Settings settings, RouteTable routes, CredentialsProvider credentials, Clock clock, String source) {
    this(settings, CacheLimits.DEFAULT, routes, credentials, clock, source);
  }

  public ProxyConfig(Settings settings, CacheLimits cacheLimits, RouteTable routes, CredentialsProvider credentials, Clock clock,
      String source) {
    this(settings, cacheLimits, routes, credentials, clock, source, NO_ROLES, Authorizers.NONE, CorsSettings.NONE, ApiKeys.NONE,
        TracingSettings.DEFAULT);
  }

  private ProxyConfig(Settings settings, CacheLimits cacheLimits, RouteTable routes, CredentialsProvider credentials, Clock clock,
      String source, Function<String, CredentialsProvider> roles, Authorizers authorizers, CorsSettings cors, ApiKeys apiKeys,
      TracingSettings tracing) {
    this.roles = roles;
    this.authorizers = Objects.requireNonNull(authorizers, "authorizers");
    this.cors = Objects.requireNonNull(cors, "cors");
    this.apiKeys = Objects.requireNonNull(apiKeys, "apiKeys");
    this.tracing = Objects.requireNonNull(tracing, "tracing");
    this.cacheLimits = Objects.requireNonNull(cacheLimits, "cacheLimits");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.routes = Objects.requireNonNull(routes, "routes");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.source = Objects.requireNonNull(source, "source");
    routes.requireRegions(settings);
    // Identity keys: a request looks up the very Route object the table handed out.
    Map<Route, InvokeTarget> byRoute = new IdentityHashMap<>();
    Map<Route, CredentialsProvider> assumed = new IdentityHashMap<>();
    for (Route route : routes.routes()) {
      if (route.function() != null) {
        byRoute.put(route, InvokeTarget.of(route.function().function(), settings, route.function().stream()));
        if (route.function().roleArn() != null) {
          assumed.put(route, roles.apply(route.function().roleArn()));
        }
      }
    }
    this.targets = byRoute;
    this.roleCredentials = assumed;
  }

  /**
   * The same configuration, with routes that name a {@code role-arn} signing with that role's
   * credentials, from {@code roles} (one provider per role, made without I/O).
   */
  public ProxyConfig withRoles(Function<String, CredentialsProvider> roles) {
    return new ProxyConfig(settings, cacheLimits, routes, credentials, clock, source, Objects.requireNonNull(roles, "roles"),
        authorizers, cors, apiKeys, tracing);
  }

  /** The same configuration with these authorizers; the routes that name one are checked against them. */
  public ProxyConfig withAuthorizers(Authorizers authorizers) {
    authorizers.checkRoutes(routes);
    return new ProxyConfig(settings, cacheLimits, routes, credentials, clock, source, roles, authorizers, cors, apiKeys, tracing);
  }

  /** The authorizers of {@code lambda-proxy.properties}, by name. */
  public Authorizers authorizers() {
    return authorizers;
  }

  /** The credentials a route signs with: its role's, or the proxy's own. */
  public CredentialsProvider credentials(Route route) {
    CredentialsProvider assumed = roleCredentials.get(route);
    return assumed != null ? assumed : credentials;
  }

  /**
   * Reads {@code routes.properties} (required) and {@code lambda-proxy.properties} (optional).
   *
   * @throws ConfigException naming the file and line of the first problem
   */
  public static ProxyConfig load(ConfSource conf, Map<String, String> env, CredentialsProvider credentials, Clock clock) {
    return load(conf, env, Map.of(), credentials, clock);
  }

  /**
   * Reads the conf folder, with the environment and the command line's settings over the file.
   *
   * @param cli settings given as flags, by key
   * @throws ConfigException naming the file and line, variable or flag of the first problem
   */
  public static ProxyConfig load(ConfSource conf, Map<String, String> env, Map<String, String> cli,
      CredentialsProvider credentials, Clock clock) {
    return load(conf, values(conf, env, cli), env, credentials, clock);
  }

  /**
   * The credential providers {@code settings} ask for (profile, role-arn, ...), reading the AWS
   * variables and files from {@code env} and {@code systemProperties}. Made once at start, as the
   * settings they read wait for a restart; the caller closes them when the proxy stops.
   */
  public static CredentialsProviders credentials(Settings settings, Map<String, String> env, Properties systemProperties) {
    AwsAccess aws = settings.aws();
    return CredentialsProviders.fromSettings(
        new CredentialSettings(aws.profile(), aws.roleArn(), aws.externalId(), aws.roleSessionName(), settings.region()),
        env, systemProperties);
  }

  /** The merged settings values of the conf folder, environment and command line. */
  public static ConfigValues values(ConfSource conf, Map<String, String> env, Map<String, String> cli) {
    try (Reader file = conf.open(Settings.FILE_NAME)) {
      return ConfigValues.load(Settings.FILE_NAME, file, env, cli, Settings.allKeys());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + Settings.FILE_NAME + " in " + conf.describe(), e);
    }
  }

  public static ProxyConfig load(ConfSource conf, ConfigValues values, Map<String, String> env, CredentialsProvider credentials, Clock clock) {
    try {
      Settings settings = Settings.from(values);
      CacheLimits cacheLimits = cacheLimits(values);
      Authorizers authorizers = Authorizers.from(values, settings);
      RouteTable routes;
      try (Reader file = conf.open(RouteTable.FILE_NAME)) {
        if (file == null) {
          throw new ConfigException(RouteTable.FILE_NAME + " not found in " + conf.describe());
        }
        routes = RouteTable.parse(file, env, settings.event());
      }
      CorsSettings cors = CorsSettings.from(values);
      ApiKeys apiKeys = ApiKeys.from(values, env);
      requireApiKeys(routes, apiKeys);
      return new ProxyConfig(settings, cacheLimits, routes, credentials, clock, conf.describe(), NO_ROLES, Authorizers.NONE, cors,
          apiKeys, TracingSettings.from(values)).withAuthorizers(authorizers);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the configuration in " + conf.describe(), e);
    }
  }

  /** A route that requires an API key when no key is defined could never be called: the start stops instead. */
  static void requireApiKeys(RouteTable routes, ApiKeys apiKeys) {
    if (!apiKeys.isEmpty()) {
      return;
    }
    for (Route route : routes.routes()) {
      if (route.frontDoor().requireApiKey()) {
        throw dev.lambdaproxy.config.ConfigException.at(RouteTable.FILE_NAME, route.line(), "require-api-key=true, but no API key is"
            + " defined: add api-key.NAME.value = ${VARIABLE} and api-key.NAME.plan = PLAN to " + Settings.FILE_NAME);
      }
    }
  }

  /** The cache's size limits: each value is checked where it was given, so an error names its origin. */
  static CacheLimits cacheLimits(ConfigValues values) {
    Map<String, String> given = new HashMap<>();
    for (String key : List.of("cache-max-bytes", "cache-max-entry-bytes")) {
      String value = values.get(key, v -> {
        CacheLimits.parse(Map.of(key, v));
        return v;
      }, null);
      if (value != null) {
        given.put(key, value);
      }
    }
    try {
      return CacheLimits.parse(given);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(Settings.FILE_NAME + ": " + e.getMessage());
    }
  }

  /** The {@code cors.*} settings; {@link CorsSettings#NONE} when CORS is off. */
  public CorsSettings cors() {
    return cors;
  }

  /** The API keys and usage plans. */
  public ApiKeys apiKeys() {
    return apiKeys;
  }

  /** The {@code tracing.*} settings. */
  public TracingSettings tracing() {
    return tracing;
  }

  public CacheLimits cacheLimits() {
    return cacheLimits;
  }

  public Settings settings() {
    return settings;
  }

  public RouteTable routes() {
    return routes;
  }

  /** The Invoke call of a Lambda route; null for an HTTP endpoint route. */
  public InvokeTarget target(Route route) {
    return targets.get(route);
  }

  public CredentialsProvider credentials() {
    return credentials;
  }

  public Clock clock() {
    return clock;
  }

  /** Where the configuration was read from. */
  public String source() {
    return source;
  }
}

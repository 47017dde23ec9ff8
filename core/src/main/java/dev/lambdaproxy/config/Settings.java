package dev.lambdaproxy.config;

import dev.lambdaproxy.credentials.CredentialSettings;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The proxy-wide settings of {@code lambda-proxy.properties}, after the environment has had its
 * say (environment wins over the file).
 *
 * @param region default region of routes that do not name one in a full ARN; null if none is set
 * @param endpoint the Lambda endpoint chosen by the operator, or null for AWS's regional endpoint
 * @param timeout how long a route may wait for its function, unless the route says otherwise
 * @param maxBodyBytes the largest client body accepted (Lambda's synchronous payload limit)
 * @param sslVerify whether the TLS certificates of the endpoint are verified
 * @param maxConnections the most pooled connections to one endpoint
 * @param keepAlive how long an idle pooled connection is kept open
 * @param event the event format of routes that do not name one
 * @param trustedProxies whose X-Forwarded-For is believed for the client address
 * @param aws which AWS profile and role the proxy's credentials come from
 * @param idleTimeout how long the jar's server keeps a client connection that sends and receives nothing
 */
public record Settings(
    String region,
    URI endpoint,
    Duration timeout,
    long maxBodyBytes,
    boolean sslVerify,
    int maxConnections,
    Duration keepAlive,
    EventFormat event,
    TrustedProxies trustedProxies,
    AwsAccess aws,
    Duration idleTimeout) {

  public static final String FILE_NAME = "lambda-proxy.properties";

  public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(3000);
  /** Lambda's limit for a synchronous invocation's payload: 6 MB. */
  public static final long DEFAULT_MAX_BODY_BYTES = 6_291_456;
  public static final int DEFAULT_MAX_CONNECTIONS = 256;
  public static final Duration DEFAULT_KEEPALIVE = Duration.ofMillis(30_000);
  /** Jetty's default: a client connection silent this long is closed, a half-sent request included. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMillis(30_000);
  /** Lambda runs a function for 15 minutes at the most; a longer timeout is a typo. */
  public static final Duration MAX_TIMEOUT = Duration.ofMinutes(15);

  static final Set<String> KEYS = Set.of("region", "endpoint", "timeout-ms", "max-body-bytes", "ssl-verify",
      "max-connections", "keepalive-ms", "event", "trusted-proxies", "profile", "role-arn", "external-id", "role-session-name",
      "cache-max-bytes", "cache-max-entry-bytes", "idle-timeout-ms");

  /** Settings read once at start: a reload that changes them is told they wait for a restart. */
  public static final Set<String> RESTART_ONLY = Set.of("ssl-verify", "max-connections", "keepalive-ms",
      "profile", "role-arn", "external-id", "role-session-name", "cache-max-bytes", "cache-max-entry-bytes", "idle-timeout-ms");

  public Settings {
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(keepAlive, "keepAlive");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(trustedProxies, "trustedProxies");
    Objects.requireNonNull(aws, "aws");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    if (region != null && !Regions.isValid(region)) {
      throw new ConfigException("region '" + region + "' is not an AWS region name such as eu-west-1");
    }
    if (endpoint != null) {
      endpoint = validateEndpoint(endpoint.toString(), "endpoint");
    }
    if (maxBodyBytes <= 0) {
      throw new ConfigException("max-body-bytes must be positive, was " + maxBodyBytes);
    }
    if (maxConnections <= 0) {
      throw new ConfigException("max-connections must be positive, was " + maxConnections);
    }
  }

  public static Settings defaults() {
    return new Settings(null, null, DEFAULT_TIMEOUT, DEFAULT_MAX_BODY_BYTES, true, DEFAULT_MAX_CONNECTIONS, DEFAULT_KEEPALIVE,
        EventFormat.RAW, TrustedProxies.none(), AwsAccess.NONE, DEFAULT_IDLE_TIMEOUT);
  }

  /** The endpoint Lambda calls for {@code region} go to: the configured one, else AWS's own. */
  public URI endpointFor(String region) {
    return endpoint != null ? endpoint : Regions.lambdaEndpoint(region);
  }

  /** Reads the settings file (null reader: no file) with the environment's say, for tests and simple uses. */
  public static Settings load(Reader file, Map<String, String> env) throws IOException {
    return from(ConfigValues.load(FILE_NAME, file, env, Map.of(), allKeys()));
  }

  /** Every key lambda-proxy.properties may hold: the proxy's settings and the embedded server's. */
  public static Set<String> allKeys() {
    Set<String> all = new java.util.TreeSet<>(KEYS);
    all.addAll(ServerOptions.KEYS);
    return Set.copyOf(all);
  }

  /**
   * The proxy's settings from merged values (command line, environment, file).
   *
   * @throws ConfigException naming where a bad value came from
   */
  public static Settings from(ConfigValues values) {
    Settings defaults = defaults();
    String roleArn = values.get("role-arn", CredentialSettings::roleArn, null);
    String externalId = values.get("external-id", CredentialSettings::externalId, null);
    if (externalId != null && roleArn == null) {
      throw new ConfigException(values.origin("external-id") + ": 'external-id' needs 'role-arn': it is sent when assuming that role");
    }
    return new Settings(
        values.get("region", Settings::region, null),
        values.get("endpoint", v -> validateEndpoint(v, "endpoint"), null),
        values.get("timeout-ms", v -> millis(v, MAX_TIMEOUT), defaults.timeout()),
        values.get("max-body-bytes", Settings::positiveLong, defaults.maxBodyBytes()),
        values.get("ssl-verify", Settings::bool, defaults.sslVerify()),
        values.get("max-connections", v -> Math.toIntExact(positiveLong(v)), defaults.maxConnections()),
        values.get("keepalive-ms", v -> millis(v, Duration.ofDays(1)), defaults.keepAlive()),
        values.get("event", EventFormat::parse, defaults.event()),
        values.get("trusted-proxies", TrustedProxies::parse, defaults.trustedProxies()),
        new AwsAccess(
            values.get("profile", CredentialSettings::profile, null),
            roleArn,
            externalId,
            values.get("role-session-name", CredentialSettings::roleSessionName, null)),
        values.get("idle-timeout-ms", v -> millis(v, Duration.ofDays(1)), defaults.idleTimeout()));
  }

  /** Parses a millisecond count between 1 and {@code max}. */
  public static Duration millis(String value, Duration max) {
    long ms = positiveLong(value);
    if (ms > max.toMillis()) {
      throw new IllegalArgumentException("'" + value + "' is more than the " + max.toMillis() + " ms allowed");
    }
    return Duration.ofMillis(ms);
  }

  static String word(String value) {
    String trimmed = value.strip();
    if (trimmed.isEmpty() || trimmed.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
      throw new IllegalArgumentException("'" + value + "' must be one word without spaces");
    }
    return trimmed;
  }

  static String roleArn(String value) {
    String trimmed = value.strip();
    if (!trimmed.matches("arn:aws[a-zA-Z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}")) {
      throw new IllegalArgumentException("'" + value + "' is not an IAM role ARN (arn:aws:iam::123456789012:role/name)");
    }
    return trimmed;
  }

  static String region(String value) {
    if (!Regions.isValid(value)) {
      throw new IllegalArgumentException("'" + value + "' is not an AWS region name such as eu-west-1");
    }
    return value;
  }

  static long positiveLong(String value) {
    long parsed;
    try {
      parsed = Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + value + "' is not a whole number");
    }
    if (parsed <= 0) {
      throw new IllegalArgumentException("'" + value + "' must be positive");
    }
    return parsed;
  }

  public static boolean bool(String value) {
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw new IllegalArgumentException("'" + value + "' is not true or false");
    };
  }

  static URI validateEndpoint(String value, String where) {
    URI uri;
    try {
      uri = new URI(value.strip());
    } catch (URISyntaxException e) {
      throw new ConfigException(where + " '" + value + "' is not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
      throw new ConfigException(where + " '" + value + "' must be an http:// or https:// URL with a host");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
      throw new ConfigException(where + " '" + value + "' must not have a query, fragment or user info");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    // The Invoke path is appended to the endpoint, so a trailing slash would double up.
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return URI.create(scheme + "://" + uri.getRawAuthority() + path);
  }

}

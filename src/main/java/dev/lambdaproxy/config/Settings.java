package dev.lambdaproxy.config;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

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
    TrustedProxies trustedProxies) {

  public static final String FILE_NAME = "lambda-proxy.properties";

  public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(3000);
  /** Lambda's limit for a synchronous invocation's payload: 6 MB. */
  public static final long DEFAULT_MAX_BODY_BYTES = 6_291_456;
  public static final int DEFAULT_MAX_CONNECTIONS = 256;
  public static final Duration DEFAULT_KEEPALIVE = Duration.ofMillis(30_000);
  /** Lambda runs a function for 15 minutes at the most; a longer timeout is a typo. */
  public static final Duration MAX_TIMEOUT = Duration.ofMinutes(15);

  private static final Set<String> KEYS = Set.of("region", "endpoint", "timeout-ms", "max-body-bytes", "ssl-verify",
      "max-connections", "keepalive-ms", "event", "trusted-proxies");

  public Settings {
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(keepAlive, "keepAlive");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(trustedProxies, "trustedProxies");
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
        EventFormat.RAW, TrustedProxies.none());
  }

  /** The endpoint Lambda calls for {@code region} go to: the configured one, else AWS's own. */
  public URI endpointFor(String region) {
    return endpoint != null ? endpoint : Regions.lambdaEndpoint(region);
  }

  /**
   * Reads the settings file (null reader: no file, all defaults), then lets the environment
   * override: {@code AWS_REGION}, {@code AWS_DEFAULT_REGION}, {@code AWS_ENDPOINT_URL_LAMBDA},
   * {@code AWS_ENDPOINT_URL}.
   */
  public static Settings load(Reader file, Map<String, String> env) throws IOException {
    Map<String, ConfigLine> fromFile = new LinkedHashMap<>();
    if (file != null) {
      for (ConfigLine line : ConfigLine.read(FILE_NAME, file)) {
        String key = line.key().toLowerCase(Locale.ROOT);
        if (!KEYS.contains(key)) {
          throw line.error("unknown setting '" + line.key() + "'" + Suggestions.didYouMean(key, KEYS));
        }
        ConfigLine first = fromFile.putIfAbsent(key, line);
        if (first != null) {
          throw line.error("setting '" + key + "' is already set on line " + first.number());
        }
      }
    }
    Settings defaults = defaults();
    String region = firstNonBlank(env.get("AWS_REGION"), env.get("AWS_DEFAULT_REGION"));
    if (region == null) {
      region = parse(fromFile, "region", Settings::region, null);
    } else if (!Regions.isValid(region)) {
      throw new ConfigException("environment: AWS_REGION/AWS_DEFAULT_REGION '" + region + "' is not an AWS region name");
    }
    URI endpoint;
    String envEndpoint = firstNonBlank(env.get("AWS_ENDPOINT_URL_LAMBDA"), env.get("AWS_ENDPOINT_URL"));
    if (envEndpoint != null) {
      endpoint = validateEndpoint(envEndpoint, "environment: AWS_ENDPOINT_URL_LAMBDA/AWS_ENDPOINT_URL");
    } else {
      endpoint = parse(fromFile, "endpoint", v -> validateEndpoint(v, "endpoint"), null);
    }
    return new Settings(
          region,
          endpoint,
          parse(fromFile, "timeout-ms", v -> millis(v, MAX_TIMEOUT), defaults.timeout()),
          parse(fromFile, "max-body-bytes", Settings::positiveLong, defaults.maxBodyBytes()),
          parse(fromFile, "ssl-verify", Settings::bool, defaults.sslVerify()),
          parse(fromFile, "max-connections", v -> Math.toIntExact(positiveLong(v)), defaults.maxConnections()),
          parse(fromFile, "keepalive-ms", v -> millis(v, Duration.ofDays(1)), defaults.keepAlive()),
          parse(fromFile, "event", EventFormat::parse, defaults.event()),
          parse(fromFile, "trusted-proxies", TrustedProxies::parse, defaults.trustedProxies()));
  }

  private static <T> T parse(Map<String, ConfigLine> lines, String key, Function<String, T> parser, T fallback) {
    ConfigLine line = lines.get(key);
    if (line == null) {
      return fallback;
    }
    try {
      return parser.apply(line.value());
    } catch (IllegalArgumentException | ArithmeticException | ConfigException e) {
      throw line.error("'" + key + "': " + e.getMessage());
    }
  }

  /** Parses a millisecond count between 1 and {@code max}. */
  public static Duration millis(String value, Duration max) {
    long ms = positiveLong(value);
    if (ms > max.toMillis()) {
      throw new IllegalArgumentException("'" + value + "' is more than the " + max.toMillis() + " ms allowed");
    }
    return Duration.ofMillis(ms);
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

  private static String firstNonBlank(String... values) {
    for (String value : values) {
      if (value != null && !value.isBlank()) {
        return value.strip();
      }
    }
    return null;
  }

  public static List<String> keys() {
    return KEYS.stream().sorted().toList();
  }
}

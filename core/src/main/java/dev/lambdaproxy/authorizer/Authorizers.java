package dev.lambdaproxy.authorizer;

import dev.lambdaproxy.config.ConfigException;
import dev.lambdaproxy.config.ConfigValues;
import dev.lambdaproxy.config.Settings;
import dev.lambdaproxy.config.Suggestions;
import dev.lambdaproxy.invoke.InvokeTarget;
import dev.lambdaproxy.route.FunctionRef;
import dev.lambdaproxy.route.Route;
import dev.lambdaproxy.route.RouteTable;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The authorizers of {@code lambda-proxy.properties} ({@code authorizer.NAME.KEY = value}), read and
 * checked at load: every key known for its type, every value valid, an issuer on {@code https://}
 * unless on a loopback address. {@link #checkRoutes} then checks the routes that name them. Every
 * error names the file and line ({@code lambda-proxy.properties:7: ...} or {@code routes.properties:3: ...}).
 */
public final class Authorizers {

  public static final Authorizers NONE = new Authorizers(Map.of());

  static final String PREFIX = "authorizer.";
  static final Set<String> JWT_KEYS = Set.of("type", "issuer", "audience", "jwks-uri", "identity-source", "clock-skew",
      "jwks-refresh");
  static final Set<String> LAMBDA_KEYS = Set.of("type", "function", "identity-source", "ttl", "simple-responses", "timeout",
      "region", "account", "api-id", "stage");
  static final Set<String> ALL_KEYS = union(JWT_KEYS, LAMBDA_KEYS);

  public static final Duration DEFAULT_TTL = Duration.ofSeconds(300);
  public static final Duration MAX_TTL = Duration.ofSeconds(3600);
  public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);
  public static final Duration DEFAULT_JWKS_REFRESH = Duration.ofMinutes(5);
  static final Duration MAX_TIMEOUT = Duration.ofSeconds(30);
  static final String DEFAULT_REGION = "us-east-1";

  private static final Pattern NAME = Pattern.compile("[a-z0-9_-]{1,64}");
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");
  private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
  private static final Pattern ARN_PART = Pattern.compile("[A-Za-z0-9$_.-]{1,128}");

  private final Map<String, AuthorizerSpec> byName;

  private Authorizers(Map<String, AuthorizerSpec> byName) {
    this.byName = Collections.unmodifiableMap(new LinkedHashMap<>(byName));
  }

  /** The authorizer of that name (any case), or null. */
  public AuthorizerSpec get(String name) {
    return name == null ? null : byName.get(name.toLowerCase(Locale.ROOT));
  }

  public Map<String, AuthorizerSpec> byName() {
    return byName;
  }

  public boolean isEmpty() {
    return byName.isEmpty();
  }

  /** The authorizer a route names, or null when it names none. */
  public AuthorizerSpec of(Route route) {
    return get(route.frontDoor().authorizer());
  }

  /**
   * Reads the {@code authorizer.} section.
   *
   * @param settings for the region and endpoint of the authorizer functions, and the default timeout
   * @throws ConfigException naming the line of the first problem
   */
  public static Authorizers from(ConfigValues values, Settings settings) {
    Map<String, Map<String, ConfigValues.Value>> grouped = new TreeMap<>();
    for (Map.Entry<String, ConfigValues.Value> entry : values.withPrefix(PREFIX).entrySet()) {
      String rest = entry.getKey().substring(PREFIX.length());
      int dot = rest.indexOf('.');
      ConfigValues.Value value = entry.getValue();
      if (dot <= 0 || dot == rest.length() - 1) {
        throw new ConfigException(value.origin() + ": '" + entry.getKey() + "' must be authorizer.NAME.KEY, e.g. authorizer."
            + (dot <= 0 ? rest : rest.substring(0, dot)) + ".type");
      }
      String name = rest.substring(0, dot);
      String key = rest.substring(dot + 1);
      if (!NAME.matcher(name).matches()) {
        throw new ConfigException(value.origin() + ": authorizer name '" + name
            + "' may hold only letters, digits, '-' and '_' (at most 64)");
      }
      if (!ALL_KEYS.contains(key)) {
        throw new ConfigException(value.origin() + ": unknown setting '" + entry.getKey() + "'"
            + Suggestions.didYouMean(entry.getKey(), ALL_KEYS.stream().map(k -> PREFIX + name + "." + k).toList()));
      }
      grouped.computeIfAbsent(name, n -> new TreeMap<>()).put(key, value);
    }
    Map<String, AuthorizerSpec> byName = new LinkedHashMap<>();
    grouped.forEach((name, keys) -> byName.put(name, spec(name, keys, settings)));
    return new Authorizers(byName);
  }

  private static AuthorizerSpec spec(String name, Map<String, ConfigValues.Value> keys, Settings settings) {
    ConfigValues.Value typeValue = keys.get("type");
    if (typeValue == null) {
      ConfigValues.Value first = keys.values().iterator().next();
      throw new ConfigException(first.origin() + ": authorizer '" + name + "' needs '" + PREFIX + name
          + ".type' (jwt, request, request-v1 or token)");
    }
    Reader reader = new Reader(name, keys);
    AuthorizerType type = reader.get("type", AuthorizerType::parse, null);
    Set<String> allowed = type == AuthorizerType.JWT ? JWT_KEYS : LAMBDA_KEYS;
    for (Map.Entry<String, ConfigValues.Value> entry : keys.entrySet()) {
      if (!allowed.contains(entry.getKey()) || (entry.getKey().equals("simple-responses") && type != AuthorizerType.REQUEST)) {
        throw new ConfigException(entry.getValue().origin() + ": '" + PREFIX + name + "." + entry.getKey()
            + "' does not apply to a " + type.text() + " authorizer");
      }
    }
    return type == AuthorizerType.JWT ? jwt(name, reader, typeValue) : lambda(name, type, reader, typeValue, settings);
  }

  private static AuthorizerSpec.Jwt jwt(String name, Reader reader, ConfigValues.Value typeValue) {
    URI issuer = reader.required("issuer", typeValue, text -> secureUri(text, "issuer"));
    List<String> audiences = reader.required("audience", typeValue, Authorizers::list);
    URI jwksUri = reader.get("jwks-uri", text -> secureUri(text, "JWKS URL"), null);
    List<IdentitySource> sources = reader.get("identity-source", Authorizers::identitySources, List.of(IdentitySource.AUTHORIZATION));
    if (sources.size() != 1) {
      throw reader.error("identity-source", "a jwt authorizer reads its token from one identity source");
    }
    Duration skew = reader.get("clock-skew", text -> duration(text, Duration.ZERO, Duration.ofMinutes(5)), DEFAULT_CLOCK_SKEW);
    Duration refresh = reader.get("jwks-refresh", text -> duration(text, Duration.ofSeconds(1), Duration.ofDays(1)),
        DEFAULT_JWKS_REFRESH);
    return new AuthorizerSpec.Jwt(name, issuer, audiences, jwksUri, sources.get(0), skew, refresh);
  }

  private static AuthorizerSpec.Lambda lambda(String name, AuthorizerType type, Reader reader, ConfigValues.Value typeValue,
      Settings settings) {
    FunctionRef function = reader.required("function", typeValue, FunctionRef::parse);
    List<IdentitySource> sources = reader.get("identity-source", Authorizers::identitySources, List.of(IdentitySource.AUTHORIZATION));
    if (type == AuthorizerType.TOKEN && sources.size() != 1) {
      throw reader.error("identity-source", "a token authorizer reads its token from exactly one identity source");
    }
    Duration ttl = reader.get("ttl", text -> duration(text, Duration.ZERO, MAX_TTL), DEFAULT_TTL);
    if (!ttl.isZero() && sources.isEmpty()) {
      throw reader.error(reader.has("ttl") ? "ttl" : "identity-source",
          "decisions are cached by the identity sources: with none, set ttl = 0s");
    }
    boolean simple = reader.get("simple-responses", Authorizers::bool, false);
    Duration timeout = reader.get("timeout", text -> duration(text, Duration.ofMillis(1), MAX_TIMEOUT), settings.timeout());
    String functionRegion = function.region() != null ? function.region() : settings.region();
    if (functionRegion == null) {
      throw reader.error("function", "no region for function " + function.display()
          + ": set region (or AWS_REGION), or name the function by its full ARN");
    }
    InvokeTarget target = InvokeTarget.of(function, settings);
    String region = reader.get("region", text -> arnPart(text, "region"), functionRegion);
    String account = reader.get("account", text -> {
      if (!ACCOUNT.matcher(text.strip()).matches()) {
        throw new IllegalArgumentException("'" + text + "' is not a 12-digit AWS account id");
      }
      return text.strip();
    }, accountOf(function));
    String apiId = reader.get("api-id", text -> arnPart(text, "API id"), ExecuteApiArn.DEFAULT_API_ID);
    String stage = reader.get("stage", text -> arnPart(text, "stage"), ExecuteApiArn.DEFAULT_STAGE);
    return new AuthorizerSpec.Lambda(name, type, function, target, sources, ttl, simple, timeout,
        new ExecuteApiArn(region, account, apiId, stage));
  }

  /** The account of a function named by ARN or partial ARN: the API is in the account of its authorizer. */
  private static String accountOf(FunctionRef function) {
    Matcher matcher = Pattern.compile("(?:^|:)(\\d{12}):function:").matcher(function.reference());
    return matcher.find() ? matcher.group(1) : ExecuteApiArn.DEFAULT_ACCOUNT;
  }

  /**
   * Checks the routes that name authorizers: the name must exist, {@code scopes=} needs a JWT
   * authorizer, and {@code cache=} needs an authorizer that knows who the caller is (its cache
   * key then varies by that identity).
   *
   * @throws ConfigException naming the route's line
   */
  public void checkRoutes(RouteTable routes) {
    for (Route route : routes.routes()) {
      String name = route.frontDoor().authorizer();
      if (name == null) {
        continue;
      }
      AuthorizerSpec spec = get(name);
      if (spec == null) {
        throw ConfigException.at(RouteTable.FILE_NAME, route.line(), "authorizer '" + name + "' is not defined in "
            + Settings.FILE_NAME + (byName.isEmpty()
                ? " (add authorizer." + name + ".type and its settings)"
                : "; defined: " + String.join(", ", new TreeSet<>(byName.keySet()))
                    + Suggestions.didYouMean(name, byName.keySet())));
      }
      if (!route.frontDoor().scopes().isEmpty() && spec.type() != AuthorizerType.JWT) {
        throw ConfigException.at(RouteTable.FILE_NAME, route.line(), "scopes= needs a jwt authorizer; '" + spec.name()
            + "' is a " + spec.type().text() + " authorizer, whose function decides on scopes itself");
      }
      if (route.function() != null && route.function().cache() != null && spec.identitySources().isEmpty()) {
        throw ConfigException.at(RouteTable.FILE_NAME, route.line(), "cache= on a route with authorizer '" + spec.name()
            + "' needs the authorizer's identity-source: cached answers are kept per caller");
      }
    }
  }

  /** Reads one authorizer's keys, each error naming the key's line. */
  private static final class Reader {
    private final String name;
    private final Map<String, ConfigValues.Value> keys;

    Reader(String name, Map<String, ConfigValues.Value> keys) {
      this.name = name;
      this.keys = keys;
    }

    boolean has(String key) {
      return keys.containsKey(key);
    }

    <T> T get(String key, Function<String, T> parser, T fallback) {
      ConfigValues.Value value = keys.get(key);
      if (value == null) {
        return fallback;
      }
      try {
        return parser.apply(value.text());
      } catch (IllegalArgumentException e) {
        throw error(key, e.getMessage());
      }
    }

    <T> T required(String key, ConfigValues.Value typeValue, Function<String, T> parser) {
      if (!keys.containsKey(key)) {
        throw new ConfigException(typeValue.origin() + ": authorizer '" + name + "' needs '" + PREFIX + name + "." + key + "'");
      }
      return get(key, parser, null);
    }

    ConfigException error(String key, String problem) {
      ConfigValues.Value value = keys.get(key);
      String where = value != null ? value.origin() : keys.get("type").origin();
      return new ConfigException(where + ": '" + PREFIX + name + "." + key + "': " + problem);
    }
  }

  /** An issuer or JWKS URL: https, or http on a loopback address only (a token's keys must not travel in clear). */
  static URI secureUri(String text, String what) {
    URI uri;
    try {
      uri = new URI(text.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("'" + text + "' is not a URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
      throw new IllegalArgumentException("'" + text + "' is not an https:// URL");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("the " + what + " '" + text + "' may not have a query or fragment");
    }
    if (scheme.equals("http") && !isLoopback(uri.getHost())) {
      throw new IllegalArgumentException("the " + what + " must be https:// (plain http:// only on a loopback address), was '"
          + text + "'");
    }
    return uri;
  }

  /** localhost, 127.0.0.0/8 or ::1, from the text alone: no name is resolved. */
  static boolean isLoopback(String host) {
    String lower = host.toLowerCase(Locale.ROOT);
    if (lower.startsWith("[") && lower.endsWith("]")) {
      lower = lower.substring(1, lower.length() - 1);
    }
    if (lower.equals("localhost") || lower.equals("::1") || lower.equals("0:0:0:0:0:0:0:1")) {
      return true;
    }
    String[] octets = lower.split("\\.", -1);
    if (octets.length != 4 || !octets[0].equals("127")) {
      return false;
    }
    for (String octet : octets) {
      if (!octet.matches("\\d{1,3}") || Integer.parseInt(octet) > 255) {
        return false;
      }
    }
    return true;
  }

  /** A comma-separated list, none of it empty. */
  static List<String> list(String text) {
    List<String> items = new ArrayList<>();
    for (String item : text.split(",")) {
      if (!item.isBlank()) {
        items.add(item.strip());
      }
    }
    if (items.isEmpty()) {
      throw new IllegalArgumentException("'" + text + "' lists nothing");
    }
    return items;
  }

  /** Comma-separated identity sources; an empty value means none (for a request authorizer that reads anything). */
  static List<IdentitySource> identitySources(String text) {
    if (text.isBlank()) {
      return List.of();
    }
    List<IdentitySource> sources = new ArrayList<>();
    for (String item : list(text)) {
      sources.add(IdentitySource.parse(item));
    }
    return sources;
  }

  /** A duration with its unit: {@code 300s}, {@code 5m}, {@code 1h}, {@code 500ms}. */
  static Duration duration(String text, Duration min, Duration max) {
    Matcher matcher = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (!matcher.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a duration; write a number with its unit: 500ms, 300s, 5m, 1h");
    }
    long amount = Long.parseLong(matcher.group(1));
    Duration duration = switch (matcher.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      default -> Duration.ofHours(amount);
    };
    if (duration.compareTo(min) < 0 || duration.compareTo(max) > 0) {
      throw new IllegalArgumentException("'" + text + "' is outside " + human(min) + " to " + human(max));
    }
    return duration;
  }

  private static String human(Duration duration) {
    if (duration.isZero()) {
      return "0s";
    }
    return duration.toMillis() % 1000 != 0 ? duration.toMillis() + "ms" : duration.toSeconds() + "s";
  }

  static boolean bool(String text) {
    return switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("'" + text + "' must be true or false");
    };
  }

  private static String arnPart(String text, String what) {
    if (!ARN_PART.matcher(text.strip()).matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a valid " + what + " for an execute-api ARN");
    }
    return text.strip();
  }

  @SafeVarargs
  private static Set<String> union(Set<String>... sets) {
    Set<String> all = new TreeSet<>();
    for (Set<String> set : sets) {
      all.addAll(set);
    }
    return Set.copyOf(all);
  }
}

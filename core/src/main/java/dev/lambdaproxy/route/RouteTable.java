package dev.lambdaproxy.route;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lambdaproxy.cache.CachePolicy;
import dev.lambdaproxy.credentials.CredentialSettings;
import dev.lambdaproxy.config.ConfigException;
import dev.lambdaproxy.config.EventFormat;
import dev.lambdaproxy.config.ConfigLine;
import dev.lambdaproxy.config.Settings;
import dev.lambdaproxy.config.Suggestions;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The routes of {@code routes.properties}: immutable once parsed, matched per request. */
public final class RouteTable {

  public static final String FILE_NAME = "routes.properties";

  static final Set<String> COMMON_OPTIONS = Set.of("methods", "timeout-ms");
  /** The front door's options (issue 15): any route may take them. */
  static final Set<String> FRONT_DOOR_OPTIONS = Set.of("authorizer", "scopes", "cors", "require-api-key", "rate", "burst",
      "max-concurrency");
  static final Set<String> FUNCTION_OPTIONS = union(
      Set.of("qualifier", "content-type", "event", "invocation", "log", "client-context", "function-error-status", "stream",
          "role-arn"),
      CachePolicy.OPTIONS);
  static final Set<String> ENDPOINT_OPTIONS = Set.of("auth", "api-key", "service", "region", "forward-auth");
  static final Set<String> OPTIONS = union(COMMON_OPTIONS, FRONT_DOOR_OPTIONS, FUNCTION_OPTIONS, ENDPOINT_OPTIONS);
  static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
  /** Lambda's limit on the base64 X-Amz-Client-Context header. */
  static final int MAX_CLIENT_CONTEXT_BYTES = 3583;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<Route> routes;
  private final Map<String, Route> exact;
  /** Template, greedy and prefix routes, most specific first: the first that matches wins. */
  private final Route[] patterns;

  private RouteTable(List<Route> routes) {
    this.routes = List.copyOf(routes);
    Map<String, Route> exactRoutes = new HashMap<>();
    List<Route> patternRoutes = new ArrayList<>();
    for (Route route : routes) {
      if (route.path().kind() == PathPattern.Kind.EXACT) {
        exactRoutes.put(route.pattern(), route);
      } else {
        patternRoutes.add(route);
      }
    }
    patternRoutes.sort((a, b) -> a.path().compareTo(b.path()));
    this.exact = Map.copyOf(exactRoutes);
    this.patterns = patternRoutes.toArray(Route[]::new);
  }

  public static RouteTable of(Collection<Route> routes) {
    return new RouteTable(new ArrayList<>(routes));
  }

  /**
   * The most specific route for a decoded, normalized request path, or null.
   *
   * <p>The container has already decoded the path and refused ambiguous ones (an encoded '/' or a
   * '..' that escapes), so a '/' here always separates segments.
   */
  public RouteMatch match(String path) {
    Route route = exact.get(path);
    if (route != null) {
      return new RouteMatch(route, Map.of(), "");
    }
    if (patterns.length == 0) {
      return null;
    }
    String[] segments = path.length() <= 1 ? new String[0] : path.substring(1).split("/", -1);
    for (Route candidate : patterns) {
      Map<String, String> parameters = candidate.path().match(path, segments);
      if (parameters != null) {
        return new RouteMatch(candidate, parameters, remainder(candidate.path(), path, segments));
      }
    }
    return null;
  }

  private static String remainder(PathPattern pattern, String path, String[] segments) {
    if (pattern.kind() == PathPattern.Kind.PREFIX) {
      String prefix = pattern.prefix();
      return path.length() <= prefix.length() + 1 ? "" : path.substring(prefix.length() + 1);
    }
    if (pattern.kind() == PathPattern.Kind.GREEDY) {
      return String.join("/", java.util.Arrays.asList(segments).subList(pattern.fixedSegments(), segments.length));
    }
    return "";
  }

  public List<Route> routes() {
    return routes;
  }

  public int size() {
    return routes.size();
  }

  /** Parses a routes file with no environment and raw events by default: for tests and simple uses. */
  public static RouteTable parse(Reader reader) throws IOException {
    return parse(reader, Map.of(), EventFormat.RAW);
  }

  /**
   * Parses a routes file: one {@code PATH = TARGET [; option=value]...} a line.
   *
   * @param env the environment {@code ${NAME}} references are taken from
   * @param defaultEvent the event format of routes that do not name one
   * @throws ConfigException naming the line and what is wrong with it
   */
  public static RouteTable parse(Reader reader, Map<String, String> env, EventFormat defaultEvent) throws IOException {
    List<Route> routes = new ArrayList<>();
    Map<String, Route> seen = new HashMap<>();
    for (ConfigLine line : ConfigLine.read(FILE_NAME, reader)) {
      Route route = parseLine(line, env, defaultEvent);
      Route first = seen.putIfAbsent(route.pattern(), route);
      if (first != null) {
        throw line.error("duplicate route for " + route.pattern() + " (first on line " + first.line() + ")");
      }
      for (Route other : routes) {
        if (other.path().kind() != PathPattern.Kind.EXACT && other.path().sameShape(route.path())) {
          throw line.error("route " + route.pattern() + " and " + other.pattern() + " on line " + other.line()
              + " match the same paths and neither is more specific; rename or remove one");
        }
      }
      routes.add(route);
    }
    return new RouteTable(routes);
  }

  static Route parseLine(ConfigLine line, Map<String, String> env, EventFormat defaultEvent) {
    try {
      return parseExpandedLine(line, env, defaultEvent);
    } catch (ConfigException e) {
      // A message may quote a value; one that came from ${NAME} may be a secret, so it is shown as ${NAME}.
      String message = EnvReferences.redact(e.getMessage(), line.value(), env);
      throw message.equals(e.getMessage()) ? e : new ConfigException(message);
    }
  }

  private static Route parseExpandedLine(ConfigLine line, Map<String, String> env, EventFormat defaultEvent) {
    PathPattern path;
    try {
      path = PathPattern.parse(line.key());
    } catch (IllegalArgumentException e) {
      throw line.error(e.getMessage());
    }
    List<String> parts = splitOptions(line);
    String writtenTarget = parts.get(0);
    String targetText = expand(line, writtenTarget, env);
    if (targetText.isEmpty()) {
      throw line.error("empty function name for " + path);
    }
    Map<String, String> options = new LinkedHashMap<>();
    for (String part : parts.subList(1, parts.size())) {
      int equals = part.indexOf('=');
      if (equals <= 0) {
        throw line.error("expected 'option=value' after ';', found '" + part + "'");
      }
      String option = part.substring(0, equals).strip().toLowerCase(Locale.ROOT);
      String value = expand(line, unquote(part.substring(equals + 1).strip()), env);
      if (!OPTIONS.contains(option)) {
        throw line.error("unknown option '" + option + "'" + Suggestions.didYouMean(option, OPTIONS));
      }
      if (options.putIfAbsent(option, value) != null) {
        throw line.error("option '" + option + "' is given twice");
      }
      if (value.isEmpty()) {
        throw line.error("option '" + option + "' has no value");
      }
    }
    boolean endpoint = targetText.regionMatches(true, 0, "http://", 0, 7) || targetText.regionMatches(true, 0, "https://", 0, 8);
    Set<String> foreign = endpoint ? FUNCTION_OPTIONS : ENDPOINT_OPTIONS;
    for (String option : options.keySet()) {
      if (foreign.contains(option)) {
        throw line.error("option '" + option + "' is for " + (endpoint ? "Lambda function routes" : "HTTP endpoint routes")
            + ", not " + (endpoint ? "an HTTP endpoint" : "a Lambda function"));
      }
    }
    Set<String> methods = options.containsKey("methods") ? methods(line, options.get("methods")) : Set.of();
    Duration timeout = null;
    if (options.containsKey("timeout-ms")) {
      try {
        timeout = Settings.millis(options.get("timeout-ms"), Settings.MAX_TIMEOUT);
      } catch (IllegalArgumentException e) {
        throw line.error("timeout-ms: " + e.getMessage());
      }
    }
    RouteTarget target = endpoint
        ? endpointTarget(line, targetText, writtenTarget, options)
        : functionTarget(line, targetText, options, defaultEvent);
    return new Route(path, target, methods, timeout, line.number(), frontDoor(line, options));
  }

  private static FrontDoorOptions frontDoor(ConfigLine line, Map<String, String> options) {
    if (java.util.Collections.disjoint(options.keySet(), FRONT_DOOR_OPTIONS)) {
      return FrontDoorOptions.NONE;
    }
    String authorizer = options.get("authorizer");
    List<String> scopes = new ArrayList<>();
    if (options.containsKey("scopes")) {
      for (String scope : options.get("scopes").split(",")) {
        if (!scope.isBlank()) {
          scopes.add(scope.strip());
        }
      }
      if (authorizer == null) {
        throw line.error("scopes= needs an authorizer= on the same route");
      }
    }
    boolean cors = !options.containsKey("cors") || bool(line, "cors", options.get("cors"));
    boolean requireApiKey = options.containsKey("require-api-key") && bool(line, "require-api-key", options.get("require-api-key"));
    Double rate = null;
    if (options.containsKey("rate")) {
      try {
        rate = Double.parseDouble(options.get("rate"));
      } catch (NumberFormatException e) {
        rate = Double.NaN;
      }
      if (!(rate > 0) || rate.isInfinite()) {
        throw line.error("rate= must be a positive number of requests per second, was '" + options.get("rate") + "'");
      }
    }
    Integer burst = positiveInt(line, "burst", options.get("burst"));
    if (burst != null && rate == null) {
      throw line.error("burst= needs a rate= on the same route");
    }
    Integer maxConcurrency = positiveInt(line, "max-concurrency", options.get("max-concurrency"));
    return new FrontDoorOptions(authorizer, scopes, cors, requireApiKey, rate, burst, maxConcurrency);
  }

  private static boolean bool(ConfigLine line, String option, String value) {
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw line.error(option + "= must be true or false, was '" + value + "'");
    };
  }

  private static Integer positiveInt(ConfigLine line, String option, String value) {
    if (value == null) {
      return null;
    }
    try {
      int parsed = Integer.parseInt(value.strip());
      if (parsed > 0) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // told below
    }
    throw line.error(option + "= must be a positive whole number, was '" + value + "'");
  }

  private static FunctionTarget functionTarget(ConfigLine line, String text, Map<String, String> options, EventFormat defaultEvent) {
    FunctionRef function;
    try {
      function = FunctionRef.parse(text);
    } catch (IllegalArgumentException e) {
      throw line.error(e.getMessage());
    }
    String qualifier = options.get("qualifier");
    if (qualifier != null) {
      if (!FunctionRef.isValidQualifier(qualifier)) {
        throw line.error("qualifier '" + qualifier + "' is not an alias or version ($LATEST, 1, live...)");
      }
      if (function.qualifier() != null && !function.qualifier().equals(qualifier)) {
        throw line.error("qualifier '" + qualifier + "' contradicts the ':" + function.qualifier() + "' of the function");
      }
      function = function.withQualifier(qualifier);
    }
    try {
      EventFormat event = options.containsKey("event") ? EventFormat.parse(options.get("event")) : defaultEvent;
      InvocationType invocation = options.containsKey("invocation")
          ? InvocationType.parse(options.get("invocation"))
          : InvocationType.REQUEST_RESPONSE;
      String contentType = options.containsKey("content-type")
          ? contentType(options.get("content-type"))
          : FunctionTarget.DEFAULT_CONTENT_TYPE;
      int errorStatus = options.containsKey("function-error-status")
          ? status(options.get("function-error-status"))
          : FunctionTarget.DEFAULT_FUNCTION_ERROR_STATUS;
      boolean logTail = options.containsKey("log") && logTail(options.get("log"));
      String clientContext = options.containsKey("client-context") ? clientContext(options.get("client-context")) : null;
      boolean stream = options.containsKey("stream") && Settings.bool(options.get("stream"));
      CachePolicy cache = CachePolicy.parse(options);
      if (cache == null && options.keySet().stream().anyMatch(CachePolicy.OPTIONS::contains)) {
        throw new IllegalArgumentException("stale-while-revalidate, stale-if-error, vary and client-no-cache go with cache=DURATION");
      }
      String roleArn = options.containsKey("role-arn") ? CredentialSettings.roleArn(options.get("role-arn")) : null;
      return new FunctionTarget(function, event, invocation, contentType, errorStatus, logTail, clientContext, stream, cache, roleArn);
    } catch (IllegalArgumentException e) {
      throw line.error(e.getMessage());
    }
  }

  private static HttpEndpoint endpointTarget(ConfigLine line, String text, String written, Map<String, String> options) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw line.error("'" + text + "' is not a URL");
    }
    if (uri.getHost() == null) {
      throw line.error("'" + text + "' has no host");
    }
    if (uri.getRawUserInfo() != null) {
      // Not echoed: the user info may be a password.
      throw line.error("the URL of " + uri.getHost() + " must not carry user info; use auth= and api-key=${ENV_NAME}");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw line.error("'" + text + "' must not have a query or fragment; the client's query is appended");
    }
    try {
      HttpEndpoint.Auth auth = options.containsKey("auth") ? HttpEndpoint.Auth.parse(options.get("auth")) : HttpEndpoint.Auth.NONE;
      if (options.containsKey("api-key") && auth != HttpEndpoint.Auth.APIKEY) {
        throw new IllegalArgumentException("api-key is only sent with auth=apikey");
      }
      if ((options.containsKey("service") || options.containsKey("region")) && auth != HttpEndpoint.Auth.IAM) {
        throw new IllegalArgumentException("service= and region= are only used with auth=iam");
      }
      String service = null;
      String region = null;
      if (auth == HttpEndpoint.Auth.IAM) {
        String[] inferred = HttpEndpoint.inferServiceAndRegion(uri.getHost());
        service = options.getOrDefault("service", inferred[0]);
        region = options.getOrDefault("region", inferred[1]);
        if (service == null) {
          throw new IllegalArgumentException("auth=iam: the host " + uri.getHost()
              + " is neither execute-api nor lambda-url; set service=execute-api or service=lambda");
        }
        if (region == null) {
          throw new IllegalArgumentException("auth=iam: cannot tell the region from " + uri.getHost() + "; set region=");
        }
      }
      Secret apiKey = options.containsKey("api-key") ? new Secret(options.get("api-key")) : null;
      boolean forwardAuth = options.containsKey("forward-auth") && Settings.bool(options.get("forward-auth"));
      return new HttpEndpoint(uri, written, auth, apiKey, service, region, forwardAuth);
    } catch (IllegalArgumentException e) {
      throw line.error(e.getMessage());
    }
  }

  private static String expand(ConfigLine line, String value, Map<String, String> env) {
    try {
      return EnvReferences.expand(value, env);
    } catch (IllegalArgumentException e) {
      throw line.error(e.getMessage());
    }
  }

  /**
   * Splits at {@code ;} outside double quotes, so a quoted value (a Content-Type with parameters,
   * a JSON client context) may hold {@code ;}; inside quotes {@code \"} is a quote.
   */
  private static List<String> splitOptions(ConfigLine line) {
    List<String> parts = new ArrayList<>();
    String value = line.value();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (quoted && c == '\\' && i + 1 < value.length()) {
        current.append(c).append(value.charAt(++i)); // kept escaped until unquote
        continue;
      }
      if (c == '"') {
        quoted = !quoted;
      }
      if (c == ';' && !quoted) {
        parts.add(current.toString().strip());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    if (quoted) {
      throw line.error("unclosed '\"'");
    }
    parts.add(current.toString().strip());
    return parts;
  }

  private static String unquote(String value) {
    if (value.length() < 2 || !value.startsWith("\"") || !value.endsWith("\"")) {
      return value;
    }
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 1; i < value.length() - 1; i++) {
      char c = value.charAt(i);
      if (c == '\\' && i + 1 < value.length() - 1) {
        c = value.charAt(++i);
      }
      out.append(c);
    }
    return out.toString().strip();
  }

  private static String contentType(String value) {
    int slash = value.indexOf('/');
    if (slash <= 0 || slash == value.length() - 1 || value.chars().anyMatch(c -> c < ' ' || c == 0x7f)) {
      throw new IllegalArgumentException("content-type '" + value + "' is not a media type such as text/html");
    }
    // The proxy sends a string answer as UTF-8, so a text type without a charset gets one.
    String lower = value.toLowerCase(Locale.ROOT);
    if (lower.startsWith("text/") && !lower.contains("charset=")) {
      return value + "; charset=utf-8";
    }
    return value;
  }

  private static int status(String value) {
    try {
      int status = Integer.parseInt(value.strip());
      if (status >= 400 && status <= 599) {
        return status;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new IllegalArgumentException("function-error-status '" + value + "' is not an error status (400-599)");
  }

  private static boolean logTail(String value) {
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "tail" -> true;
      case "none" -> false;
      default -> throw new IllegalArgumentException("log '" + value + "' is not tail or none");
    };
  }

  /** Takes the client context as JSON, as a person writes it, and sends it base64-encoded, as Lambda wants it. */
  private static String clientContext(String value) {
    JsonNode node;
    try {
      node = JSON.readTree(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("client-context must be a JSON object, e.g. client-context=\"{\\\"custom\\\":{\\\"k\\\":\\\"v\\\"}}\"");
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("client-context must be a JSON object");
    }
    String encoded = Base64.getEncoder().encodeToString(node.toString().getBytes(StandardCharsets.UTF_8));
    if (encoded.length() > MAX_CLIENT_CONTEXT_BYTES) {
      throw new IllegalArgumentException("client-context is " + encoded.length() + " bytes in base64; Lambda takes at most "
          + MAX_CLIENT_CONTEXT_BYTES);
    }
    return encoded;
  }

  private static Set<String> methods(ConfigLine line, String value) {
    Set<String> methods = new LinkedHashSet<>();
    for (String method : value.split(",")) {
      String upper = method.strip().toUpperCase(Locale.ROOT);
      if (!METHODS.contains(upper)) {
        throw line.error("method '" + method.strip() + "' is not one of " + new TreeSet<>(METHODS));
      }
      methods.add(upper);
    }
    return methods;
  }

  /** Checks, once at start-up, that every Lambda route can be given a region and so an endpoint. */
  public void requireRegions(Settings settings) {
    if (settings.region() != null) {
      return;
    }
    for (Route route : routes) {
      FunctionTarget function = route.function();
      if (function != null && function.function().region() == null) {
        throw new ConfigException(FILE_NAME + ":" + route.line() + ": no region for function '"
            + function.display() + "': set region in " + Settings.FILE_NAME
            + " or AWS_REGION, or name the function by its full ARN");
      }
    }
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

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
  private final Map<String, PathRoutes> exact;
  /** Template, greedy and prefix paths, most specific first: the first that matches wins. */
  private final PathRoutes[] patterns;

  /**
   * The lines of one path (one shape: {@code /users/{id}} and {@code /users/{name}} are one path),
   * in the order written; several only when each names methods and no two share one.
   */
  private record PathRoutes(Route[] lines, Set<String> allowedMethods) {

    static PathRoutes of(List<Route> lines) {
      Set<String> allowed = new LinkedHashSet<>();
      for (Route line : lines) {
        if (line.methods().isEmpty()) {
          allowed.clear();
          break; // a line without methods= is alone on its path: every method is allowed
        }
        allowed.addAll(line.methods());
      }
      return new PathRoutes(lines.toArray(Route[]::new), allowed);
    }

    PathPattern path() {
      return lines[0].path();
    }

    /** The line that takes the method; the first line when none does (or when the method is not known), for the 405. */
    Route line(String method) {
      if (method != null) {
        for (Route line : lines) {
          if (line.allows(method)) {
            return line;
          }
        }
      }
      return lines[0];
    }
  }

  private RouteTable(List<Route> routes) {
    this.routes = List.copyOf(routes);
    Map<String, List<Route>> byShape = new LinkedHashMap<>();
    for (Route route : routes) {
      byShape.computeIfAbsent(route.path().shape(), shape -> new ArrayList<>()).add(route);
    }
    Map<String, PathRoutes> exactRoutes = new HashMap<>();
    List<PathRoutes> patternRoutes = new ArrayList<>();
    for (List<Route> lines : byShape.values()) {
      PathRoutes path = PathRoutes.of(lines);
      if (path.path().kind() == PathPattern.Kind.EXACT) {
        exactRoutes.put(path.path().toString(), path);
      } else {
        patternRoutes.add(path);
      }
    }
    patternRoutes.sort((a, b) -> a.path().compareTo(b.path()));
    this.exact = Map.copyOf(exactRoutes);
    this.patterns = patternRoutes.toArray(PathRoutes[]::new);
  }

  public static RouteTable of(Collection<Route> routes) {
    return new RouteTable(new ArrayList<>(routes));
  }

  /** The most specific route for a path, whatever the method: the first line of the path. See {@link #match(String, String)}. */
  public RouteMatch match(String path) {
    return match(path, null);
  }

  /**
   * The route for a decoded, normalized request path and its method, or null when no path matches.
   *
   * <p>The most specific path wins; of its lines, the one whose methods include {@code method}.
   * When none does, the match holds the path's first line, which does not allow the method, and
   * {@link RouteMatch#allowedMethods()} says what the path's lines allow together (the 405).
   *
   * <p>The container has already decoded the path and refused ambiguous ones (an encoded '/' or a
   * '..' that escapes), so a '/' here always separates segments.
   */
  public RouteMatch match(String path, String method) {
    PathRoutes exactPath = exact.get(path);
    if (exactPath != null) {
      return new RouteMatch(exactPath.line(method), Map.of(), "", exactPath.allowedMethods());
    }
    if (patterns.length == 0) {
      return null;
    }
    String[] segments = path.length() <= 1 ? new String[0] : path.substring(1).split("/", -1);
    for (PathRoutes candidate : patterns) {
      Map<String, String> parameters = candidate.path().match(path, segments);
      if (parameters != null) {
        Route route = candidate.line(method);
        if (route.path() != candidate.path()) {
          parameters = route.path().match(path, segments); // the same shape, its own variable names
        }
        return new RouteMatch(route, parameters, remainder(route.path(), path, segments), candidate.allowedMethods());
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
    for (ConfigLine line : ConfigLine.read(FILE_NAME, reader)) {
      Route route = parseLine(line, env, defaultEvent);
      for (Route other : routes) {
        refuseOverlap(line, route, other);
      }
      routes.add(route);
    }
    return new RouteTable(routes);
  }

  /**
   * One path may have several lines, as API Gateway's route key is method and path, but never two
   * that take the same method: neither could win.
   */
  private static void refuseOverlap(ConfigLine line, Route route, Route other) {
    boolean samePattern = other.pattern().equals(route.pattern());
    if (!samePattern && (other.path().kind() == PathPattern.Kind.EXACT || !other.path().sameShape(route.path()))) {
      return;
    }
    Set<String> shared = sharedMethods(route, other);
    if (shared != null && shared.isEmpty()) {
      return;
    }
    String methods = shared == null ? "" : String.join(",", shared);
    String hint = "; lines of one path need methods= that do not overlap";
    if (samePattern) {
      throw line.error("duplicate route for " + (methods.isEmpty() ? "" : methods + " ") + route.pattern()
          + " (first on line " + other.line() + ")" + (methods.isEmpty() && route.methods().isEmpty() && other.methods().isEmpty() ? "" : hint));
    }
    throw line.error("route " + route.pattern() + " and " + other.pattern() + " on line " + other.line()
        + " match the same paths" + (methods.isEmpty() ? "" : " for " + methods)
        + " and neither is more specific; rename or remove one, or give them methods= that do not overlap");
  }

  /** The methods two routes both take, in the order the first names them; null when both take every method. */
  private static Set<String> sharedMethods(Route route, Route other) {
    if (route.methods().isEmpty() && other.methods().isEmpty()) {
      return null;
    }
    if (route.methods().isEmpty()) {
      return other.methods();
    }
    Set<String> shared = new LinkedHashSet<>(route.methods());
    if (!other.methods().isEmpty()) {
      shared.retainAll(other.methods());
    }
    return shared;
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
        ? endpointTarget(line, path, targetText, writtenTarget, options)
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

  private static HttpEndpoint endpointTarget(ConfigLine line, PathPattern path, String text, String written,
      Map<String, String> options) {
    Set<String> pathVariables = new LinkedHashSet<>();
    String marked = markPathVariables(line, path, text, pathVariables);
    URI uri;
    try {
      uri = new URI(marked);
    } catch (URISyntaxException e) {
      throw line.error("'" + text + "' is not a URL");
    }
    if (!pathVariables.isEmpty() && (uri.getRawPath() == null || !uri.getRawPath().contains(HttpEndpoint.VARIABLE_OPEN))) {
      throw line.error("'" + text + "': a {variable} may only stand in the URL's path");
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
      return new HttpEndpoint(uri, written, auth, apiKey, service, region, forwardAuth, pathVariables);
    } catch (IllegalArgumentException e) {
      throw line.error(e.getMessage());
    }
  }

  /**
   * Writes each {@code {name}} (or {@code {name+}}) of an endpoint's URL as {@code %7Bname%7D}, so
   * that it parses as a URI, checking that the route's path has that variable.
   */
  private static String markPathVariables(ConfigLine line, PathPattern path, String text, Set<String> found) {
    if (text.indexOf('{') < 0 && text.indexOf('}') < 0) {
      return text;
    }
    List<String> variables = path.variables();
    StringBuilder marked = new StringBuilder(text.length() + 8);
    int from = 0;
    for (int open = text.indexOf('{'); open >= 0; open = text.indexOf('{', from)) {
      int close = text.indexOf('}', open);
      if (close < 0) {
        throw line.error("'" + text + "': '{' without a closing '}'");
      }
      String name = text.substring(open + 1, close);
      if (name.endsWith("+")) {
        name = name.substring(0, name.length() - 1);
      }
      if (!variables.contains(name)) {
        throw line.error("'" + text + "': {" + name + "} is not a variable of " + path
            + (variables.isEmpty() ? "" : " (it has " + variables.stream().map(v -> "{" + v + "}").toList() + ")"));
      }
      marked.append(text, from, open).append(HttpEndpoint.VARIABLE_OPEN).append(name).append(HttpEndpoint.VARIABLE_CLOSE);
      found.add(name);
      from = close + 1;
    }
    if (text.indexOf('}', from) >= 0) {
      throw line.error("'" + text + "': '}' without an opening '{'");
    }
    return marked.append(text, from, text.length()).toString();
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

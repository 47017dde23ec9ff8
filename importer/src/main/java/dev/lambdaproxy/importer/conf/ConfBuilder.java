package dev.lambdaproxy.importer.conf;

import dev.lambdaproxy.config.EventFormat;
import dev.lambdaproxy.importer.api.ApiDef;
import dev.lambdaproxy.importer.api.ApiKeyDef;
import dev.lambdaproxy.importer.api.ApiKind;
import dev.lambdaproxy.importer.api.AuthorizerDef;
import dev.lambdaproxy.importer.api.CorsDef;
import dev.lambdaproxy.importer.api.Finding;
import dev.lambdaproxy.importer.api.Integration;
import dev.lambdaproxy.importer.api.LambdaUri;
import dev.lambdaproxy.importer.api.Operation;
import dev.lambdaproxy.importer.api.Report;
import dev.lambdaproxy.importer.api.Throttle;
import dev.lambdaproxy.importer.api.UsagePlanDef;
import dev.lambdaproxy.importer.openapi.StageVariables;
import dev.lambdaproxy.importer.source.Location;
import dev.lambdaproxy.route.PathPattern;
import dev.lambdaproxy.route.RouteTable;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the APIs read from exports and templates into the lines of {@code routes.properties} and
 * {@code lambda-proxy.properties}: one route per path and target, with {@code methods=} where a
 * path's methods go to different targets; the front door (CORS, authorizers, API keys) as
 * settings. Whatever cannot be carried goes to the {@link Report}; a route whose authorization
 * cannot be carried is not written, rather than written open.
 */
public final class ConfBuilder {

  /** How long API Gateway waits for an integration: 29 s for REST APIs, 30 s for HTTP APIs. */
  static final int REST_TIMEOUT_MS = 29_000;
  static final int HTTP_TIMEOUT_MS = 30_000;
  /** A {@code {name}} of an endpoint URL; group 1 is the '$' of a {@code ${ENV}}, which is not one. */
  private static final Pattern URL_VARIABLE = Pattern.compile("(\\$?)\\{([^}]*)\\}");
  private static final Pattern NAME = Pattern.compile("[^A-Za-z0-9_-]+");

  /** One method of one API on its way to a route line. */
  private record Draft(ApiDef api, Operation operation, String path, String method, String target, Map<String, String> options,
      boolean ownTimeout) {

    String shape() {
      return PathPattern.parse(path).shape();
    }
  }

  private final Report report;
  private final Map<String, AuthorizerDef> authorizerSettings = new LinkedHashMap<>();
  private final Map<String, String> authorizerNames = new HashMap<>();
  private CorsDef cors;
  private ApiDef corsApi;

  public ConfBuilder(Report report) {
    this.report = report;
  }

  /** Builds both files' lines; the report gets what was left out. */
  public ConfLines build(List<ApiDef> apis, List<UsagePlanDef> plans, List<ApiKeyDef> keys) {
    for (ApiDef api : apis) {
      corsFromMocks(api);
      chooseCors(api);
    }
    List<Draft> drafts = new ArrayList<>();
    for (ApiDef api : apis) {
      api.leftovers().forEach(report::leftOut);
      for (Operation operation : api.operations()) {
        Draft draft = draft(api, operation);
        if (draft != null) {
          drafts.add(draft);
        }
      }
    }
    int defaultTimeout = defaultTimeout(drafts);
    List<RouteLine> lines = assemble(drafts);
    List<RouteLine> checked = new ArrayList<>();
    for (RouteLine line : lines) {
      String problem = check(line);
      if (problem == null) {
        checked.add(line);
      } else {
        report.leftOut(line.firstSource(), line.path() + ": " + problem);
      }
    }
    SettingsLines settings = new SettingsLines();
    settings.timeout(defaultTimeout, drafts.stream().map(Draft::api).map(ApiDef::kind).distinct().toList());
    if (cors != null && checked.stream().anyMatch(line -> !line.options().containsKey("cors"))) {
      CorsDef carried = checkedCors(cors);
      if (carried != null) {
        settings.cors(carried, report);
      }
    }
    Set<String> usedAuthorizers = new LinkedHashSet<>();
    for (RouteLine line : checked) {
      if (line.options().containsKey("authorizer")) {
        usedAuthorizers.add(line.options().get("authorizer"));
      }
    }
    for (String name : new ArrayList<>(usedAuthorizers)) {
      SettingsLines alone = new SettingsLines();
      alone.authorizer(name, authorizerSettings.get(name));
      String problem = SettingsCheck.authorizer(alone.lines());
      if (problem == null) {
        settings.authorizer(name, authorizerSettings.get(name));
        continue;
      }
      usedAuthorizers.remove(name);
      report.leftOut(authorizerSettings.get(name).location(), "authorizer " + authorizerSettings.get(name).name()
          + " cannot be carried: " + problem);
      for (java.util.Iterator<RouteLine> guarded = checked.iterator(); guarded.hasNext(); ) {
        RouteLine line = guarded.next();
        if (name.equals(line.options().get("authorizer"))) {
          guarded.remove();
          report.leftOut(line.firstSource(), line.path() + ": its authorizer " + name
              + " cannot be carried; the route is not written rather than written open");
        }
      }
    }
    Set<AuthorizerDef> written = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (String name : usedAuthorizers) {
      written.add(authorizerSettings.get(name));
    }
    for (ApiDef api : apis) {
      for (AuthorizerDef authorizer : api.authorizers().values()) {
        boolean carriable = authorizer.kind() == AuthorizerDef.Kind.JWT || authorizer.kind() == AuthorizerDef.Kind.TOKEN
            || authorizer.kind() == AuthorizerDef.Kind.REQUEST;
        if (carriable && !written.contains(authorizer) && written.stream().noneMatch(other -> sameSettings(other, authorizer))) {
          report.note(authorizer.location(), "authorizer " + authorizer.name() + " of " + api.name()
              + " guards no route that was written, so it is not written either");
        }
      }
    }
    boolean routesNeedKeys = checked.stream().anyMatch(line -> line.options().containsKey("require-api-key"));
    List<RouteLine> disabled = new ArrayList<>();
    if (!apiKeys(plans, keys, routesNeedKeys, settings) && routesNeedKeys) {
      // The proxy refuses require-api-key=true with no key defined; written open it would let anyone in.
      settings.missingApiKeys();
      for (java.util.Iterator<RouteLine> keyed = checked.iterator(); keyed.hasNext(); ) {
        RouteLine line = keyed.next();
        if (line.options().containsKey("require-api-key")) {
          keyed.remove();
          disabled.add(line);
          report.leftOut(line.firstSource(), line.path() + ": requires an API key, but no usable key is defined here: written"
              + " commented out; add api-key.NAME.value and api-key.NAME.plan to lambda-proxy.properties, then uncomment it");
        }
      }
    }
    return new ConfLines(checked, disabled, settings);
  }

  // --- CORS ---------------------------------------------------------------------------------

  /** A REST API answers preflights with OPTIONS mocks; their Access-Control-* headers are its CORS. */
  private void corsFromMocks(ApiDef api) {
    if (api.cors() != null) {
      return;
    }
    Set<String> origins = new LinkedHashSet<>();
    Set<String> methods = new LinkedHashSet<>();
    Set<String> headers = new LinkedHashSet<>();
    Set<String> expose = new LinkedHashSet<>();
    Integer maxAge = null;
    Boolean credentials = null;
    Location first = null;
    int mocks = 0;
    for (Operation operation : api.operations()) {
      Integration integration = operation.integration();
      if (!isCorsMock(operation)) {
        continue;
      }
      mocks++;
      first = first != null ? first : integration.location();
      Map<String, String> cors = integration.corsHeaders();
      addAll(origins, cors.get("access-control-allow-origin"));
      addAll(methods, cors.get("access-control-allow-methods"));
      addAll(headers, cors.get("access-control-allow-headers"));
      addAll(expose, cors.get("access-control-expose-headers"));
      if (cors.containsKey("access-control-max-age")) {
        Integer age = integerOrNull(cors.get("access-control-max-age"));
        maxAge = maxAge == null ? age : age == null ? maxAge : Math.min(maxAge, age);
      }
      if (cors.containsKey("access-control-allow-credentials")) {
        credentials = Boolean.TRUE.equals(credentials) || "true".equalsIgnoreCase(cors.get("access-control-allow-credentials"));
      }
    }
    if (mocks > 0 && !origins.isEmpty()) {
      api.cors(new CorsDef(List.copyOf(origins), List.copyOf(methods), List.copyOf(headers), List.copyOf(expose), maxAge,
          credentials, first));
      report.note(first, "CORS is taken from the Access-Control-* headers of the OPTIONS mock integrations of " + api.name()
          + " (" + mocks + (mocks == 1 ? " path" : " paths, merged") + "); the proxy answers preflights itself");
    }
  }

  private static boolean isCorsMock(Operation operation) {
    Integration integration = operation.integration();
    return integration != null && integration.type().equals("MOCK") && operation.method().equals("OPTIONS")
        && integration.corsHeaders().containsKey("access-control-allow-origin");
  }

  private static void addAll(Set<String> into, String commaList) {
    if (commaList == null) {
      return;
    }
    for (String part : commaList.split(",")) {
      if (!part.isBlank()) {
        into.add(part.strip());
      }
    }
  }

  /**
   * The CORS settings as the proxy will take them: each origin it would refuse left out, then the
   * whole checked; null (and left out) when nothing of it can be carried.
   */
  private CorsDef checkedCors(CorsDef cors) {
    List<String> origins = new ArrayList<>();
    for (String origin : cors.allowOrigins()) {
      SettingsLines alone = new SettingsLines();
      alone.cors(new CorsDef(List.of(origin), List.of(), List.of(), List.of(), null, null, cors.location()), report);
      String problem = SettingsCheck.cors(alone.lines());
      if (problem == null) {
        origins.add(origin);
      } else {
        report.leftOut(cors.location(), "the CORS origin '" + origin + "' is not carried: " + problem);
      }
    }
    if (origins.isEmpty()) {
      report.leftOut(cors.location(), "CORS is not written: no origin of it can be carried");
      return null;
    }
    CorsDef carried = new CorsDef(origins, cors.allowMethods(), cors.allowHeaders(), cors.exposeHeaders(), cors.maxAge(),
        cors.allowCredentials(), cors.location());
    SettingsLines whole = new SettingsLines();
    whole.cors(carried, new Report());
    String problem = SettingsCheck.cors(whole.lines());
    if (problem != null) {
      report.leftOut(cors.location(), "CORS is not written: " + problem);
      return null;
    }
    return carried;
  }

  /** The proxy has one CORS configuration: the first API's; another API's differing one is left out. */
  private void chooseCors(ApiDef api) {
    CorsDef apiCors = api.cors();
    if (apiCors == null) {
      return;
    }
    if (apiCors.allowOrigins().isEmpty()) {
      report.note(apiCors.location(), "the CORS configuration of " + api.name() + " allows no origin, so it does nothing");
      api.cors(null);
      return;
    }
    if (cors == null) {
      cors = apiCors;
      corsApi = api;
    } else if (!cors.sameAs(apiCors)) {
      report.leftOut(apiCors.location(), "the CORS configuration of " + api.name() + " differs from that of " + corsApi.name()
          + ", which is the one lambda-proxy.properties carries (the proxy has one); " + api.name() + "'s routes answer with it");
    }
  }

  // --- routes -------------------------------------------------------------------------------

  private Draft draft(ApiDef api, Operation operation) {
    Integration integration = operation.integration();
    String route = operation.method() + " " + operation.path();
    if (integration == null) {
      report.leftOut(operation.location(), route + " has no integration: not routed");
      return null;
    }
    if (isCorsMock(operation) && api.cors() != null) {
      return null; // a preflight answer: the front door's CORS answers it
    }
    String path = path(operation);
    if (path == null) {
      return null;
    }
    String target;
    Map<String, String> options = new LinkedHashMap<>();
    switch (integration.type()) {
      case "AWS_PROXY" -> {
        if (integration.subtype() != null) {
          report.leftOut(integration.location(), route + ": the AWS service integration " + integration.subtype()
              + " is not carried (the proxy calls Lambda functions and HTTP endpoints)");
          return null;
        }
        String uri = StageVariables.toEnv(integration.uri(), report, integration.location());
        target = LambdaUri.function(uri);
        if (target == null) {
          report.leftOut(integration.location(), route + ": " + (LambdaUri.isServiceAction(uri)
              ? "the AWS service integration " + uri + " is not carried (the proxy calls Lambda functions and HTTP endpoints)"
              : "the integration URI " + uri + " names no Lambda function"));
          return null;
        }
        options.put("event", event(api, integration, route));
      }
      case "HTTP_PROXY" -> {
        target = endpoint(api, operation, integration, path, route);
        if (target == null) {
          return null;
        }
      }
      case "MOCK" -> {
        report.leftOut(integration.location(), route + ": a mock integration is not carried (the proxy answers from functions"
            + " and endpoints" + (operation.method().equals("OPTIONS") ? "; CORS preflights are answered by its CORS settings" : "")
            + ")");
        return null;
      }
      case "AWS", "HTTP" -> {
        report.leftOut(integration.location(), route + ": a non-proxy integration (type " + integration.type().toLowerCase(Locale.ROOT)
            + ", with its mapping templates) is not carried: the "
            + (integration.type().equals("AWS") ? "function" : "endpoint") + " would get a different request");
        return null;
      }
      default -> {
        report.leftOut(integration.location(), route + ": integration type '" + integration.type() + "' is not carried");
        return null;
      }
    }
    if (integration.timeoutMs() != null) {
      options.put("timeout-ms", Integer.toString(integration.timeoutMs()));
    }
    if (!authorize(api, operation, route, options)) {
      return null;
    }
    if (Boolean.TRUE.equals(operation.apiKeyRequired())) {
      options.put("require-api-key", "true");
    }
    if (api.cors() == null && cors != null) {
      options.put("cors", "false");
    }
    throttle(api, operation, path, options);
    integration.leftovers().forEach(report::leftOut);
    operation.leftovers().forEach(report::leftOut);
    if (integration.vpcLink()) {
      report.leftOut(integration.location(), route + ": the VPC link is not carried: the proxy calls " + target
          + " directly, so it must run where that address is reachable");
    }
    if (integration.credentials() != null) {
      report.note(integration.location(), route + ": invoked with the proxy's own credentials, not the role "
          + integration.credentials());
    }
    return new Draft(api, operation, path, operation.method(), target, options, integration.timeoutMs() != null);
  }

  /** The route's path: {@code $default} is the catch-all {@code /*}; a trailing '/' goes, as API Gateway ignores it. */
  private String path(Operation operation) {
    String path = operation.path().strip();
    if (path.equals(Operation.DEFAULT_ROUTE)) {
      path = "/*";
    } else if (path.length() > 1 && path.endsWith("/")) {
      String trimmed = path.replaceAll("/+$", "");
      report.note(operation.location(), operation + ": routed as " + (trimmed.isEmpty() ? "/" : trimmed)
          + " (API Gateway ignores the trailing '/'; the proxy matches paths exactly)");
      path = trimmed.isEmpty() ? "/" : trimmed;
    }
    try {
      PathPattern.parse(path);
      return path;
    } catch (IllegalArgumentException e) {
      report.leftOut(operation.location(), operation + ": " + e.getMessage());
      return null;
    }
  }

  private String event(ApiDef api, Integration integration, String route) {
    if (api.kind() == ApiKind.REST) {
      return EventFormat.APIGW_V1.configName();
    }
    String version = integration.payloadFormatVersion();
    if (version == null) {
      report.note(integration.location(), route + ": no payloadFormatVersion; 2.0 assumed (the console's default)");
      return EventFormat.APIGW_V2.configName();
    }
    return version.equals("1.0") ? EventFormat.APIGW_V1.configName() : EventFormat.APIGW_V2.configName();
  }

  /** An HTTP proxy integration's URL, with REST's path mappings applied, or null when it cannot be carried. */
  private String endpoint(ApiDef api, Operation operation, Integration integration, String path, String route) {
    String uri = StageVariables.toEnv(integration.uri(), report, integration.location());
    if (uri == null || !(uri.regionMatches(true, 0, "http://", 0, 7) || uri.regionMatches(true, 0, "https://", 0, 8))) {
      report.leftOut(integration.location(), route + ": the HTTP integration's URI " + uri + " is not an http:// or https:// URL");
      return null;
    }
    String httpMethod = integration.httpMethod();
    if (httpMethod != null && !httpMethod.equals("ANY") && !httpMethod.equals(operation.method())) {
      report.leftOut(integration.location(), route + ": the endpoint is called with " + httpMethod
          + "; the proxy calls it with the client's method, so the route is not written");
      return null;
    }
    List<String> variables = PathPattern.parse(path).variables();
    Matcher matcher = URL_VARIABLE.matcher(uri);
    StringBuilder url = new StringBuilder();
    while (matcher.find()) {
      String name = matcher.group(2);
      if (!matcher.group(1).isEmpty() || name.isEmpty()) {
        matcher.appendReplacement(url, Matcher.quoteReplacement(matcher.group()));
        continue; // ${ENV}
      }
      boolean greedy = name.endsWith("+");
      String bare = greedy ? name.substring(0, name.length() - 1) : name;
      String mapped = integration.pathParameters().getOrDefault(bare, api.kind() == ApiKind.HTTP ? bare : null);
      if (mapped == null || !variables.contains(mapped)) {
        report.leftOut(integration.location(), route + ": the endpoint URL's {" + name + "} takes no path variable of " + path
            + "; the route is not written");
        return null;
      }
      matcher.appendReplacement(url, Matcher.quoteReplacement("{" + mapped + "}"));
    }
    matcher.appendTail(url);
    return url.toString();
  }

  /** Sets authorizer= and scopes=; false when the route must not be written, its authorization being out of reach. */
  private boolean authorize(ApiDef api, Operation operation, String route, Map<String, String> options) {
    String name = operation.authorizer();
    if (name == null) {
      return true;
    }
    AuthorizerDef authorizer = api.authorizers().get(name);
    if (authorizer == null) {
      authorizer = AuthorizerDef.simple(name, AuthorizerDef.Kind.UNUSABLE, operation.location());
    }
    if (!authorizer.guards()) {
      return true;
    }
    if (authorizer.kind() == AuthorizerDef.Kind.IAM || authorizer.kind() == AuthorizerDef.Kind.UNUSABLE) {
      String why = authorizer.kind() == AuthorizerDef.Kind.IAM
          ? "IAM authorization (SigV4-signed callers) is not carried"
          : "authorizer " + name + " cannot be carried" + (authorizer.leftovers().isEmpty() ? " (it is not defined)"
              : " (" + authorizer.leftovers().get(0).text() + ")");
      report.leftOut(operation.location(), route + ": " + why + "; the route is not written rather than written open");
      return false;
    }
    options.put("authorizer", settingsName(api, authorizer));
    List<String> scopes = operation.scopes().isEmpty() ? authorizer.defaultScopes() : operation.scopes();
    if (!scopes.isEmpty()) {
      if (authorizer.kind() == AuthorizerDef.Kind.JWT) {
        options.put("scopes", String.join(",", scopes));
      } else {
        report.leftOut(operation.location(), route + ": scopes " + scopes + " on a Lambda authorizer are not carried");
      }
    }
    return true;
  }

  /** The name an authorizer gets in the settings: its own, made unique across APIs; one definition written once. */
  private String settingsName(ApiDef api, AuthorizerDef authorizer) {
    String key = api.name() + "\u0000" + authorizer.name();
    String known = authorizerNames.get(key);
    if (known != null) {
      return known;
    }
    String base = NAME.matcher(authorizer.name()).replaceAll("-").replaceAll("^-+|-+$", "");
    if (base.isEmpty()) {
      base = "authorizer";
    }
    String name = base;
    for (int n = 2; authorizerSettings.containsKey(name) && !sameSettings(authorizerSettings.get(name), authorizer); n++) {
      name = base + "-" + n;
    }
    if (!authorizerSettings.containsKey(name)) {
      authorizerSettings.put(name, authorizer);
      authorizer.leftovers().forEach(report::leftOut);
    }
    authorizerNames.put(key, name);
    return name;
  }

  private static boolean sameSettings(AuthorizerDef a, AuthorizerDef b) {
    return a.kind() == b.kind() && Objects.equals(a.issuer(), b.issuer()) && a.audience().equals(b.audience())
        && Objects.equals(a.function(), b.function()) && a.identitySources().equals(b.identitySources())
        && Objects.equals(a.ttlSeconds(), b.ttlSeconds()) && Objects.equals(a.payloadFormatVersion(), b.payloadFormatVersion())
        && Objects.equals(a.simpleResponses(), b.simpleResponses());
  }

  private void throttle(ApiDef api, Operation operation, String path, Map<String, String> options) {
    Throttle throttle = api.routeThrottles().get(operation.method() + " " + operation.path());
    if (throttle == null) {
      throttle = api.defaultThrottle();
    }
    if (throttle == null || throttle.isEmpty()) {
      return;
    }
    if (throttle.rate() != null) {
      options.put("rate", number(throttle.rate()));
    }
    if (throttle.burst() != null && throttle.rate() != null) {
      options.put("burst", Integer.toString(throttle.burst()));
    } else if (throttle.burst() != null) {
      report.leftOut(throttle.location(), operation + ": a burst without a rate is not carried (a burst is the size of a rate's bucket)");
    }
  }

  static String number(double value) {
    BigDecimal decimal = BigDecimal.valueOf(value).stripTrailingZeros();
    return decimal.scale() <= 0 ? decimal.toBigInteger().toString() : decimal.toPlainString();
  }

  /**
   * One line per path and target: the methods of a path that go to the same place with the same
   * options share a line; ANY takes the methods no other line of its path takes. A method two APIs
   * both route keeps the first.
   */
  private List<RouteLine> assemble(List<Draft> drafts) {
    Map<String, List<Draft>> byShape = new LinkedHashMap<>();
    for (Draft draft : drafts) {
      List<Draft> path = byShape.computeIfAbsent(draft.shape(), shape -> new ArrayList<>());
      Draft taken = null;
      for (Draft other : path) {
        if (other.method().equals(draft.method())) {
          taken = other;
          break;
        }
      }
      if (taken != null) {
        if (!(taken.target().equals(draft.target()) && taken.options().equals(draft.options()) && taken.path().equals(draft.path()))) {
          report.leftOut(draft.operation().location(), draft.method() + " " + draft.path() + " of " + draft.api().name()
              + " is routed already by " + taken.api().name() + " (" + taken.operation().location() + ")");
        }
        continue;
      }
      path.add(draft);
    }
    List<RouteLine> lines = new ArrayList<>();
    for (List<Draft> path : byShape.values()) {
      Set<String> explicit = new LinkedHashSet<>();
      for (Draft draft : path) {
        if (!draft.method().equals(Operation.ANY)) {
          explicit.add(draft.method());
        }
      }
      List<RouteLine> pathLines = new ArrayList<>();
      for (Draft draft : path) {
        Set<String> methods = new LinkedHashSet<>();
        if (draft.method().equals(Operation.ANY)) {
          methods.addAll(RouteLine.METHODS);
          methods.removeAll(explicit);
          if (methods.isEmpty()) {
            report.note(draft.operation().location(), "ANY " + draft.path() + ": every method has a route of its own");
            continue;
          }
        } else if (RouteLine.METHODS.contains(draft.method())) {
          methods.add(draft.method());
        } else {
          report.leftOut(draft.operation().location(), draft.method() + " " + draft.path() + ": the proxy does not route "
              + draft.method());
          continue;
        }
        RouteLine line = new RouteLine(draft.path(), draft.target(), draft.options(), draft.operation().location());
        RouteLine same = null;
        for (RouteLine existing : pathLines) {
          if (existing.sameTargetAs(line)) {
            same = existing;
            break;
          }
        }
        if (same == null) {
          pathLines.add(line);
          same = line;
        }
        same.methods().addAll(methods);
        same.sources().add(draft.method() + " " + draft.operation().location());
      }
      lines.addAll(pathLines);
    }
    return lines;
  }

  /** The proxy-wide timeout: API Gateway's integration timeout; REST routes in a mixed import get 29 s of their own. */
  private int defaultTimeout(List<Draft> drafts) {
    boolean http = drafts.stream().anyMatch(draft -> draft.api().kind() == ApiKind.HTTP);
    boolean rest = drafts.stream().anyMatch(draft -> draft.api().kind() == ApiKind.REST);
    if (http && rest) {
      for (Draft draft : drafts) {
        if (draft.api().kind() == ApiKind.REST && !draft.ownTimeout()) {
          draft.options().put("timeout-ms", Integer.toString(REST_TIMEOUT_MS));
        }
      }
    }
    return http ? HTTP_TIMEOUT_MS : REST_TIMEOUT_MS;
  }

  /** Checks a line with the proxy's own parser, its placeholders given stand-in values; what is wrong, or null. */
  private static String check(RouteLine line) {
    String text = line.render();
    Map<String, String> env = new HashMap<>();
    Matcher placeholders = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)\\}").matcher(text);
    while (placeholders.find()) {
      env.put(placeholders.group(1), standIn(placeholders.group(1)));
    }
    try {
      RouteTable.parse(new StringReader(text + "\n"), env, EventFormat.RAW);
      return null;
    } catch (dev.lambdaproxy.config.ConfigException e) {
      return e.getMessage().replaceFirst("^routes\\.properties:\\d+: ", "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String standIn(String name) {
    return switch (name) {
      case "AWS_REGION" -> "us-east-1";
      case "AWS_ACCOUNT_ID" -> "123456789012";
      case "AWS_PARTITION" -> "aws";
      default -> "placeholder1";
    };
  }

  private static Integer integerOrNull(String text) {
    try {
      return Integer.valueOf(text.strip());
    } catch (NumberFormatException | NullPointerException e) {
      return null;
    }
  }

  /**
   * Writes the usage plans and their API keys (the proxy accepts only keys of a plan with limits);
   * whether any key was written.
   */
  private boolean apiKeys(List<UsagePlanDef> plans, List<ApiKeyDef> keys, boolean routesNeedKeys, SettingsLines settings) {
    Map<String, UsagePlanDef> plansById = new LinkedHashMap<>();
    for (UsagePlanDef plan : plans) {
      plansById.put(plan.id(), plan);
    }
    Map<ApiKeyDef, UsagePlanDef> usable = new LinkedHashMap<>();
    for (ApiKeyDef key : keys) {
      if (!key.enabled()) {
        report.note(key.location(), "API key " + key.name() + " is disabled: not written");
        continue;
      }
      List<UsagePlanDef> limited = new ArrayList<>();
      for (String id : key.plans()) {
        UsagePlanDef plan = plansById.get(id);
        if (plan != null && hasLimits(plan)) {
          limited.add(plan);
        } else if (plan != null) {
          report.leftOut(plan.location(), "usage plan " + plan.name() + " sets no throttle and no quota, and lambda-proxy.properties"
              + " defines a plan by its limits: API key " + key.name() + " is not written for it");
        }
      }
      if (limited.isEmpty()) {
        report.note(key.location(), "API key " + key.name() + " belongs to no usage plan here (API Gateway refuses such a key): not written");
        continue;
      }
      if (limited.size() > 1) {
        report.leftOut(key.location(), "API key " + key.name() + " belongs to " + limited.size() + " usage plans; only the first ("
            + limited.get(0).name() + ") is carried");
      }
      usable.put(key, limited.get(0));
    }
    if (usable.isEmpty()) {
      return false;
    }
    if (!routesNeedKeys) {
      report.note(usable.keySet().iterator().next().location(),
          "API keys and usage plans are written, but no route written requires an API key");
    }
    Set<UsagePlanDef> plansWritten = new LinkedHashSet<>(usable.values());
    SettingsLines keyLines = new SettingsLines();
    plansWritten.forEach(keyLines::usagePlan);
    usable.forEach((key, plan) -> keyLines.apiKey(key, "${" + keyEnv(key) + "}", plan.name()));
    String problem = SettingsCheck.apiKeys(keyLines.lines());
    if (problem != null) {
      report.leftOut(usable.keySet().iterator().next().location(), "usage plans and API keys are not written: " + problem);
      return false;
    }
    for (UsagePlanDef plan : plansWritten) {
      plan.leftovers().forEach(report::leftOut);
      settings.usagePlan(plan);
    }
    usable.forEach((key, plan) -> settings.apiKey(key, report.placeholder(keyEnv(key), "the value of API key " + key.name()
        + " (API Gateway generated it: aws apigateway get-api-keys --include-values)", key.location()), plan.name()));
    return true;
  }

  private static String keyEnv(ApiKeyDef key) {
    String env = Report.envName(key.name());
    return env.endsWith("API_KEY") ? env : env + "_API_KEY";
  }

  private static boolean hasLimits(UsagePlanDef plan) {
    return (plan.throttle() != null && plan.throttle().rate() != null) || (plan.quotaLimit() != null && plan.quotaPeriod() != null);
  }

  /**
   * Both files' lines, before their comments.
   *
   * @param disabled routes written commented out: they need what the input does not define (an API key)
   */
  public record ConfLines(List<RouteLine> routes, List<RouteLine> disabled, SettingsLines settings) {}
}

package dev.lambdaproxy.importer.cfn;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.lambdaproxy.importer.ImportException;
import dev.lambdaproxy.importer.api.ApiDef;
import dev.lambdaproxy.importer.api.ApiKeyDef;
import dev.lambdaproxy.importer.api.ApiKind;
import dev.lambdaproxy.importer.api.AuthorizerDef;
import dev.lambdaproxy.importer.api.CorsDef;
import dev.lambdaproxy.importer.api.Finding;
import dev.lambdaproxy.importer.api.Integration;
import dev.lambdaproxy.importer.api.Operation;
import dev.lambdaproxy.importer.api.Report;
import dev.lambdaproxy.importer.api.Throttle;
import dev.lambdaproxy.importer.api.UsagePlanDef;
import dev.lambdaproxy.importer.openapi.AuthorizerReader;
import dev.lambdaproxy.importer.openapi.IntegrationReader;
import dev.lambdaproxy.importer.openapi.OpenApiReader;
import dev.lambdaproxy.importer.source.SourceFile;
import dev.lambdaproxy.importer.source.Src;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * SAM's APIs as SAM's transform makes them: an {@code AWS::Serverless::Api} or {@code HttpApi}
 * (or the implicit {@code ServerlessRestApi} / {@code ServerlessHttpApi}) is its definition body,
 * plus a Lambda proxy integration for each function event whose path and method the body does not
 * already integrate, plus its {@code Auth}, {@code Cors} / {@code CorsConfiguration} and route settings.
 */
final class SamReader {

  static final String IMPLICIT_REST = "ServerlessRestApi";
  static final String IMPLICIT_HTTP = "ServerlessHttpApi";
  private static final String REST_TYPE = "AWS::Serverless::Api";
  private static final String HTTP_TYPE = "AWS::Serverless::HttpApi";

  private final Template template;
  private final Intrinsics resolver;
  private final Report report;
  private final OpenApiReader openApi;
  private final AuthorizerReader authorizers;
  private final TemplateApis out;
  private final Set<String> sharedPlan = new HashSet<>();

  SamReader(Template template, Intrinsics resolver, Report report, AuthorizerReader authorizers, TemplateApis out) {
    this.template = template;
    this.resolver = resolver;
    this.report = report;
    this.authorizers = authorizers;
    this.openApi = new OpenApiReader(resolver, report, authorizers);
    this.out = out;
  }

  /** One SAM API being built: its definition, its properties (Globals merged), and which events it took. */
  private record SamApi(String id, ApiDef api, Src properties, Set<Operation> noneByEvent) {}

  void read() {
    Map<String, SamApi> apis = new LinkedHashMap<>();
    for (Template.Resource resource : template.resources().values()) {
      if ((resource.type().equals(REST_TYPE) || resource.type().equals(HTTP_TYPE)) && !Boolean.FALSE.equals(resolver.holds(resource))) {
        ApiKind kind = resource.type().equals(REST_TYPE) ? ApiKind.REST : ApiKind.HTTP;
        Src properties = template.withGlobals(resource.properties(), kind == ApiKind.REST ? "Api" : "HttpApi");
        apis.put(resource.id(), open(resource.id(), resource.type(), kind, properties, resource.definition()));
      }
    }
    for (Template.Resource function : template.resources().values()) {
      if (!function.type().equals("AWS::Serverless::Function")) {
        continue;
      }
      Boolean holds = resolver.holds(function);
      if (Boolean.FALSE.equals(holds)) {
        report.note(function.definition().location(), "function " + function.id() + " is skipped: its condition "
            + function.condition().text() + " is false with the parameters' defaults");
        continue;
      }
      for (Map.Entry<String, Src> event : template.withGlobals(function.properties(), "Function").get("Events").fields().entrySet()) {
        String type = event.getValue().get("Type").text();
        if ("Api".equals(type) || "HttpApi".equals(type)) {
          event(function.id(), event.getKey(), event.getValue(), type.equals("Api") ? ApiKind.REST : ApiKind.HTTP, apis);
        }
      }
    }
    for (SamApi api : apis.values()) {
      finish(api);
      out.apis().add(api.api());
    }
  }

  private SamApi open(String id, String type, ApiKind kind, Src properties, Src definition) {
    String name = id + " (" + type + ")";
    Src body = properties.get("DefinitionBody");
    Src uri = properties.get("DefinitionUri");
    ApiDef api = null;
    if (body.has("Fn::Transform")) {
      Src included = include(body.get("Fn::Transform"), id);
      api = included != null ? openApi.read(included, name, kind) : null;
    } else if (body.isObject()) {
      Src resolvedBody = body.fields().size() == 1 && body.fields().keySet().iterator().next().startsWith("Fn::")
          ? resolver.resolve(body) : body;
      api = openApi.read(resolvedBody, name, kind);
    } else if (uri.present()) {
      String local = resolver.text(uri);
      Src included = local != null && !local.startsWith("s3://") ? file(local, uri) : null;
      if (included != null) {
        api = openApi.read(included, name, kind);
      } else {
        report.leftOut(uri.location(), id + ": its definition (" + (local != null ? local : "in S3") + ") is not read;"
            + " import that file beside the template");
      }
    }
    if (api == null) {
      api = new ApiDef(name, kind, definition.location());
    }
    return new SamApi(id, api, properties, new HashSet<>());
  }

  /** {@code Fn::Transform: {Name: AWS::Include, Parameters: {Location: ./api.yaml}}}: the local file, read. */
  private Src include(Src transform, String id) {
    String location = resolver.text(transform.get("Parameters").get("Location"));
    if (!"AWS::Include".equals(transform.get("Name").text()) || location == null || location.startsWith("s3://")) {
      report.leftOut(transform.location(), id + ": the included definition (" + location + ") is not read; import that file beside the template");
      return null;
    }
    return file(location, transform);
  }

  private Src file(String relative, Src where) {
    Path directory = template.directory();
    Path path = directory == null ? Path.of(relative) : directory.resolve(relative);
    try {
      String name = Path.of(where.file().name()).resolveSibling(relative).normalize().toString();
      return SourceFile.read(path, name).root();
    } catch (ImportException e) {
      report.leftOut(where.location(), "the definition " + relative + " cannot be read: " + e.getMessage());
      return null;
    }
  }

  private void event(String function, String eventName, Src event, ApiKind kind, Map<String, SamApi> apis) {
    Src properties = event.get("Properties");
    Src apiRef = properties.get(kind == ApiKind.REST ? "RestApiId" : "ApiId");
    String apiId;
    if (apiRef.present()) {
      apiId = resolver.logicalId(apiRef);
      if (apiId == null || !apis.containsKey(apiId)) {
        Template.Resource raw = template.resource(apiId);
        if (raw != null && (raw.type().startsWith("AWS::ApiGateway") || raw.type().startsWith("AWS::ApiGatewayV2"))) {
          report.note(event.location(), "event " + eventName + " of " + function + " names " + apiId + " (" + raw.type()
              + "), whose routes are its own Method/Route resources: SAM adds none");
        } else {
          report.leftOut(apiRef.location(), "event " + eventName + " of " + function + ": its API " + apiRef.node()
              + " is not an " + (kind == ApiKind.REST ? REST_TYPE : HTTP_TYPE) + " of this template");
        }
        return;
      }
    } else {
      apiId = kind == ApiKind.REST ? IMPLICIT_REST : IMPLICIT_HTTP;
      if (!apis.containsKey(apiId)) {
        Src globals = template.globals(kind == ApiKind.REST ? "Api" : "HttpApi");
        Src implicitProperties = globals.present() ? globals : template.root().get("Resources").get(apiId);
        apis.put(apiId, open(apiId, "implicit " + (kind == ApiKind.REST ? REST_TYPE : HTTP_TYPE), kind, implicitProperties,
            event));
      }
    }
    SamApi sam = apis.get(apiId);
    String path = resolver.text(properties.get("Path"));
    String method = resolver.text(properties.get("Method"));
    if (kind == ApiKind.HTTP && path == null && method == null) {
      path = Operation.DEFAULT_ROUTE;
      method = Operation.ANY;
    }
    if (path == null || method == null) {
      report.leftOut(properties.location(), "event " + eventName + " of " + function + " has no Path or Method");
      return;
    }
    method = method.strip().toUpperCase(Locale.ROOT);
    Operation operation = sam.api().operation(path, method);
    if (operation == null) {
      operation = new Operation(path, method, event.location());
      sam.api().operations().add(operation);
    }
    Integer timeout = IntegrationReader.integerOf(resolver.text(properties.get("TimeoutInMillis")));
    String payload = kind == ApiKind.HTTP ? resolver.text(properties.get("PayloadFormatVersion")) : null;
    if (operation.integration() == null) {
      String alias = resolver.autoPublishAlias(function);
      String target = resolver.functionName(function) + (alias != null ? ":" + alias : "");
      operation.integration(new Integration("AWS_PROXY", "arn:aws:apigateway:" + "REGION"
          + ":lambda:path/2015-03-31/functions/" + target + "/invocations", "POST",
          kind == ApiKind.HTTP ? (payload != null ? IntegrationReader.versionOf(payload) : "2.0") : null, timeout, null, false,
          Map.of(), Map.of(), null, List.of(), event.location()));
    } else {
      if (!operation.integration().type().equals("AWS_PROXY") || !String.valueOf(operation.integration().uri()).contains(
          resolver.functionName(function))) {
        report.note(event.location(), "event " + eventName + " of " + function + ": the definition body already integrates "
            + operation + "; SAM keeps that integration");
      }
      if (timeout != null) {
        operation.integration(operation.integration().withTimeout(timeout));
      }
      if (payload != null) {
        operation.integration(operation.integration().withPayloadFormatVersion(IntegrationReader.versionOf(payload)));
      }
    }
    eventAuth(sam, operation, properties.get("Auth"), eventName, function);
    Src model = properties.get("RequestModel");
    if (model.present() && (truthy(model.get("Required")) || truthy(model.get("ValidateBody")) || truthy(model.get("ValidateParameters")))) {
      operation.leftovers().add(new Finding(model.location(), operation + ": request model validation is not carried"));
    }
    for (Src parameter : properties.get("RequestParameters").elements()) {
      for (Map.Entry<String, Src> entry : parameter.fields().entrySet()) {
        if (truthy(entry.getValue().get("Required"))) {
          operation.leftovers().add(new Finding(entry.getValue().location(), operation + ": the required request parameter "
              + entry.getKey() + " is not checked"));
        }
      }
    }
    Src routeSettings = properties.get("RouteSettings");
    if (routeSettings.present()) {
      Throttle throttle = throttle(routeSettings, "ThrottlingRateLimit", "ThrottlingBurstLimit");
      if (!throttle.isEmpty()) {
        sam.api().routeThrottles().put(method + " " + path, throttle);
      }
    }
  }

  private void eventAuth(SamApi sam, Operation operation, Src auth, String eventName, String function) {
    if (!auth.isObject()) {
      return;
    }
    String authorizer = resolver.text(auth.get("Authorizer"));
    List<String> scopes = resolver.texts(auth.get("AuthorizationScopes"));
    if ("NONE".equals(authorizer)) {
      operation.authorizeOnMethod(null, List.of());
      sam.noneByEvent().add(operation);
    } else if ("AWS_IAM".equals(authorizer)) {
      sam.api().authorizers().putIfAbsent("AWS_IAM", AuthorizerDef.simple("AWS_IAM", AuthorizerDef.Kind.IAM, auth.location()));
      operation.authorizeOnMethod("AWS_IAM", List.of());
    } else if (authorizer != null) {
      operation.authorizeOnMethod(authorizer, scopes);
    } else if (!scopes.isEmpty()) {
      String defaultAuthorizer = resolver.text(sam.properties().get("Auth").get("DefaultAuthorizer"));
      if (defaultAuthorizer != null) {
        operation.authorizeOnMethod(defaultAuthorizer, scopes);
      }
    }
    Src apiKey = auth.get("ApiKeyRequired");
    if (apiKey.present()) {
      operation.apiKeyRequired(truthy(apiKey));
    }
    if (auth.get("ResourcePolicy").present()) {
      operation.leftovers().add(new Finding(auth.get("ResourcePolicy").location(), operation + ": the resource policy is not carried"));
    }
    if (auth.get("InvokeRole").present()) {
      report.note(auth.get("InvokeRole").location(), "event " + eventName + " of " + function
          + ": the function is invoked with the proxy's own credentials, not the invoke role");
    }
  }

  /** The API's own settings, after every event has added its methods (as SAM applies them). */
  private void finish(SamApi sam) {
    ApiDef api = sam.api();
    Src properties = sam.properties();
    Src auth = properties.get("Auth");
    boolean rest = api.kind() == ApiKind.REST;
    for (Map.Entry<String, Src> entry : auth.get("Authorizers").fields().entrySet()) {
      api.authorizers().put(entry.getKey(), authorizer(entry.getKey(), entry.getValue(), rest));
    }
    if (truthy(auth.get("EnableIamAuthorizer"))) {
      api.authorizers().putIfAbsent("AWS_IAM", AuthorizerDef.simple("AWS_IAM", AuthorizerDef.Kind.IAM, auth.location()));
    }
    String defaultAuthorizer = resolver.text(auth.get("DefaultAuthorizer"));
    boolean preflightAuthorized = !auth.get("AddDefaultAuthorizerToCorsPreflight").present()
        || truthy(auth.get("AddDefaultAuthorizerToCorsPreflight"));
    if (defaultAuthorizer != null) {
      if (defaultAuthorizer.equals("AWS_IAM")) {
        api.authorizers().putIfAbsent("AWS_IAM", AuthorizerDef.simple("AWS_IAM", AuthorizerDef.Kind.IAM, auth.location()));
      }
      for (Operation operation : api.operations()) {
        if (operation.authorizer() == null && !sam.noneByEvent().contains(operation)
            && (preflightAuthorized || !operation.method().equals("OPTIONS"))) {
          operation.authorizeOnMethod(defaultAuthorizer, List.of());
        }
      }
    }
    if (truthy(auth.get("ApiKeyRequired"))) {
      boolean preflightKey = !auth.get("AddApiKeyRequiredToCorsPreflight").present()
          || truthy(auth.get("AddApiKeyRequiredToCorsPreflight"));
      for (Operation operation : api.operations()) {
        if (operation.apiKeyRequired() == null && (preflightKey || !operation.method().equals("OPTIONS"))) {
          operation.apiKeyRequired(true);
        }
      }
    }
    usagePlan(sam, auth.get("UsagePlan"));
    if (auth.get("ResourcePolicy").present()) {
      api.leftovers().add(new Finding(auth.get("ResourcePolicy").location(), sam.id() + ": the resource policy is not carried"));
    }
    if (auth.get("InvokeRole").present()) {
      report.note(auth.get("InvokeRole").location(), sam.id() + ": functions are invoked with the proxy's own credentials");
    }
    cors(sam, rest);
    settings(sam, rest);
  }

  private AuthorizerDef authorizer(String name, Src definition, boolean rest) {
    Src identity = definition.get("Identity");
    List<String> scopes = resolver.texts(definition.get("AuthorizationScopes"));
    if (definition.get("UserPoolArn").present()) {
      String header = resolver.text(identity.get("Header"));
      AuthorizerDef cognito = authorizers.cognito(name, definition.get("UserPoolArn"), null, header != null ? header : "Authorization",
          scopes, identity.get("ValidationExpression"), definition.location());
      return withTtlNote(cognito, identity);
    }
    if (definition.get("JwtConfiguration").present()) {
      Src jwt = definition.get("JwtConfiguration");
      AuthorizerDef def = authorizers.jwt(name, resolver.text(IntegrationReader.field(jwt, "issuer")),
          resolver.texts(IntegrationReader.field(jwt, "audience")), definition.get("IdentitySource"), definition.location());
      return new AuthorizerDef(def.name(), def.kind(), def.issuer(), def.audience(), def.function(), def.identitySources(),
          def.ttlSeconds(), def.payloadFormatVersion(), def.simpleResponses(), scopes, def.leftovers(), def.location());
    }
    if (definition.get("FunctionArn").present()) {
      Src arn = definition.get("FunctionArn");
      Src uri = arn.with(JsonNodeFactory.instance.textNode("arn:aws:apigateway:" + "REGION"
          + ":lambda:path/2015-03-31/functions/" + resolver.text(arn) + "/invocations"));
      String payloadType = resolver.text(definition.get("FunctionPayloadType"));
      boolean token = rest && (payloadType == null || payloadType.equalsIgnoreCase("TOKEN"));
      List<String> sources = new ArrayList<>();
      for (String header : resolver.texts(identity.get("Headers"))) {
        sources.add("$request.header." + header);
      }
      for (String query : resolver.texts(identity.get("QueryStrings"))) {
        sources.add("$request.querystring." + query);
      }
      List<Finding> leftovers = new ArrayList<>();
      for (String variable : resolver.texts(identity.get("StageVariables"))) {
        leftovers.add(new Finding(identity.get("StageVariables").location(), "identity source stage variable " + variable
            + " is not carried"));
      }
      for (String context : resolver.texts(identity.get("Context"))) {
        leftovers.add(new Finding(identity.get("Context").location(), "identity source context variable " + context
            + " is not carried"));
      }
      if (token) {
        String header = resolver.text(identity.get("Header"));
        sources = List.of("$request.header." + (header != null ? header : "Authorization"));
      }
      Src sourceList = arn.with(JsonNodeFactory.instance.textNode(String.join(", ", sources)));
      AuthorizerDef lambda = authorizers.lambda(name, token ? AuthorizerDef.Kind.TOKEN : AuthorizerDef.Kind.REQUEST, rest, uri,
          sources.isEmpty() ? null : sourceList, null, identity.get("ReauthorizeEvery"),
          definition.get("AuthorizerPayloadFormatVersion"), definition.get("EnableSimpleResponses"),
          definition.get("FunctionInvokeRole"), identity.get("ValidationExpression"), definition.location());
      List<Finding> all = new ArrayList<>(lambda.leftovers());
      all.addAll(leftovers);
      return new AuthorizerDef(lambda.name(), lambda.kind(), lambda.issuer(), lambda.audience(), lambda.function(),
          lambda.identitySources(), lambda.ttlSeconds(), lambda.payloadFormatVersion(), lambda.simpleResponses(), scopes, all,
          lambda.location());
    }
    return AuthorizerReader.unusable(name, "authorizer " + name + " has no UserPoolArn, JwtConfiguration or FunctionArn",
        definition.location());
  }

  private AuthorizerDef withTtlNote(AuthorizerDef authorizer, Src identity) {
    if (identity.get("ReauthorizeEvery").present()) {
      report.note(identity.get("ReauthorizeEvery").location(), "authorizer " + authorizer.name()
          + ": a JWT authorizer checks every token, so ReauthorizeEvery has nothing to cache");
    }
    return authorizer;
  }

  private void usagePlan(SamApi sam, Src plan) {
    if (!plan.isObject()) {
      return;
    }
    String create = resolver.text(plan.get("CreateUsagePlan"));
    if (create == null || create.equalsIgnoreCase("NONE")) {
      return;
    }
    boolean shared = create.equalsIgnoreCase("SHARED");
    String planId = shared ? "ServerlessUsagePlan" : sam.id() + "UsagePlan";
    String keyId = shared ? "ServerlessApiKey" : sam.id() + "ApiKey";
    if (shared && !sharedPlan.add(planId)) {
      return;
    }
    String name = resolver.text(plan.get("UsagePlanName"));
    out.plans().add(UsagePlans.plan(planId, name != null ? name : planId, plan.get("Throttle"), plan.get("Quota"), List.of(),
        resolver, plan.location()));
    out.keys().add(new ApiKeyDef(keyId, keyId, List.of(planId), true, plan.location()));
  }

  private void cors(SamApi sam, boolean rest) {
    Src properties = sam.properties();
    if (rest) {
      Src cors = properties.get("Cors");
      if (!cors.present()) {
        return;
      }
      if (cors.isText() || cors.isObject() && cors.fields().keySet().stream().anyMatch(key -> key.startsWith("Fn::") || key.equals("Ref"))) {
        sam.api().cors(new CorsDef(list(resolver.text(cors)), List.of(), List.of(), List.of(), null, null, cors.location()));
        return;
      }
      String maxAge = resolver.text(cors.get("MaxAge"));
      sam.api().cors(new CorsDef(list(resolver.text(cors.get("AllowOrigin"))), list(resolver.text(cors.get("AllowMethods"))),
          list(resolver.text(cors.get("AllowHeaders"))), List.of(),
          maxAge == null ? null : IntegrationReader.integerOf(IntegrationReader.unquote(maxAge)),
          cors.get("AllowCredentials").present() ? truthy(cors.get("AllowCredentials")) : null, cors.location()));
      return;
    }
    Src cors = properties.get("CorsConfiguration");
    if (!cors.present()) {
      return;
    }
    if (cors.node().isBoolean()) {
      if (cors.node().asBoolean()) {
        sam.api().cors(new CorsDef(List.of("*"), List.of("*"), List.of("*"), List.of(), null, null, cors.location()));
      }
      return;
    }
    sam.api().cors(openApi.cors(resolver.resolve(cors)));
  }

  /** SAM writes static CORS values in single quotes: {@code "'GET,OPTIONS'"}. */
  private static List<String> list(String quoted) {
    List<String> values = new ArrayList<>();
    if (quoted == null) {
      return values;
    }
    for (String part : IntegrationReader.unquote(quoted).split(",")) {
      if (!part.isBlank()) {
        values.add(part.strip());
      }
    }
    return values;
  }

  /** Throttling, caching and the other stage and API settings SAM passes on. */
  private void settings(SamApi sam, boolean rest) {
    ApiDef api = sam.api();
    Src properties = sam.properties();
    if (rest) {
      for (Src setting : properties.get("MethodSettings").elements()) {
        Stages.methodSetting(setting, api, resolver);
      }
      Src endpoint = properties.get("EndpointConfiguration");
      String endpointType = endpoint.isObject() ? resolver.text(endpoint.get("Type")) : resolver.text(endpoint);
      if ("PRIVATE".equalsIgnoreCase(endpointType)) {
        api.leftovers().add(new Finding(endpoint.location(), sam.id() + ": a private endpoint is not carried: the proxy answers wherever it listens"));
      }
      leftover(properties, "GatewayResponses", api, "customized gateway responses are not carried");
      leftover(properties, "MinimumCompressionSize", api, "response compression is not carried");
      if (truthy(properties.get("CacheClusterEnabled"))) {
        api.leftovers().add(new Finding(properties.get("CacheClusterEnabled").location(), sam.id()
            + ": API Gateway's cache is not carried (see cache= in routes.properties)"));
      }
      if ("AUTHORIZER".equalsIgnoreCase(resolver.text(properties.get("ApiKeySourceType")))) {
        api.leftovers().add(new Finding(properties.get("ApiKeySourceType").location(), sam.id()
            + ": API keys from a Lambda authorizer (usageIdentifierKey) are not carried"));
      }
      stageVariables(properties.get("Variables"), sam.id());
    } else {
      Src defaults = properties.get("DefaultRouteSettings");
      if (defaults.present()) {
        Throttle throttle = throttle(defaults, "ThrottlingRateLimit", "ThrottlingBurstLimit");
        if (!throttle.isEmpty()) {
          api.defaultThrottle(throttle);
        }
      }
      for (Map.Entry<String, Src> route : properties.get("RouteSettings").fields().entrySet()) {
        Throttle throttle = throttle(route.getValue(), "ThrottlingRateLimit", "ThrottlingBurstLimit");
        if (!throttle.isEmpty()) {
          api.routeThrottles().put(route.getKey(), throttle);
        }
      }
      stageVariables(properties.get("StageVariables"), sam.id());
    }
    leftover(properties, "Domain", api, "the custom domain is not carried: point its DNS at the proxy");
    Src binary = properties.get("BinaryMediaTypes");
    if (binary.present()) {
      report.note(binary.location(), sam.id() + ": binary media types need no setting: bodies that are not text travel base64-encoded");
    }
  }

  private void stageVariables(Src variables, String id) {
    for (Map.Entry<String, Src> variable : variables.fields().entrySet()) {
      report.note(variable.getValue().location(), id + ": stage variable " + variable.getKey() + " = "
          + resolver.text(variable.getValue()) + "; where a URI used ${stageVariables." + variable.getKey() + "}, set "
          + variable.getKey() + " in the environment");
    }
  }

  private void leftover(Src properties, String key, ApiDef api, String text) {
    Src value = properties.get(key);
    if (value.present()) {
      api.leftovers().add(new Finding(value.location(), text));
    }
  }

  Throttle throttle(Src settings, String rate, String burst) {
    String rateText = resolver.text(settings.get(rate));
    String burstText = resolver.text(settings.get(burst));
    return new Throttle(IntegrationReader.decimalOf(rateText), IntegrationReader.integerOf(burstText),
        settings.location());
  }

  private boolean truthy(Src value) {
    String text = resolver.text(value);
    return text != null && text.strip().equalsIgnoreCase("true");
  }
}

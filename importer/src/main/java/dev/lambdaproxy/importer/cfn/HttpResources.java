package dev.lambdaproxy.importer.cfn;

import dev.lambdaproxy.importer.api.ApiDef;
import dev.lambdaproxy.importer.api.ApiKind;
import dev.lambdaproxy.importer.api.AuthorizerDef;
import dev.lambdaproxy.importer.api.Finding;
import dev.lambdaproxy.importer.api.Integration;
import dev.lambdaproxy.importer.api.Operation;
import dev.lambdaproxy.importer.api.Report;
import dev.lambdaproxy.importer.api.Throttle;
import dev.lambdaproxy.importer.openapi.AuthorizerReader;
import dev.lambdaproxy.importer.openapi.IntegrationReader;
import dev.lambdaproxy.importer.openapi.OpenApiReader;
import dev.lambdaproxy.importer.source.Src;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP API written as raw CloudFormation: {@code AWS::ApiGatewayV2::Api} (quick create with
 * {@code Target}, an inline {@code Body}, or {@code Route}s with {@code Integration}s and
 * {@code Authorizer}s), its {@code ApiGatewayManagedOverrides} and {@code Stage}s.
 */
final class HttpResources {

  private final Template template;
  private final Intrinsics resolver;
  private final Report report;
  private final AuthorizerReader authorizers;
  private final IntegrationReader integrations;

  HttpResources(Template template, Intrinsics resolver, Report report, AuthorizerReader authorizers) {
    this.template = template;
    this.resolver = resolver;
    this.report = report;
    this.authorizers = authorizers;
    this.integrations = new IntegrationReader(resolver);
  }

  void read(TemplateApis out) {
    for (Template.Resource resource : template.ofType("AWS::ApiGatewayV2::Api")) {
      if (Boolean.FALSE.equals(resolver.holds(resource))) {
        continue;
      }
      Src properties = resource.properties();
      String protocol = resolver.text(properties.get("ProtocolType"));
      if ("WEBSOCKET".equalsIgnoreCase(protocol)) {
        report.leftOut(resource.definition().location(), resource.id() + ": WebSocket APIs are not carried");
        continue;
      }
      String name = resource.id() + " (AWS::ApiGatewayV2::Api)";
      OpenApiReader openApi = new OpenApiReader(resolver, report, authorizers);
      ApiDef api = properties.get("Body").isObject() ? openApi.read(properties.get("Body"), name, ApiKind.HTTP)
          : new ApiDef(name, ApiKind.HTTP, resource.definition().location());
      if (properties.get("BodyS3Location").present()) {
        api.leftovers().add(new Finding(properties.get("BodyS3Location").location(), resource.id()
            + ": its definition in S3 is not read; import that file beside the template"));
      }
      if (properties.get("CorsConfiguration").isObject()) {
        api.cors(openApi.cors(resolver.resolve(properties.get("CorsConfiguration"))));
      }
      readAuthorizers(resource.id(), api);
      quickCreate(resource, api);
      readRoutes(resource.id(), api);
      readStages(resource.id(), api);
      out.apis().add(api);
    }
  }

  private boolean belongs(Template.Resource resource, String apiId) {
    return apiId.equals(resolver.logicalId(resource.properties().get("ApiId")));
  }

  private void readAuthorizers(String apiId, ApiDef api) {
    for (Template.Resource resource : template.ofType("AWS::ApiGatewayV2::Authorizer")) {
      if (!belongs(resource, apiId)) {
        continue;
      }
      Src properties = resource.properties();
      String type = String.valueOf(resolver.text(properties.get("AuthorizerType"))).toUpperCase(Locale.ROOT);
      String name = resolver.text(properties.get("Name"));
      name = name != null ? name : resource.id();
      Src jwt = properties.get("JwtConfiguration");
      AuthorizerDef authorizer = switch (type) {
        case "JWT" -> authorizers.jwt(name, resolver.text(jwt.get("Issuer")), resolver.texts(jwt.get("Audience")),
            properties.get("IdentitySource"), resource.definition().location());
        case "REQUEST" -> authorizers.lambda(name, AuthorizerDef.Kind.REQUEST, false, properties.get("AuthorizerUri"),
            properties.get("IdentitySource"), null, properties.get("AuthorizerResultTtlInSeconds"),
            properties.get("AuthorizerPayloadFormatVersion"), properties.get("EnableSimpleResponses"),
            properties.get("AuthorizerCredentialsArn"), null, resource.definition().location());
        default -> AuthorizerReader.unusable(name, "authorizer type " + type + " is not carried", resource.definition().location());
      };
      api.authorizers().put(resource.id(), authorizer);
    }
  }

  /** Quick create: {@code Target} makes a {@code $default} route (or {@code RouteKey}'s) with a payload 2.0 integration. */
  private void quickCreate(Template.Resource resource, ApiDef api) {
    Src target = resource.properties().get("Target");
    if (!target.present()) {
      return;
    }
    String uri = resolver.text(target);
    String routeKey = resolver.text(resource.properties().get("RouteKey"));
    Operation operation = operation(routeKey != null ? routeKey : Operation.DEFAULT_ROUTE, target);
    boolean http = uri != null && (uri.startsWith("http://") || uri.startsWith("https://"));
    Integration integration = new Integration(http ? "HTTP_PROXY" : "AWS_PROXY", uri, http ? "ANY" : "POST", http ? null : "2.0",
        null, null, false, Map.of(), Map.of(), resolver.text(resource.properties().get("CredentialsArn")), List.of(),
        target.location());
    for (Template.Resource overrides : template.ofType("AWS::ApiGatewayV2::ApiGatewayManagedOverrides")) {
      if (!belongs(overrides, resource.id())) {
        continue;
      }
      Src route = overrides.properties().get("Route");
      authorization(route, operation, api);
      Src integrationOverrides = overrides.properties().get("Integration");
      String timeout = resolver.text(integrationOverrides.get("TimeoutInMillis"));
      if (timeout != null) {
        integration = integration.withTimeout(IntegrationReader.integerOf(timeout));
      }
      String payload = resolver.text(integrationOverrides.get("PayloadFormatVersion"));
      if (payload != null) {
        integration = integration.withPayloadFormatVersion(IntegrationReader.versionOf(payload));
      }
      Src stage = overrides.properties().get("Stage").get("DefaultRouteSettings");
      throttle(stage, api, null);
    }
    operation.integration(integration);
    api.operations().add(operation);
  }

  /** {@code GET /pets/{id}}, {@code ANY /x}, {@code $default}. */
  private Operation operation(String routeKey, Src where) {
    String key = routeKey.strip();
    if (key.equals(Operation.DEFAULT_ROUTE)) {
      return new Operation(Operation.DEFAULT_ROUTE, Operation.ANY, where.location());
    }
    int space = key.indexOf(' ');
    String method = space < 0 ? Operation.ANY : key.substring(0, space).toUpperCase(Locale.ROOT);
    String path = space < 0 ? key : key.substring(space + 1).strip();
    return new Operation(path, method, where.location());
  }

  private void readRoutes(String apiId, ApiDef api) {
    for (Template.Resource route : template.ofType("AWS::ApiGatewayV2::Route")) {
      if (!belongs(route, apiId) || Boolean.FALSE.equals(resolver.holds(route))) {
        continue;
      }
      Src properties = route.properties();
      String routeKey = resolver.text(properties.get("RouteKey"));
      if (routeKey == null) {
        report.leftOut(route.definition().location(), route.id() + " has no RouteKey");
        continue;
      }
      Operation operation = operation(routeKey, route.definition());
      Template.Resource integration = template.resource(integrationId(properties.get("Target")));
      if (integration != null && integration.type().equals("AWS::ApiGatewayV2::Integration")) {
        operation.integration(integrations.read(integration.properties()));
      }
      authorization(properties, operation, api);
      if (properties.get("RequestParameters").present() || properties.get("RequestModels").present()) {
        operation.leftovers().add(new Finding(properties.location(), operation + ": request parameter and model checks are not carried"));
      }
      api.operations().add(operation);
    }
  }

  /** The Integration a route's {@code Target} names: {@code integrations/ID}, written with !Ref, !Sub or !Join. */
  private String integrationId(Src target) {
    if (!target.present()) {
      return null;
    }
    for (Template.Resource candidate : template.ofType("AWS::ApiGatewayV2::Integration")) {
      if (target.node().toString().contains("\"" + candidate.id() + "\"")
          || target.node().toString().contains("${" + candidate.id() + "}")) {
        return candidate.id();
      }
    }
    return null;
  }

  private void authorization(Src properties, Operation operation, ApiDef api) {
    String type = resolver.text(properties.get("AuthorizationType"));
    if (type == null) {
      return;
    }
    switch (type.toUpperCase(Locale.ROOT)) {
      case "JWT", "CUSTOM" -> {
        String authorizer = resolver.logicalId(properties.get("AuthorizerId"));
        if (authorizer == null || !api.authorizers().containsKey(authorizer)) {
          authorizer = "unknown";
          api.authorizers().put(authorizer, AuthorizerReader.unusable(authorizer,
              "the route's AuthorizerId names no AWS::ApiGatewayV2::Authorizer of this API", properties.get("AuthorizerId").location()));
        }
        operation.authorizeOnMethod(authorizer, resolver.texts(properties.get("AuthorizationScopes")));
      }
      case "AWS_IAM" -> {
        api.authorizers().putIfAbsent("AWS_IAM", AuthorizerDef.simple("AWS_IAM", AuthorizerDef.Kind.IAM,
            properties.get("AuthorizationType").location()));
        operation.authorizeOnMethod("AWS_IAM", List.of());
      }
      default -> operation.authorizeOnMethod(null, List.of());
    }
  }

  private void readStages(String apiId, ApiDef api) {
    for (Template.Resource stage : template.ofType("AWS::ApiGatewayV2::Stage")) {
      if (!belongs(stage, apiId)) {
        continue;
      }
      throttle(stage.properties().get("DefaultRouteSettings"), api, null);
      for (Map.Entry<String, Src> route : stage.properties().get("RouteSettings").fields().entrySet()) {
        throttle(route.getValue(), api, route.getKey());
      }
      for (Map.Entry<String, Src> variable : stage.properties().get("StageVariables").fields().entrySet()) {
        report.note(variable.getValue().location(), stage.id() + ": stage variable " + variable.getKey() + " = "
            + resolver.text(variable.getValue()) + "; where a URI used ${stageVariables." + variable.getKey() + "}, set "
            + variable.getKey() + " in the environment");
      }
    }
  }

  private void throttle(Src settings, ApiDef api, String routeKey) {
    if (!settings.isObject()) {
      return;
    }
    String rate = resolver.text(settings.get("ThrottlingRateLimit"));
    Throttle throttle = new Throttle(IntegrationReader.decimalOf(rate),
        IntegrationReader.integerOf(resolver.text(settings.get("ThrottlingBurstLimit"))), settings.location());
    if (throttle.isEmpty()) {
      return;
    }
    if (routeKey == null) {
      api.defaultThrottle(throttle);
    } else {
      api.routeThrottles().put(routeKey, throttle);
    }
  }
}

package dev.lambdaproxy.importer.cfn;

import dev.lambdaproxy.importer.api.ApiDef;
import dev.lambdaproxy.importer.api.ApiKind;
import dev.lambdaproxy.importer.api.AuthorizerDef;
import dev.lambdaproxy.importer.api.Finding;
import dev.lambdaproxy.importer.api.Operation;
import dev.lambdaproxy.importer.api.Report;
import dev.lambdaproxy.importer.openapi.AuthorizerReader;
import dev.lambdaproxy.importer.openapi.IntegrationReader;
import dev.lambdaproxy.importer.openapi.OpenApiReader;
import dev.lambdaproxy.importer.source.Src;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A REST API written as raw CloudFormation: {@code AWS::ApiGateway::RestApi} with its
 * {@code Resource} tree, {@code Method}s, {@code Authorizer}s and {@code Stage}s (or with an inline {@code Body}).
 */
final class RestResources {

  private final Template template;
  private final Intrinsics resolver;
  private final Report report;
  private final AuthorizerReader authorizers;
  private final IntegrationReader integrations;

  RestResources(Template template, Intrinsics resolver, Report report, AuthorizerReader authorizers) {
    this.template = template;
    this.resolver = resolver;
    this.report = report;
    this.authorizers = authorizers;
    this.integrations = new IntegrationReader(resolver);
  }

  void read(TemplateApis out) {
    for (Template.Resource restApi : template.ofType("AWS::ApiGateway::RestApi")) {
      if (Boolean.FALSE.equals(resolver.holds(restApi))) {
        continue;
      }
      String name = restApi.id() + " (AWS::ApiGateway::RestApi)";
      Src properties = restApi.properties();
      ApiDef api;
      if (properties.get("Body").isObject()) {
        api = new OpenApiReader(resolver, report, authorizers).read(properties.get("Body"), name, ApiKind.REST);
      } else {
        api = new ApiDef(name, ApiKind.REST, restApi.definition().location());
        if (properties.get("BodyS3Location").present()) {
          api.leftovers().add(new Finding(properties.get("BodyS3Location").location(), restApi.id()
              + ": its definition in S3 is not read; import that file beside the template"));
        }
      }
      apiSettings(restApi, api);
      readAuthorizers(restApi.id(), api);
      readMethods(restApi.id(), api);
      readStages(restApi.id(), api);
      out.apis().add(api);
    }
  }

  private void apiSettings(Template.Resource restApi, ApiDef api) {
    Src properties = restApi.properties();
    if (properties.get("Policy").present()) {
      api.leftovers().add(new Finding(properties.get("Policy").location(), restApi.id()
          + ": the resource policy is not carried: whoever reaches the proxy may call it"));
    }
    for (String type : resolver.texts(properties.get("EndpointConfiguration").get("Types"))) {
      if (type.equalsIgnoreCase("PRIVATE")) {
        api.leftovers().add(new Finding(properties.get("EndpointConfiguration").location(), restApi.id()
            + ": a private endpoint is not carried: the proxy answers wherever it listens"));
      }
    }
    if (properties.get("MinimumCompressionSize").present()) {
      api.leftovers().add(new Finding(properties.get("MinimumCompressionSize").location(), "response compression is not carried"));
    }
    if ("AUTHORIZER".equalsIgnoreCase(resolver.text(properties.get("ApiKeySourceType")))) {
      api.leftovers().add(new Finding(properties.get("ApiKeySourceType").location(),
          "API keys from a Lambda authorizer (usageIdentifierKey) are not carried"));
    }
    if (properties.get("BinaryMediaTypes").present()) {
      report.note(properties.get("BinaryMediaTypes").location(),
          "binary media types need no setting: bodies that are not text travel base64-encoded");
    }
  }

  private boolean belongs(Template.Resource resource, String apiId) {
    return apiId.equals(resolver.logicalId(resource.properties().get("RestApiId")));
  }

  private void readAuthorizers(String apiId, ApiDef api) {
    for (Template.Resource resource : template.ofType("AWS::ApiGateway::Authorizer")) {
      if (!belongs(resource, apiId)) {
        continue;
      }
      Src properties = resource.properties();
      String type = String.valueOf(resolver.text(properties.get("Type"))).toUpperCase(Locale.ROOT);
      String name = resolver.text(properties.get("Name"));
      name = name != null ? name : resource.id();
      Src identity = properties.get("IdentitySource");
      AuthorizerDef authorizer = switch (type) {
        case "COGNITO_USER_POOLS" -> authorizers.cognito(name, properties.get("ProviderARNs"), identity, "Authorization", List.of(),
            properties.get("IdentityValidationExpression"), resource.definition().location());
        case "TOKEN", "REQUEST" -> authorizers.lambda(name, type.equals("TOKEN") ? AuthorizerDef.Kind.TOKEN : AuthorizerDef.Kind.REQUEST,
            true, properties.get("AuthorizerUri"), identity, "Authorization", properties.get("AuthorizerResultTtlInSeconds"), null,
            null, properties.get("AuthorizerCredentials"), properties.get("IdentityValidationExpression"),
            resource.definition().location());
        default -> AuthorizerReader.unusable(name, "authorizer type " + type + " is not carried", resource.definition().location());
      };
      api.authorizers().put(resource.id(), authorizer);
    }
  }

  private void readMethods(String apiId, ApiDef api) {
    Set<String> seen = new HashSet<>();
    for (Template.Resource resource : template.ofType("AWS::ApiGateway::Method")) {
      if (!belongs(resource, apiId) || Boolean.FALSE.equals(resolver.holds(resource))) {
        continue;
      }
      Src properties = resource.properties();
      String path = path(properties.get("ResourceId"), apiId, 0);
      if (path == null) {
        report.leftOut(properties.get("ResourceId").location(), resource.id() + ": its resource path cannot be worked out");
        continue;
      }
      String method = String.valueOf(resolver.text(properties.get("HttpMethod"))).toUpperCase(Locale.ROOT);
      if (!seen.add(method + " " + path)) {
        continue;
      }
      Operation operation = new Operation(path, method, resource.definition().location());
      if (properties.get("Integration").isObject()) {
        operation.integration(integrations.read(properties.get("Integration")));
      }
      String authorization = String.valueOf(resolver.text(properties.get("AuthorizationType"))).toUpperCase(Locale.ROOT);
      switch (authorization) {
        case "CUSTOM", "COGNITO_USER_POOLS" -> {
          String authorizer = resolver.logicalId(properties.get("AuthorizerId"));
          if (authorizer == null || !api.authorizers().containsKey(authorizer)) {
            authorizer = "unknown";
            api.authorizers().put(authorizer, AuthorizerReader.unusable(authorizer, "the method's AuthorizerId names no"
                + " AWS::ApiGateway::Authorizer of this API", properties.get("AuthorizerId").location()));
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
      if ("true".equalsIgnoreCase(resolver.text(properties.get("ApiKeyRequired")))) {
        operation.apiKeyRequired(true);
      }
      validator(properties.get("RequestValidatorId"), operation);
      api.operations().add(operation);
    }
  }

  private void validator(Src validatorId, Operation operation) {
    Template.Resource validator = template.resource(resolver.logicalId(validatorId));
    if (validator == null) {
      return;
    }
    boolean body = "true".equalsIgnoreCase(resolver.text(validator.properties().get("ValidateRequestBody")));
    boolean parameters = "true".equalsIgnoreCase(resolver.text(validator.properties().get("ValidateRequestParameters")));
    if (body || parameters) {
      operation.leftovers().add(new Finding(validatorId.location(), "request validation ("
          + (body && parameters ? "body and parameters" : body ? "body" : "parameters")
          + ") is not carried: the function gets requests API Gateway would have refused with 400"));
    }
  }

  /** The path of a resource: {@code !GetAtt Api.RootResourceId} is {@code /}; a resource is its parent's path and its PathPart. */
  private String path(Src resourceId, String apiId, int depth) {
    if (depth > 64) {
      return null;
    }
    Src resolvedNode = resourceId;
    Object getAtt = resourceId.node().isObject() ? resourceId.node().get("Fn::GetAtt") : null;
    if (getAtt != null) {
      String id = resolver.logicalId(resourceId);
      return apiId.equals(id) ? "/" : null;
    }
    Template.Resource resource = template.resource(resolver.logicalId(resolvedNode));
    if (resource == null || !resource.type().equals("AWS::ApiGateway::Resource")) {
      return null;
    }
    String parent = path(resource.properties().get("ParentId"), apiId, depth + 1);
    String part = resolver.text(resource.properties().get("PathPart"));
    if (parent == null || part == null) {
      return null;
    }
    return (parent.equals("/") ? "" : parent) + "/" + part;
  }

  private void readStages(String apiId, ApiDef api) {
    Map<String, Src> settings = new LinkedHashMap<>();
    for (Template.Resource stage : template.ofType("AWS::ApiGateway::Stage")) {
      if (belongs(stage, apiId)) {
        settings.put(stage.id(), stage.properties());
      }
    }
    for (Template.Resource deployment : template.ofType("AWS::ApiGateway::Deployment")) {
      if (belongs(deployment, apiId) && deployment.properties().get("StageDescription").isObject()) {
        settings.put(deployment.id(), deployment.properties().get("StageDescription"));
      }
    }
    for (Map.Entry<String, Src> stage : settings.entrySet()) {
      for (Src setting : stage.getValue().get("MethodSettings").elements()) {
        Stages.methodSetting(setting, api, resolver);
      }
      if ("true".equalsIgnoreCase(resolver.text(stage.getValue().get("CacheClusterEnabled")))) {
        api.leftovers().add(new Finding(stage.getValue().get("CacheClusterEnabled").location(),
            "API Gateway's cache is not carried (see cache= in routes.properties)"));
      }
      for (Map.Entry<String, Src> variable : stage.getValue().get("Variables").fields().entrySet()) {
        report.note(variable.getValue().location(), stage.getKey() + ": stage variable " + variable.getKey() + " = "
            + resolver.text(variable.getValue()) + "; where a URI used ${stageVariables." + variable.getKey() + "}, set "
            + variable.getKey() + " in the environment");
      }
    }
  }
}

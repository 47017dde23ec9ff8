package dev.lambdaproxy.importer.openapi;

import dev.lambdaproxy.importer.api.ApiDef;
import dev.lambdaproxy.importer.api.ApiKind;
import dev.lambdaproxy.importer.api.AuthorizerDef;
import dev.lambdaproxy.importer.api.CorsDef;
import dev.lambdaproxy.importer.api.Finding;
import dev.lambdaproxy.importer.api.Operation;
import dev.lambdaproxy.importer.api.Report;
import dev.lambdaproxy.importer.source.Src;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads an OpenAPI 3 or Swagger 2 definition with API Gateway's extensions, an export or a
 * template's inline body, into an {@link ApiDef}.
 */
public final class OpenApiReader {

  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch");
  private static final String ANY_METHOD = "x-amazon-apigateway-any-method";
  /** Root extensions that change nothing the proxy does (documentation, tags, versions) or that are read elsewhere. */
  private static final Set<String> QUIET_EXTENSIONS = Set.of("x-amazon-apigateway-importexport-version",
      "x-amazon-apigateway-documentation", "x-amazon-apigateway-tag-value", "x-amazon-apigateway-request-validators",
      "x-amazon-apigateway-request-validator", "x-amazon-apigateway-cors", "x-amazon-apigateway-integrations",
      "x-amazon-apigateway-api-key-source", "x-amazon-apigateway-disable-execute-api-endpoint");

  private final Resolver resolver;
  private final Report report;
  private final AuthorizerReader authorizers;
  private final IntegrationReader integrations;

  public OpenApiReader(Resolver resolver, Report report, AuthorizerReader authorizers) {
    this.resolver = resolver;
    this.report = report;
    this.authorizers = authorizers;
    this.integrations = new IntegrationReader(resolver);
  }

  /** Whether a document is an OpenAPI 3 or Swagger 2 definition. */
  public static boolean isDefinition(Src document) {
    return document.isObject() && (document.has("openapi") || document.has("swagger"));
  }

  /**
   * Which kind of API an export is: HTTP when anything in it exists only in HTTP APIs (payload
   * format versions, {@code $default}, JWT authorizers, {@code x-amazon-apigateway-cors}); else REST.
   */
  public static ApiKind kindOf(Src document) {
    if (document.has("swagger")) {
      return ApiKind.REST;
    }
    if (document.has("x-amazon-apigateway-cors") || document.get("paths").has(Operation.DEFAULT_ROUTE)) {
      return ApiKind.HTTP;
    }
    return containsHttpOnly(document.node()) ? ApiKind.HTTP : ApiKind.REST;
  }

  private static boolean containsHttpOnly(com.fasterxml.jackson.databind.JsonNode node) {
    if (node.isObject()) {
      if (node.has("payloadFormatVersion") || node.has("authorizerPayloadFormatVersion") || node.has("isDefaultRoute")
          || node.has("jwtConfiguration") || node.has("integrationSubtype")) {
        return true;
      }
    }
    for (com.fasterxml.jackson.databind.JsonNode child : node) {
      if (child.isContainerNode() && containsHttpOnly(child)) {
        return true;
      }
    }
    return false;
  }

  /**
   * @param document the definition
   * @param name how the report names the API
   */
  public ApiDef read(Src document, String name, ApiKind kind) {
    ApiDef api = new ApiDef(name, kind, document.location());
    readSecuritySchemes(document, api);
    basePath(document, api);
    rootExtensions(document, api);
    Src validators = document.get("x-amazon-apigateway-request-validators");
    String defaultValidator = resolver.text(document.get("x-amazon-apigateway-request-validator"));
    Src rootSecurity = document.get("security");
    Src paths = document.get("paths");
    for (Map.Entry<String, Src> path : paths.fields().entrySet()) {
      if (path.getKey().startsWith("x-")) {
        continue;
      }
      Src pathItem = follow(document, path.getValue());
      if (pathItem == null) {
        continue;
      }
      for (Map.Entry<String, Src> entry : pathItem.fields().entrySet()) {
        String key = entry.getKey().toLowerCase(Locale.ROOT);
        String method;
        if (METHODS.contains(key)) {
          method = key.toUpperCase(Locale.ROOT);
        } else if (key.equals(ANY_METHOD)) {
          method = Operation.ANY;
        } else {
          if (key.equals("trace")) {
            report.leftOut(entry.getValue().location(), "TRACE is not a method API Gateway or the proxy routes");
          }
          continue; // parameters, summary, servers...
        }
        Src definition = entry.getValue();
        Operation operation = new Operation(path.getKey(), method, definition.location());
        Src integration = definition.get("x-amazon-apigateway-integration");
        if (integration.present()) {
          Src followed = follow(document, integration);
          if (followed == null) {
            continue; // reported: the $ref names nothing
          }
          operation.integration(integrations.read(followed));
        }
        security(definition.has("security") ? definition.get("security") : rootSecurity, definition.has("security"), api, operation);
        Src auth = definition.get("x-amazon-apigateway-auth");
        if ("AWS_IAM".equalsIgnoreCase(resolver.text(auth.get("type")))) {
          api.authorizers().putIfAbsent("AWS_IAM", AuthorizerDef.simple("AWS_IAM", AuthorizerDef.Kind.IAM, auth.location()));
          operation.authorizeOnMethod("AWS_IAM", List.of());
        }
        String validator = definition.has("x-amazon-apigateway-request-validator")
            ? resolver.text(definition.get("x-amazon-apigateway-request-validator")) : defaultValidator;
        validation(validators, validator, definition, operation);
        api.operations().add(operation);
      }
    }
    return api;
  }

  /**
   * Follows a local {@code $ref} ({@code #/components/x-amazon-apigateway-integrations/one}); the
   * value itself otherwise; null (reported) when the reference names nothing.
   */
  private Src follow(Src document, Src value) {
    String ref = value.isObject() ? value.get("$ref").text() : null;
    if (ref == null || !ref.startsWith("#/")) {
      return value;
    }
    Src target = document;
    for (String part : ref.substring(2).split("/")) {
      target = target.get(part.replace("~1", "/").replace("~0", "~"));
    }
    if (!target.present()) {
      report.leftOut(value.location(), "$ref " + ref + " names nothing in the document");
      return null;
    }
    return target;
  }

  private void readSecuritySchemes(Src document, ApiDef api) {
    Src schemes = document.has("securityDefinitions") ? document.get("securityDefinitions")
        : document.get("components").get("securitySchemes");
    boolean rest = api.kind() == ApiKind.REST;
    for (Map.Entry<String, Src> scheme : schemes.fields().entrySet()) {
      Src definition = follow(document, scheme.getValue());
      if (definition != null) {
        api.authorizers().put(scheme.getKey(), authorizers.scheme(scheme.getKey(), definition, rest));
      }
    }
  }

  /**
   * Applies an operation's {@code security} (or the document's): the first requirement of the
   * alternatives is carried, its authorizer and whether it asks for an API key.
   */
  private void security(Src security, boolean onMethod, ApiDef api, Operation operation) {
    if (!security.isArray()) {
      return;
    }
    List<Src> alternatives = security.elements();
    if (alternatives.isEmpty()) {
      if (onMethod) {
        operation.authorizeOnMethod(null, List.of()); // security: [] turns the document's default off
      }
      return;
    }
    if (alternatives.size() > 1) {
      report.leftOut(security.at(1).location(), operation + ": only the first of " + alternatives.size()
          + " security alternatives is carried; callers that satisfied only another are refused");
    }
    String authorizer = null;
    List<String> scopes = List.of();
    boolean apiKey = false;
    for (Map.Entry<String, Src> requirement : alternatives.get(0).fields().entrySet()) {
      String name = requirement.getKey();
      AuthorizerDef scheme = api.authorizers().get(name);
      if (name.equals("api_key_false")) {
        continue; // SAM's marker for "no API key on this method"
      }
      if (scheme == null) {
        api.authorizers().put(name, AuthorizerReader.unusable(name, "security scheme " + name + " is not defined",
            requirement.getValue().location()));
        scheme = api.authorizers().get(name);
      }
      if (scheme.kind() == AuthorizerDef.Kind.API_KEY) {
        apiKey = true;
      } else if (scheme.kind() == AuthorizerDef.Kind.IGNORED) {
        report.note(requirement.getValue().location(), operation + ": security scheme " + name
            + " has no x-amazon-apigateway-authorizer; API Gateway does not act on it, nor does the proxy");
      } else if (authorizer == null) {
        authorizer = name;
        scopes = resolver.texts(requirement.getValue());
      } else {
        report.leftOut(requirement.getValue().location(), operation + ": a second authorizer (" + name
            + ") in one requirement is not carried");
      }
    }
    if (onMethod) {
      operation.authorizeOnMethod(authorizer, scopes);
    } else {
      operation.authorizeByDefault(authorizer, scopes);
    }
    if (apiKey) {
      operation.apiKeyRequired(true);
    }
  }

  private void validation(Src validators, String name, Src definition, Operation operation) {
    if (name == null) {
      return;
    }
    Src validator = validators.get(name);
    boolean body = "true".equalsIgnoreCase(resolver.text(validator.get("validateRequestBody")));
    boolean parameters = "true".equalsIgnoreCase(resolver.text(validator.get("validateRequestParameters")));
    if (body || parameters) {
      Src where = definition.has("x-amazon-apigateway-request-validator") ? definition.get("x-amazon-apigateway-request-validator")
          : definition;
      operation.leftovers().add(new Finding(where.location(), "request validation ('" + name + "': "
          + (body && parameters ? "body and parameters" : body ? "body" : "parameters")
          + ") is not carried: the function gets requests API Gateway would have refused with 400"));
    }
  }

  /** The stage in an export's URL ({@code basePath}, a server's {@code {basePath}}) is not a route prefix: API Gateway's import drops it too. */
  private void basePath(Src document, ApiDef api) {
    String basePath = resolver.text(document.get("basePath"));
    Src where = document.get("basePath");
    if (basePath == null) {
      Src server = document.get("servers").at(0);
      where = server.get("variables").get("basePath").get("default");
      basePath = resolver.text(where);
    }
    if (basePath != null && !basePath.isBlank() && !basePath.equals("/")) {
      report.note(where.location(), "base path " + basePath + " is not put before the routes (as API Gateway's import ignores it):"
          + " clients call the proxy at the paths themselves");
    }
  }

  private void rootExtensions(Src document, ApiDef api) {
    for (Map.Entry<String, Src> field : document.fields().entrySet()) {
      String key = field.getKey();
      Src value = field.getValue();
      switch (key) {
        case "x-amazon-apigateway-cors" -> api.cors(cors(value));
        case "x-amazon-apigateway-policy" -> api.leftovers().add(new Finding(value.location(),
            "the resource policy is not carried: whoever reaches the proxy may call it"));
        case "x-amazon-apigateway-gateway-responses" -> api.leftovers().add(new Finding(value.location(),
            "customized gateway responses are not carried: the proxy's own errors have API Gateway's default shape"));
        case "x-amazon-apigateway-minimum-compression-size" -> api.leftovers().add(new Finding(value.location(),
            "response compression is not carried"));
        case "x-amazon-apigateway-binary-media-types" -> report.note(value.location(),
            "binary media types need no setting: the proxy sends bodies that are not text base64-encoded, by their Content-Type");
        case "x-amazon-apigateway-endpoint-configuration" -> endpointConfiguration(value, api);
        case "x-amazon-apigateway-api-key-source" -> {
          if ("AUTHORIZER".equalsIgnoreCase(resolver.text(value))) {
            api.leftovers().add(new Finding(value.location(), "API keys from a Lambda authorizer (usageIdentifierKey) are not carried"));
          }
        }
        default -> {
          if (key.startsWith("x-amazon-apigateway-") && !QUIET_EXTENSIONS.contains(key)) {
            api.leftovers().add(new Finding(value.location(), key + " is not carried"));
          }
        }
      }
    }
  }

  private void endpointConfiguration(Src value, ApiDef api) {
    if (value.has("vpcEndpointIds")) {
      api.leftovers().add(new Finding(value.get("vpcEndpointIds").location(),
          "a private endpoint (VPC endpoints) is not carried: the proxy answers wherever it listens"));
    }
  }

  /** {@code x-amazon-apigateway-cors} (or SAM's {@code CorsConfiguration}, any case). */
  public CorsDef cors(Src cors) {
    return new CorsDef(
        resolver.texts(IntegrationReader.field(cors, "allowOrigins")),
        resolver.texts(IntegrationReader.field(cors, "allowMethods")),
        resolver.texts(IntegrationReader.field(cors, "allowHeaders")),
        resolver.texts(IntegrationReader.field(cors, "exposeHeaders")),
        IntegrationReader.integerOf(resolver.text(IntegrationReader.field(cors, "maxAge"))),
        bool(resolver.text(IntegrationReader.field(cors, "allowCredentials"))),
        cors.location());
  }

  private static Boolean bool(String text) {
    return text == null ? null : Boolean.valueOf(text.strip().equalsIgnoreCase("true"));
  }
}

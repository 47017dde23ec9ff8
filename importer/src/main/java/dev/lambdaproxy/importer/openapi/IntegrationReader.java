package dev.lambdaproxy.importer.openapi;

import dev.lambdaproxy.importer.api.Finding;
import dev.lambdaproxy.importer.api.Integration;
import dev.lambdaproxy.importer.source.Src;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads an integration as {@code x-amazon-apigateway-integration} writes it, or as CloudFormation
 * writes one ({@code AWS::ApiGateway::Method}'s {@code Integration}, {@code AWS::ApiGatewayV2::Integration}).
 */
public final class IntegrationReader {

  /** Keys that change nothing once the integration is a proxy, or that the proxy does as well. */
  private static final Set<String> HARMLESS = Set.of("passthroughbehavior", "contenthandling", "contenthandlingstrategy",
      "cachenamespace", "templateselectionexpression", "description", "integrationmethod", "httpmethod", "integrationhttpmethod",
      "type", "integrationtype", "uri", "integrationuri", "payloadformatversion", "timeoutinmillis", "connectiontype",
      "connectionid", "integrationsubtype", "credentials", "credentialsarn", "requestparameters", "requesttemplates", "responses",
      "integrationresponses", "responseparameters", "cachekeyparameters", "apiid", "tlsconfig", "isdefaultroute");

  private final Resolver resolver;

  public IntegrationReader(Resolver resolver) {
    this.resolver = resolver;
  }

  /** The value of the first key present, any case ({@code uri}, {@code Uri}, {@code IntegrationUri}). */
  public static Src field(Src object, String... names) {
    for (String name : names) {
      for (Map.Entry<String, Src> field : object.fields().entrySet()) {
        if (field.getKey().equalsIgnoreCase(name)) {
          return field.getValue();
        }
      }
    }
    return object.get(names[0]);
  }

  public Integration read(Src integration) {
    List<Finding> leftovers = new ArrayList<>();
    String type = upper(resolver.text(field(integration, "type", "IntegrationType")));
    if (type == null) {
      type = "";
    }
    Src uriSrc = field(integration, "uri", "IntegrationUri");
    String uri = resolver.text(uriSrc);
    String httpMethod = upper(resolver.text(field(integration, "httpMethod", "IntegrationHttpMethod", "IntegrationMethod")));
    String payload = versionOf(resolver.text(field(integration, "payloadFormatVersion")));
    Integer timeout = integerOf(resolver.text(field(integration, "timeoutInMillis")));
    String subtype = resolver.text(field(integration, "integrationSubtype"));
    Src connection = field(integration, "connectionType");
    boolean vpcLink = "VPC_LINK".equalsIgnoreCase(resolver.text(connection));
    String credentials = resolver.text(field(integration, "credentials", "CredentialsArn"));
    boolean proxy = type.equals("AWS_PROXY") || type.equals("HTTP_PROXY");

    Map<String, String> pathParameters = new LinkedHashMap<>();
    Src requestParameters = field(integration, "requestParameters");
    List<String> unmapped = new ArrayList<>();
    for (Map.Entry<String, Src> parameter : requestParameters.fields().entrySet()) {
      String key = parameter.getKey();
      String value = resolver.text(parameter.getValue());
      if (type.equals("HTTP_PROXY") && key.startsWith("integration.request.path.") && value != null
          && value.startsWith("method.request.path.")) {
        pathParameters.put(key.substring("integration.request.path.".length()), value.substring("method.request.path.".length()));
      } else if (!type.equals("MOCK")) {
        unmapped.add(key + (value != null ? " = " + value : ""));
      }
    }
    if (!unmapped.isEmpty() && proxy && subtype == null) {
      leftovers.add(new Finding(requestParameters.location(), "request parameter mapping (" + String.join(", ", unmapped)
          + ") is not carried: the call goes out without it"));
    }
    Src templates = field(integration, "requestTemplates");
    if (templates.isObject() && !templates.fields().isEmpty() && proxy) {
      leftovers.add(new Finding(templates.location(), "request mapping templates are not carried"));
    }
    Src responseParameters = field(integration, "responseParameters");
    if (responseParameters.isObject() && !responseParameters.fields().isEmpty()) {
      leftovers.add(new Finding(responseParameters.location(),
          "response parameter mapping (" + String.join(", ", describe(responseParameters)) + ") is not carried"));
    }
    Map<String, String> corsHeaders = new LinkedHashMap<>();
    Src responses = field(integration, "responses", "IntegrationResponses");
    List<Src> responseList = responses.isArray() ? responses.elements() : new ArrayList<>(responses.fields().values());
    for (Src response : responseList) {
      Src parameters = field(response, "responseParameters");
      Src responseTemplates = field(response, "responseTemplates");
      if (type.equals("MOCK")) {
        for (Map.Entry<String, Src> parameter : parameters.fields().entrySet()) {
          String header = parameter.getKey().replaceFirst("(?i)^method\\.response\\.header\\.", "");
          String value = resolver.text(parameter.getValue());
          if (header.regionMatches(true, 0, "Access-Control-", 0, 15) && value != null) {
            corsHeaders.put(header.toLowerCase(Locale.ROOT), unquote(value));
          }
        }
      } else if (proxy && (parameters.fields().size() > 0 || responseTemplates.fields().size() > 0)) {
        leftovers.add(new Finding(response.location(), "integration response mapping is not carried (a proxy integration's answer passes as it is)"));
      }
    }
    Src tls = field(integration, "tlsConfig");
    if (tls.present()) {
      leftovers.add(new Finding(tls.location(), "the integration's TLS settings are not carried (set ssl-verify in lambda-proxy.properties if needed)"));
    }
    Src cacheKeys = field(integration, "cacheKeyParameters");
    if (cacheKeys.isArray() && !cacheKeys.elements().isEmpty()) {
      leftovers.add(new Finding(cacheKeys.location(), "API Gateway's cache keys are not carried (see cache= in routes.properties)"));
    }
    for (String key : integration.fields().keySet()) {
      if (!HARMLESS.contains(key.toLowerCase(Locale.ROOT)) && !key.startsWith("x-")) {
        leftovers.add(new Finding(integration.get(key).location(), "integration setting '" + key + "' is not carried"));
      }
    }
    return new Integration(type, uri, httpMethod, payload, timeout, subtype, vpcLink, pathParameters, corsHeaders, credentials,
        leftovers, integration.location());
  }

  private List<String> describe(Src mapping) {
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, Src> entry : mapping.fields().entrySet()) {
      if (entry.getValue().isObject()) {
        for (String inner : entry.getValue().fields().keySet()) {
          parts.add(entry.getKey() + ": " + inner);
        }
      } else {
        parts.add(entry.getKey());
      }
    }
    return parts;
  }

  /** {@code 'GET,OPTIONS'} to {@code GET,OPTIONS}: API Gateway writes static values in single quotes. */
  public static String unquote(String value) {
    String stripped = value.strip();
    return stripped.length() >= 2 && stripped.startsWith("'") && stripped.endsWith("'")
        ? stripped.substring(1, stripped.length() - 1) : stripped;
  }

  static String upper(String text) {
    return text == null ? null : text.strip().toUpperCase(Locale.ROOT);
  }

  /** {@code 1}, {@code 1.0}, {@code "2.0"} to {@code 1.0} / {@code 2.0}; null when absent. */
  public static String versionOf(String text) {
    if (text == null) {
      return null;
    }
    return switch (text.strip()) {
      case "1", "1.0" -> "1.0";
      case "2", "2.0" -> "2.0";
      default -> text.strip();
    };
  }

  /** A number ({@code 5}, {@code 0.5}), or null when absent or not a number (a placeholder, say). */
  public static Double decimalOf(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Double.valueOf(text.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  public static Integer integerOf(String text) {
    if (text == null) {
      return null;
    }
    try {
      return new java.math.BigDecimal(text.strip()).intValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      return null;
    }
  }
}

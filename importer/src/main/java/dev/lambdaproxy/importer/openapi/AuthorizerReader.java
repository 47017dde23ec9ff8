package dev.lambdaproxy.importer.openapi;

import dev.lambdaproxy.importer.api.AuthorizerDef;
import dev.lambdaproxy.importer.api.Finding;
import dev.lambdaproxy.importer.api.LambdaUri;
import dev.lambdaproxy.importer.api.Report;
import dev.lambdaproxy.importer.source.Location;
import dev.lambdaproxy.importer.source.Src;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Authorizers in the proxy's terms, from a security scheme's {@code x-amazon-apigateway-authorizer}
 * or from the same settings as CloudFormation names them.
 */
public final class AuthorizerReader {

  private static final Pattern USER_POOL_ARN = Pattern.compile("^arn:[^:]+:cognito-idp:([^:]+):[^:]*:userpool/(.+)$");

  private final Resolver resolver;
  private final Report report;
  /** The app client ids of a user pool, by its id as resolved (placeholders included); empty when not known. */
  private final Function<String, List<String>> poolClients;

  public AuthorizerReader(Resolver resolver, Report report, Function<String, List<String>> poolClients) {
    this.resolver = resolver;
    this.report = report;
    this.poolClients = poolClients;
  }

  /** A security scheme of an OpenAPI document (Swagger's {@code securityDefinitions}, OpenAPI 3's {@code components.securitySchemes}). */
  public AuthorizerDef scheme(String name, Src scheme, boolean rest) {
    Src authorizer = scheme.get("x-amazon-apigateway-authorizer");
    String authType = lower(resolver.text(scheme.get("x-amazon-apigateway-authtype")));
    String schemeType = resolver.text(scheme.get("type"));
    if (!authorizer.present()) {
      if ("awssigv4".equals(authType) || "aws_iam".equals(authType)) {
        return AuthorizerDef.simple(name, AuthorizerDef.Kind.IAM, scheme.location());
      }
      if ("apiKey".equals(schemeType) && "header".equalsIgnoreCase(resolver.text(scheme.get("in")))
          && "x-api-key".equalsIgnoreCase(resolver.text(scheme.get("name")))) {
        return AuthorizerDef.simple(name, AuthorizerDef.Kind.API_KEY, scheme.location());
      }
      return AuthorizerDef.simple(name, AuthorizerDef.Kind.IGNORED, scheme.location());
    }
    String type = lower(resolver.text(authorizer.get("type")));
    String header = "header".equalsIgnoreCase(resolver.text(scheme.get("in"))) ? resolver.text(scheme.get("name")) : null;
    Src identity = authorizer.get("identitySource");
    return switch (type == null ? "" : type) {
      case "jwt" -> {
        Src jwt = IntegrationReader.field(authorizer, "jwtConfiguration");
        yield jwt(name, resolver.text(IntegrationReader.field(jwt, "issuer")),
            resolver.texts(IntegrationReader.field(jwt, "audience")), identity, authorizer.location());
      }
      case "cognito_user_pools" -> cognito(name, authorizer.get("providerARNs"), identity, header, List.of(),
          authorizer.get("identityValidationExpression"), authorizer.location());
      case "token", "request" -> lambda(name, type.equals("token") ? AuthorizerDef.Kind.TOKEN : AuthorizerDef.Kind.REQUEST, rest,
          authorizer.get("authorizerUri"), identity, header, authorizer.get("authorizerResultTtlInSeconds"),
          rest ? null : authorizer.get("authorizerPayloadFormatVersion"), authorizer.get("enableSimpleResponses"),
          authorizer.get("authorizerCredentials"), authorizer.get("identityValidationExpression"), authorizer.location());
      default -> unusable(name, "authorizer type '" + type + "' is not carried", authorizer.location());
    };
  }

  /** A JWT authorizer (HTTP APIs). */
  public AuthorizerDef jwt(String name, String issuer, List<String> audience, Src identity, Location location) {
    List<Finding> leftovers = new ArrayList<>();
    List<String> sources = identitySources(identity, false, leftovers);
    if (issuer == null) {
      return unusable(name, "JWT authorizer without an issuer", location);
    }
    if (audience.isEmpty()) {
      audience = List.of(report.placeholder(Report.envName(name, "AUDIENCE"),
          "the audiences (comma-separated) tokens of authorizer " + name + " must carry: the API names none", location));
    }
    return new AuthorizerDef(name, AuthorizerDef.Kind.JWT, issuer, audience, null, sources, null, null, null, List.of(), leftovers,
        location);
  }

  /**
   * A Cognito user pool authorizer (REST APIs), as a JWT authorizer with the pool's issuer; its
   * audience is the pool's app clients when the template has them, else a placeholder.
   */
  public AuthorizerDef cognito(String name, Src providerArns, Src identity, String header, List<String> scopes, Src validation,
      Location location) {
    List<Finding> leftovers = new ArrayList<>();
    List<String> arns = resolver.texts(providerArns);
    if (arns.isEmpty()) {
      return unusable(name, "Cognito authorizer without a user pool ARN", location);
    }
    if (arns.size() > 1) {
      leftovers.add(new Finding(providerArns.location(), "only the first of " + arns.size()
          + " user pools is carried (a JWT authorizer has one issuer): tokens of " + String.join(", ", arns.subList(1, arns.size()))
          + " are refused"));
    }
    String arn = arns.get(0);
    Matcher matcher = USER_POOL_ARN.matcher(arn);
    String issuer;
    String poolId;
    if (matcher.matches()) {
      poolId = matcher.group(2);
      issuer = "https://cognito-idp." + matcher.group(1) + ".amazonaws.com/" + poolId;
    } else {
      poolId = report.placeholder(Report.envName(name, "USER_POOL_ID"),
          "the id of the user pool of authorizer " + name + " (" + arn + ")", providerArns.location());
      issuer = "https://cognito-idp." + report.placeholder("AWS_REGION", "the region of the stack", providerArns.location())
          + ".amazonaws.com/" + poolId;
    }
    List<String> audience = poolClients.apply(poolId);
    if (audience.isEmpty()) {
      audience = List.of(report.placeholder(Report.envName(name, "AUDIENCE"),
          "the app client ids (comma-separated) of the user pool of authorizer " + name
              + ": a Cognito authorizer takes tokens of any of its clients, a JWT authorizer checks the audience",
          providerArns.location()));
    }
    List<String> sources = identitySources(identity, true, leftovers);
    if (sources.isEmpty() && header != null && !header.equalsIgnoreCase("Authorization")) {
      sources = List.of("$request.header." + header);
    }
    if (validation != null && validation.present()) {
      leftovers.add(new Finding(validation.location(), "the token validation expression is not carried"));
    }
    return new AuthorizerDef(name, AuthorizerDef.Kind.JWT, issuer, audience, null, sources, null, null, null, scopes, leftovers,
        location);
  }

  /** A Lambda authorizer: TOKEN or REQUEST (REST), request with payload 1.0 or 2.0 (HTTP APIs). */
  public AuthorizerDef lambda(String name, AuthorizerDef.Kind kind, boolean rest, Src uri, Src identity, String header, Src ttl,
      Src payload, Src simple, Src credentials, Src validation, Location location) {
    List<Finding> leftovers = new ArrayList<>();
    String function = LambdaUri.function(StageVariables.toEnv(resolver.text(uri), report, uri.location()));
    if (function == null) {
      return unusable(name, "Lambda authorizer whose URI names no function (" + resolver.text(uri) + ")", location);
    }
    List<String> sources = identitySources(identity, rest, leftovers);
    if (sources.isEmpty() && kind == AuthorizerDef.Kind.TOKEN) {
      sources = List.of("$request.header." + (header != null ? header : "Authorization"));
    }
    Integer seconds = IntegrationReader.integerOf(resolver.text(ttl));
    if (sources.isEmpty()) {
      if (seconds != null && seconds > 0) {
        report.note(ttl.location(), "authorizer " + name + " has no identity source to key its cache on: ttl 0s (no caching)");
      }
      seconds = 0;
    } else if (seconds == null) {
      seconds = 300; // API Gateway's default
    }
    String version = rest ? null : IntegrationReader.versionOf(resolver.text(payload));
    if (!rest && version == null) {
      version = "2.0";
      report.note(location, "authorizer " + name + " names no authorizerPayloadFormatVersion: 2.0 assumed");
    }
    Boolean simpleResponses = null;
    if (!rest && "2.0".equals(version)) {
      simpleResponses = "true".equalsIgnoreCase(resolver.text(simple));
    }
    if (credentials != null && credentials.present()) {
      report.note(credentials.location(), "authorizer " + name + " is invoked with the proxy's own credentials, not the role "
          + resolver.text(credentials));
    }
    if (validation != null && validation.present()) {
      leftovers.add(new Finding(validation.location(), "the token validation expression " + resolver.text(validation)
          + " is not carried: every token reaches the authorizer"));
    }
    return new AuthorizerDef(name, kind, null, List.of(), function, sources, seconds, version, simpleResponses, List.of(), leftovers,
        location);
  }

  public static AuthorizerDef unusable(String name, String why, Location location) {
    return new AuthorizerDef(name, AuthorizerDef.Kind.UNUSABLE, null, List.of(), null, List.of(), null, null, null, List.of(),
        List.of(new Finding(location, why)), location);
  }

  /**
   * Identity sources as the proxy reads them ({@code $request.header.NAME}, {@code $request.querystring.NAME}),
   * from REST's {@code method.request.header.NAME} or HTTP's {@code $request.header.NAME}; stage variables
   * and context variables are left out.
   */
  public List<String> identitySources(Src identity, boolean rest, List<Finding> leftovers) {
    List<String> sources = new ArrayList<>();
    if (identity == null || !identity.present()) {
      return sources;
    }
    for (String source : resolver.texts(identity)) {
      String normalized = normalize(source);
      if (normalized != null) {
        sources.add(normalized);
      } else {
        leftovers.add(new Finding(identity.location(), "identity source " + source
            + " is not carried (the proxy reads headers and query strings)"));
      }
    }
    return sources;
  }

  static String normalize(String source) {
    String text = source.strip();
    String[][] prefixes = {
        {"method.request.header.", "$request.header."},
        {"method.request.multivalueheader.", "$request.header."},
        {"method.request.querystring.", "$request.querystring."},
        {"method.request.multivaluequerystring.", "$request.querystring."},
        {"$request.header.", "$request.header."},
        {"$request.querystring.", "$request.querystring."},
    };
    for (String[] prefix : prefixes) {
      if (text.regionMatches(true, 0, prefix[0], 0, prefix[0].length()) && text.length() > prefix[0].length()) {
        return prefix[1] + text.substring(prefix[0].length());
      }
    }
    return null;
  }

  private static String lower(String text) {
    return text == null ? null : text.strip().toLowerCase(Locale.ROOT);
  }
}

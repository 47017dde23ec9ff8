package dev.lambdaproxy.importer.api;

import dev.lambdaproxy.importer.source.Location;
import java.util.List;
import java.util.Objects;

/**
 * An authorizer (or security scheme) of an API, as read.
 *
 * @param name the name the API's methods use for it
 * @param kind what it is
 * @param issuer a JWT authorizer's issuer (for Cognito, made from the pool's ARN), or null
 * @param audience a JWT authorizer's audiences (Cognito: the app clients of the pool, when known)
 * @param function a Lambda authorizer's function as a route would name it, or null
 * @param identitySources where the identity is read, as {@code $request.header.NAME} / {@code $request.querystring.NAME}
 * @param ttlSeconds how long a Lambda authorizer's answer is cached, or null for API Gateway's default
 * @param payloadFormatVersion an HTTP API Lambda authorizer's {@code 1.0} or {@code 2.0}; null for a REST API's
 * @param simpleResponses whether an HTTP API Lambda authorizer answers {@code {"isAuthorized": ...}}
 * @param defaultScopes the scopes methods get when they name none (SAM's {@code AuthorizationScopes})
 * @param leftovers what it does that the proxy's authorizers do not
 */
public record AuthorizerDef(
    String name,
    Kind kind,
    String issuer,
    List<String> audience,
    String function,
    List<String> identitySources,
    Integer ttlSeconds,
    String payloadFormatVersion,
    Boolean simpleResponses,
    List<String> defaultScopes,
    List<Finding> leftovers,
    Location location) {

  /** What an authorizer is. */
  public enum Kind {
    /** A JWT authorizer (HTTP APIs), or a Cognito user pool authorizer (REST APIs) taken as one. */
    JWT,
    /** A Lambda authorizer given the token alone (REST {@code TOKEN}). */
    TOKEN,
    /** A Lambda authorizer given the request (REST {@code REQUEST}, HTTP API {@code request}). */
    REQUEST,
    /** IAM authorization (SigV4-signed callers): the proxy cannot check it. */
    IAM,
    /** Not an authorizer: the scheme that makes a method require an API key. */
    API_KEY,
    /** A scheme API Gateway does not act on (no {@code x-amazon-apigateway-authorizer}). */
    IGNORED,
    /** An authorizer that cannot be carried (its leftovers say why). */
    UNUSABLE
  }

  public AuthorizerDef {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    audience = List.copyOf(audience);
    identitySources = List.copyOf(identitySources);
    defaultScopes = List.copyOf(defaultScopes);
    leftovers = List.copyOf(leftovers);
    Objects.requireNonNull(location, "location");
  }

  /** A scheme with no settings of its own: an API key requirement, IAM, or one API Gateway ignores. */
  public static AuthorizerDef simple(String name, Kind kind, Location location) {
    return new AuthorizerDef(name, kind, null, List.of(), null, List.of(), null, null, null, List.of(), List.of(), location);
  }

  /** Whether it stands between a request and the function (an API key requirement and an ignored scheme do not). */
  public boolean guards() {
    return kind != Kind.API_KEY && kind != Kind.IGNORED;
  }
}

package dev.lambdaproxy.importer.api;

import dev.lambdaproxy.importer.source.Location;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One method of one path of an API, built while its export or template is read: a SAM event may
 * add the integration or the authorization of a method its definition body already has.
 */
public final class Operation {

  /** The method that stands for every method ({@code x-amazon-apigateway-any-method}, {@code ANY}). */
  public static final String ANY = "ANY";
  /** An HTTP API's catch-all route. */
  public static final String DEFAULT_ROUTE = "$default";

  private final String path;
  private final String method;
  private final Location location;
  private Integration integration;
  private String authorizer;
  private List<String> scopes = List.of();
  private boolean authorizerOnMethod;
  private Boolean apiKeyRequired;
  private final List<Finding> leftovers = new ArrayList<>();

  /**
   * @param path the path as the API writes it ({@code /pets/{id}}, {@code $default})
   * @param method upper-case, or {@link #ANY}
   */
  public Operation(String path, String method, Location location) {
    this.path = Objects.requireNonNull(path, "path");
    this.method = Objects.requireNonNull(method, "method");
    this.location = Objects.requireNonNull(location, "location");
  }

  public String path() {
    return path;
  }

  public String method() {
    return method;
  }

  public Location location() {
    return location;
  }

  /** Null when the method has no integration (a SAM event may still give it one). */
  public Integration integration() {
    return integration;
  }

  public void integration(Integration integration) {
    this.integration = integration;
  }

  /** The name of the authorizer that guards it, in its API's {@link ApiDef#authorizers()}; null when none does. */
  public String authorizer() {
    return authorizer;
  }

  public List<String> scopes() {
    return scopes;
  }

  /**
   * Sets the authorizer as the method itself says it (its own {@code security}, a SAM event's
   * {@code Auth}, a CloudFormation method's {@code AuthorizerId}); null for none. A default
   * authorizer does not replace it.
   */
  public void authorizeOnMethod(String authorizer, List<String> scopes) {
    this.authorizer = authorizer;
    this.scopes = List.copyOf(scopes);
    this.authorizerOnMethod = true;
  }

  /** Sets the authorizer a default (the document's {@code security}, SAM's {@code DefaultAuthorizer}) gives. */
  public void authorizeByDefault(String authorizer, List<String> scopes) {
    if (!authorizerOnMethod) {
      this.authorizer = authorizer;
      this.scopes = List.copyOf(scopes);
    }
  }

  public boolean authorizerOnMethod() {
    return authorizerOnMethod;
  }

  /** Whether an API key is required; null when the method does not say. */
  public Boolean apiKeyRequired() {
    return apiKeyRequired;
  }

  public void apiKeyRequired(Boolean required) {
    this.apiKeyRequired = required;
  }

  /** What the method itself asks for that the proxy does not do (request validation...). */
  public List<Finding> leftovers() {
    return leftovers;
  }

  @Override
  public String toString() {
    return method + " " + path;
  }
}

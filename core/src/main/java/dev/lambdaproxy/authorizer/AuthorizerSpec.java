package dev.lambdaproxy.authorizer;

import dev.lambdaproxy.invoke.InvokeTarget;
import dev.lambdaproxy.invoke.event.Header;
import dev.lambdaproxy.route.FunctionRef;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One authorizer of {@code lambda-proxy.properties}, as loaded and checked. Equal definitions make
 * equal specs, so a reload that leaves an authorizer unchanged keeps its keys and cached decisions.
 */
public sealed interface AuthorizerSpec permits AuthorizerSpec.Jwt, AuthorizerSpec.Lambda {

  String name();

  AuthorizerType type();

  /** The identity sources this authorizer reads, in order. */
  List<IdentitySource> identitySources();

  /**
   * The caller's identity as this authorizer sees it (the values of its identity sources, joined),
   * or null when one is missing: requests with the same identity get the same decision.
   */
  default String identity(List<Header> headers, String rawQuery) {
    List<IdentitySource> sources = identitySources();
    if (sources.isEmpty()) {
      return null;
    }
    StringBuilder joined = new StringBuilder();
    for (IdentitySource source : sources) {
      String value = source.valueIn(headers, rawQuery);
      if (value == null) {
        return null;
      }
      joined.append(value).append('\0');
    }
    return joined.toString();
  }

  /**
   * A JWT authorizer.
   *
   * @param issuer what {@code iss} must equal; keys are found by OIDC discovery under it unless {@code jwksUri} is set
   * @param audiences what {@code aud} (or {@code client_id} without {@code aud}) must match one of
   * @param jwksUri where the keys are, or null to discover them
   * @param identitySource where the token is ({@code Authorization} unless set)
   * @param clockSkew how far {@code exp}, {@code nbf} and {@code iat} may be off
   * @param jwksRefresh how long fetched keys are used before they are fetched again (in the background)
   */
  record Jwt(String name, URI issuer, List<String> audiences, URI jwksUri, IdentitySource identitySource, Duration clockSkew,
      Duration jwksRefresh) implements AuthorizerSpec {

    public Jwt {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(issuer, "issuer");
      audiences = List.copyOf(audiences);
      Objects.requireNonNull(identitySource, "identitySource");
      Objects.requireNonNull(clockSkew, "clockSkew");
      Objects.requireNonNull(jwksRefresh, "jwksRefresh");
    }

    @Override
    public AuthorizerType type() {
      return AuthorizerType.JWT;
    }

    @Override
    public List<IdentitySource> identitySources() {
      return List.of(identitySource);
    }

    /** Where the OIDC discovery document is: {@code {issuer}/.well-known/openid-configuration}. */
    public URI discoveryUri() {
      String text = issuer.toString();
      return URI.create((text.endsWith("/") ? text.substring(0, text.length() - 1) : text) + "/.well-known/openid-configuration");
    }
  }

  /**
   * A Lambda authorizer.
   *
   * @param type {@code request}, {@code request-v1} or {@code token}
   * @param function the function, as a route names it
   * @param target the Invoke call of the function
   * @param identitySources what must be present, and what the decisions are cached by
   * @param ttl how long a decision is cached; zero for never
   * @param simpleResponses whether a {@code request} authorizer answers {@code {"isAuthorized":...}} instead of a policy
   * @param timeout how long the function may take
   * @param arn the fixed parts of the {@code methodArn}/{@code routeArn} the function and its policies see
   */
  record Lambda(String name, AuthorizerType type, FunctionRef function, InvokeTarget target, List<IdentitySource> identitySources,
      Duration ttl, boolean simpleResponses, Duration timeout, ExecuteApiArn arn) implements AuthorizerSpec {

    public Lambda {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(function, "function");
      Objects.requireNonNull(target, "target");
      identitySources = List.copyOf(new ArrayList<>(identitySources));
      Objects.requireNonNull(ttl, "ttl");
      Objects.requireNonNull(timeout, "timeout");
      Objects.requireNonNull(arn, "arn");
      if (type == AuthorizerType.JWT) {
        throw new IllegalArgumentException("a Lambda authorizer cannot be of type jwt");
      }
    }
  }
}

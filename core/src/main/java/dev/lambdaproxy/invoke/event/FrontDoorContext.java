package dev.lambdaproxy.invoke.event;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the front door learned about a request that API Gateway puts into the event, so handlers
 * written for API Gateway read it where they always did.
 *
 * <p>The nodes are made by the front door for this request and never changed after: the events
 * only write them.
 *
 * @param apiKey the client's API key (payload 1.0 {@code requestContext.identity.apiKey}), or null
 * @param apiKeyId the key's name in {@code lambda-proxy.properties} (1.0 {@code identity.apiKeyId}), or null
 * @param authorizerV1 the object 1.0 events carry as {@code requestContext.authorizer}
 *     ({@code {claims, scopes}} of a JWT, or {@code {principalId, key: "string"...}} of a Lambda authorizer), or null
 * @param authorizerV2 the object 2.0 events carry as {@code requestContext.authorizer}
 *     ({@code {jwt: {claims, scopes}}} or {@code {lambda: {...}}}), or null
 */
public record FrontDoorContext(String apiKey, String apiKeyId, ObjectNode authorizerV1, ObjectNode authorizerV2) {

  /** Nothing learned: no front door applies, or it found nothing to pass on. */
  public static final FrontDoorContext NONE = new FrontDoorContext(null, null, null, null);

  public FrontDoorContext withApiKey(String key, String keyId) {
    return new FrontDoorContext(key, keyId, authorizerV1, authorizerV2);
  }

  public FrontDoorContext withAuthorizer(ObjectNode v1, ObjectNode v2) {
    return new FrontDoorContext(apiKey, apiKeyId, v1, v2);
  }

  @Override
  public String toString() {
    // The key is a secret and claims may be personal: neither goes into a log line.
    return "FrontDoorContext[apiKey " + (apiKey == null ? "none" : "present") + ", authorizer "
        + (authorizerV1 == null && authorizerV2 == null ? "none" : "present") + "]";
  }
}

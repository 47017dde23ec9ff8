package dev.lambdaproxy.invoke.event;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;

/**
 * The event of an API Gateway REST API's Lambda proxy integration, payload format 1.0, as in the
 * examples of "Set up Lambda proxy integrations in API Gateway" (input format) and "Working with AWS
 * Lambda proxy integrations for HTTP APIs" (format 1.0).
 *
 * <p>What the proxy cannot know is left out rather than invented: {@code accountId}, {@code apiId},
 * {@code resourceId}, {@code extendedRequestId}; {@code authorizer} is there when the route's
 * authorizer let the request in. Absent maps are {@code null}, as API Gateway sends them.
 */
public final class ApiGatewayV1Event {

  /**
   * The caller fields AWS sends as null for a request without IAM or Cognito authorization (the
   * union of both documented 1.0 examples). They are true for the proxy too, and a handler that
   * indexes them ({@code identity['caller']} in Python) must not fail.
   */
  static final List<String> UNAUTHENTICATED_IDENTITY = List.of(
      "accessKey", "accountId", "apiKey", "caller", "cognitoAuthenticationProvider", "cognitoAuthenticationType",
      "cognitoIdentityId", "cognitoIdentityPoolId", "principalOrgId", "user", "userArn");

  private ApiGatewayV1Event() {}

  public static byte[] toJson(ClientRequestView request) {
    Grouped headers = Grouped.headers(request.headers(), false, null);
    Grouped query = Grouped.query(request.rawQuery());
    return EventJson.write(request, json -> {
      json.writeStringField("version", "1.0");
      // For a prefix route /api/* the pattern as written: it is what the operator configured.
      json.writeStringField("resource", request.routePattern());
      // REST APIs pass the path as received, percent-encoded; frameworks on Lambda decode it themselves.
      json.writeStringField("path", request.rawPath());
      json.writeStringField("httpMethod", request.method());
      writeLastValues(json, "headers", headers);
      writeAllValues(json, "multiValueHeaders", headers);
      writeLastValues(json, "queryStringParameters", query);
      writeAllValues(json, "multiValueQueryStringParameters", query);
      writeRequestContext(json, request, headers.get("user-agent"));
      EventJson.writeStrings(json, "pathParameters", request.pathParameters(), true);
      json.writeNullField("stageVariables");
      EventBody.write(json, request, true);
    });
  }

  /** The single-value map keeps the last value of a repeated name, as AWS's example shows ({@code multivalueName}). */
  private static void writeLastValues(JsonGenerator json, String field, Grouped grouped) throws IOException {
    if (grouped.isEmpty()) {
      json.writeNullField(field);
      return;
    }
    json.writeObjectFieldStart(field);
    for (Grouped.Group group : grouped.groups()) {
      json.writeStringField(group.name, group.last());
    }
    json.writeEndObject();
  }

  private static void writeAllValues(JsonGenerator json, String field, Grouped grouped) throws IOException {
    if (grouped.isEmpty()) {
      json.writeNullField(field);
      return;
    }
    json.writeObjectFieldStart(field);
    for (Grouped.Group group : grouped.groups()) {
      json.writeArrayFieldStart(group.name);
      for (String value : group.values) {
        json.writeString(value);
      }
      json.writeEndArray();
    }
    json.writeEndObject();
  }

  private static void writeRequestContext(JsonGenerator json, ClientRequestView request, Grouped.Group userAgent)
      throws IOException {
    json.writeObjectFieldStart("requestContext");
    json.writeStringField("domainName", request.domainName());
    json.writeStringField("domainPrefix", EventJson.domainPrefix(request.domainName()));
    json.writeStringField("httpMethod", request.method());
    json.writeObjectFieldStart("identity");
    FrontDoorContext frontDoor = request.frontDoor();
    for (String field : UNAUTHENTICATED_IDENTITY) {
      if (field.equals("apiKey") && frontDoor.apiKey() != null) {
        json.writeStringField(field, frontDoor.apiKey());
      } else {
        json.writeNullField(field);
      }
    }
    if (frontDoor.apiKeyId() != null) {
      json.writeStringField("apiKeyId", frontDoor.apiKeyId());
    }
    json.writeStringField("sourceIp", request.sourceIp());
    if (userAgent == null) {
      json.writeNullField("userAgent");
    } else {
      json.writeStringField("userAgent", userAgent.last());
    }
    json.writeEndObject();
    if (frontDoor.authorizerV1() != null) {
      json.writeFieldName("authorizer");
      json.writeTree(frontDoor.authorizerV1());
    }
    json.writeStringField("path", request.rawPath());
    json.writeStringField("protocol", request.protocol());
    json.writeStringField("requestId", request.requestId());
    json.writeStringField("requestTime", EventJson.requestTime(request.requestTimeEpochMillis()));
    json.writeNumberField("requestTimeEpoch", request.requestTimeEpochMillis());
    json.writeStringField("resourcePath", request.routePattern());
    // HTTP API's 1.0 example shows "$default"; REST stages have names, but the proxy has no stage.
    json.writeStringField("stage", EventJson.STAGE);
    json.writeEndObject();
  }
}

package dev.lambdaproxy.invoke.event;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * The event of an API Gateway HTTP API (payload format 2.0) or a Lambda function URL, as in the
 * examples of "Working with AWS Lambda proxy integrations for HTTP APIs" (format 2.0) and the Lambda
 * Developer Guide's "Request and response payloads" of function URLs.
 *
 * <p>Absent fields are left out, not null: {@code cookies}, {@code queryStringParameters},
 * {@code pathParameters}, {@code stageVariables}, {@code body}, and what the proxy cannot know
 * ({@code accountId}, {@code apiId}, {@code authentication}); {@code authorizer} is there when the
 * route's authorizer let the request in. Function URLs'
 * table allows either ("sets this to null or excludes this from the JSON"); HTTP APIs leave them out.
 */
public final class ApiGatewayV2Event {

  private ApiGatewayV2Event() {}

  public static byte[] toJson(ClientRequestView request) {
    // The Cookie header moves to "cookies" and is not among the headers.
    Grouped headers = Grouped.headers(request.headers(), true, "cookie");
    Grouped query = Grouped.query(request.rawQuery());
    // An HTTP API route key is "METHOD /path" or "ANY /path"; the view does not say whether the route
    // takes every method, so the request's method stands in, as a "METHOD /path" route would show.
    String routeKey = request.method() + " " + request.routePattern();
    return EventJson.write(request, json -> {
      json.writeStringField("version", "2.0");
      json.writeStringField("routeKey", routeKey);
      json.writeStringField("rawPath", request.rawPath());
      json.writeStringField("rawQueryString", request.rawQuery() == null ? "" : request.rawQuery());
      writeCookies(json, request);
      writeJoinedValues(json, "headers", headers, true);
      writeJoinedValues(json, "queryStringParameters", query, false);
      writeRequestContext(json, request, routeKey, headers.get("user-agent"));
      EventJson.writeStrings(json, "pathParameters", request.pathParameters(), false);
      EventBody.write(json, request, false);
    });
  }

  /** Every cookie of every Cookie header, one array element each, as {@code "name=value"}. */
  private static void writeCookies(JsonGenerator json, ClientRequestView request) throws IOException {
    boolean started = false;
    for (Header header : request.headers()) {
      if (!header.name().equalsIgnoreCase("cookie")) {
        continue;
      }
      String value = header.value();
      int start = 0;
      while (start <= value.length()) {
        int end = value.indexOf(';', start);
        if (end < 0) {
          end = value.length();
        }
        String cookie = value.substring(start, end).trim();
        if (!cookie.isEmpty()) {
          if (!started) {
            json.writeArrayFieldStart("cookies");
            started = true;
          }
          json.writeString(cookie);
        }
        start = end + 1;
      }
    }
    if (started) {
      json.writeEndArray();
    }
  }

  /** Repeated values joined with commas, as 2.0 has no multi-value maps. */
  private static void writeJoinedValues(JsonGenerator json, String field, Grouped grouped, boolean evenIfEmpty)
      throws IOException {
    if (grouped.isEmpty() && !evenIfEmpty) {
      return;
    }
    json.writeObjectFieldStart(field);
    for (Grouped.Group group : grouped.groups()) {
      json.writeStringField(group.name, group.joined());
    }
    json.writeEndObject();
  }

  private static void writeRequestContext(JsonGenerator json, ClientRequestView request, String routeKey,
      Grouped.Group userAgent) throws IOException {
    json.writeObjectFieldStart("requestContext");
    if (request.frontDoor().authorizerV2() != null) {
      json.writeFieldName("authorizer");
      json.writeTree(request.frontDoor().authorizerV2());
    }
    json.writeStringField("domainName", request.domainName());
    json.writeStringField("domainPrefix", EventJson.domainPrefix(request.domainName()));
    json.writeObjectFieldStart("http");
    json.writeStringField("method", request.method());
    // AWS's examples show http.path equal to rawPath; function URLs keep the percent-encoding.
    json.writeStringField("path", request.rawPath());
    json.writeStringField("protocol", request.protocol());
    json.writeStringField("sourceIp", request.sourceIp());
    if (userAgent != null) {
      json.writeStringField("userAgent", userAgent.joined());
    }
    json.writeEndObject();
    json.writeStringField("requestId", request.requestId());
    json.writeStringField("routeKey", routeKey);
    json.writeStringField("stage", EventJson.STAGE);
    json.writeStringField("time", EventJson.requestTime(request.requestTimeEpochMillis()));
    json.writeNumberField("timeEpoch", request.requestTimeEpochMillis());
    json.writeEndObject();
  }
}

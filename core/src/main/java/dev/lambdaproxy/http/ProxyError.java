package dev.lambdaproxy.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An answer the proxy makes itself because the function's could not be had: a status and a JSON
 * body whose {@code message} tells a person what to do. Every error the client sees is made by one
 * of the factories below, so the wording and statuses live in one place.
 *
 * @param kind a short name of what went wrong, for metrics and logs ({@code timeout}, {@code no_route}...)
 * @param status the HTTP status for the client
 * @param message what went wrong, for a person
 * @param fields more JSON fields (errorType...), in order
 * @param headers response headers that go with the status (Allow, Retry-After...)
 */
public record ProxyError(String kind, int status, String message, Map<String, String> fields, Map<String, String> headers) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public ProxyError {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(message, "message");
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields)); // keeps the JSON field order
    headers = Map.copyOf(headers);
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("status must be 4xx or 5xx, was " + status);
    }
  }

  static ProxyError of(String kind, int status, String message) {
    return new ProxyError(kind, status, message, Map.of(), Map.of());
  }

  public static ProxyError noRoute(String path) {
    return of("no_route", 404, "no route for " + path);
  }

  public static ProxyError methodNotAllowed(String method, String path, List<String> allowed) {
    String allow = String.join(", ", allowed);
    return new ProxyError("method_not_allowed", 405, "method " + method + " is not allowed for " + path + "; allowed: " + allow,
        Map.of(), Map.of("Allow", allow));
  }

  /** A request target that names no path: {@code OPTIONS *}, or {@code PRI *} sent as HTTP/1.1. */
  public static ProxyError targetNotAPath() {
    return of("target_not_a_path", 400, "the request target * is not a path; lambda-proxy answers paths such as /orders");
  }

  /** A request the server cannot read as one unambiguous HTTP request (bad framing, a bad header, an ambiguous path). */
  public static ProxyError badRequest(String reason) {
    return of("bad_request", 400, "bad request: " + reason);
  }

  public static ProxyError uriTooLong(int limit) {
    return of("uri_too_long", 414, "the request line is longer than the " + limit + " bytes allowed");
  }

  public static ProxyError headersTooLarge(int limit) {
    return of("headers_too_large", 431, "the request headers are larger than the " + limit + " bytes allowed");
  }

  public static ProxyError connectNotSupported() {
    return of("connect_not_supported", 400, "CONNECT is not supported: lambda-proxy is not a forward proxy");
  }

  public static ProxyError bodyTooLarge(long limit) {
    return of("body_too_large", 413, "request body is larger than the " + limit + " bytes allowed");
  }

  public static ProxyError bodyNotJson(String reason) {
    return of("body_not_json", 400, "request body must be JSON: " + reason);
  }

  public static ProxyError clientBodyFailed() {
    return of("client_body_failed", 400, "the request body could not be read");
  }

  public static ProxyError noCredentials(String why) {
    return of("no_credentials", 500, "no AWS credentials: " + why);
  }

  public static ProxyError functionError(int status, String errorType, String errorMessage) {
    Map<String, String> fields = new LinkedHashMap<>();
    if (errorType != null) {
      fields.put("errorType", errorType);
    }
    if (errorMessage != null) {
      fields.put("errorMessage", errorMessage);
    }
    return new ProxyError("function_error", status, "function error", fields, Map.of());
  }

  public static ProxyError functionNotFound(String function) {
    return of("function_not_found", 502, "function not found: " + function);
  }

  public static ProxyError throttled(String function, String retryAfter) {
    return new ProxyError("throttled", 429, "Lambda is throttling function " + function + "; retry later",
        Map.of(), retryAfter == null ? Map.of() : Map.of("Retry-After", retryAfter));
  }

  public static ProxyError lambdaPayloadTooLarge(String function) {
    return of("lambda_payload_too_large", 413, "Lambda refused the request to " + function + " as too large");
  }

  public static ProxyError rejectedByAws(String function, String errorType) {
    return new ProxyError("aws_rejected", 502, "AWS rejected the call to " + function + " (" + errorType
        + "): check the proxy's AWS credentials, their permission to invoke the function, and the region",
        Map.of("errorType", errorType), Map.of());
  }

  public static ProxyError lambdaApiError(String function, int status, String errorType) {
    String type = errorType == null ? "HTTP " + status : errorType;
    return new ProxyError("lambda_api_error", 502, "Lambda could not invoke " + function + " (" + type + ")",
        errorType == null ? Map.of() : Map.of("errorType", errorType), Map.of());
  }

  public static ProxyError timeout(String function, long millis) {
    return of("timeout", 504, "function " + function + " did not answer within " + millis + " ms");
  }

  /** The Lambda API could not be reached; its address goes to the log only (it may be an internal endpoint). */
  public static ProxyError unreachable(String function, String reason) {
    return of("unreachable", 502, "could not reach Lambda for function " + function + ": " + reason);
  }

  // An HTTP endpoint is named by its route: its URL may hold a secret, an internal host or an API id.

  public static ProxyError endpointTimeout(String route, long millis) {
    return of("timeout", 504, "the endpoint of route " + route + " did not answer within " + millis + " ms");
  }

  public static ProxyError endpointUnreachable(String route, String reason) {
    return of("unreachable", 502, "could not reach the endpoint of route " + route + ": " + reason);
  }

  public static ProxyError endpointResponseTooLarge(String route, long limit) {
    return of("response_too_large", 502, "the answer of the endpoint of route " + route + " is larger than the " + limit
        + " bytes allowed");
  }

  public static ProxyError responseTooLarge(String function, long limit) {
    return of("response_too_large", 502, "the answer of " + function + " is larger than the " + limit + " bytes allowed");
  }

  public static ProxyError functionHeadersTooLarge(String function, long bytes) {
    return of("headers_too_large", 502, "the answer of " + function + " has " + bytes + " bytes of headers, more than the "
        + ClientAnswer.MAX_FUNCTION_HEADER_BYTES + " bytes allowed");
  }

  /** A function or endpoint answered with an informational (1xx) status where a final one was due. */
  public static ProxyError informationalStatus(String function, int status) {
    return of("bad_status", 502, "the answer of " + function + " has status " + status
        + ", which is not a final HTTP status (200 to 599 expected)");
  }

  public static ProxyError badFunctionAnswer(String function, String reason) {
    return of("bad_answer", 502, "function " + function + " gave an answer the proxy cannot use: " + reason);
  }

  /** What API Gateway answers when a function fails or returns a malformed result: no detail for the client. */
  public static ProxyError apiGatewayInternalError(String kind, int status) {
    return of(kind, status, "Internal server error");
  }

  // The front door's own answers: API Gateway's bodies and x-amzn-ErrorType, word for word, so clients
  // written against API Gateway recognise them. The kind says which decision it was, for metrics and logs.

  /** A front-door refusal with API Gateway's body {@code {"message":...}} and its {@code x-amzn-ErrorType}. */
  public static ProxyError frontDoor(String kind, int status, String message, String errorType, Map<String, String> headers) {
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.put("x-amzn-ErrorType", errorType);
    return new ProxyError(kind, status, message, Map.of(), all);
  }

  /** No token, or one that is not valid: 401, as HTTP APIs' JWT authorizers answer it. */
  public static ProxyError unauthorized(String kind, String wwwAuthenticate) {
    return frontDoor(kind, 401, "Unauthorized", "UnauthorizedException",
        wwwAuthenticate == null ? Map.of() : Map.of("WWW-Authenticate", wwwAuthenticate));
  }

  /** Known but not allowed (a missing scope, a Deny policy, a missing or unknown API key): 403. */
  public static ProxyError forbidden(String kind) {
    return frontDoor(kind, 403, "Forbidden", "ForbiddenException", Map.of());
  }

  /** A route's or a usage plan's rate, or a route's bulkhead, is exceeded: 429. */
  public static ProxyError tooManyRequests(String kind) {
    return frontDoor(kind, 429, "Too Many Requests", "TooManyRequestsException", Map.of());
  }

  /** A usage plan's quota for the period is spent: 429. */
  public static ProxyError limitExceeded() {
    return frontDoor("quota_exceeded", 429, "Limit Exceeded", "LimitExceededException", Map.of());
  }

  /** An authorizer that failed, timed out or answered what cannot be read: 500, the details only in the log. */
  public static ProxyError authorizerFailed() {
    return frontDoor("authorizer_failed", 500, "Internal Server Error", "AuthorizerConfigurationException", Map.of());
  }

  public static ProxyError internal() {
    return of("internal", 500, "internal error in lambda-proxy; see its log");
  }

  public ClientAnswer toAnswer() {
    List<ClientAnswer.Header> answerHeaders = headers.entrySet().stream()
        .map(e -> new ClientAnswer.Header(e.getKey(), e.getValue()))
        .toList();
    return new ClientAnswer(status, answerHeaders, ClientAnswer.JSON, toJson(), kind);
  }

  /** The JSON body: {@code {"message":...}} and the extra fields. */
  public byte[] toJson() {
    ObjectNode node = JSON.createObjectNode();
    node.put("message", message);
    fields.forEach(node::put);
    try {
      return JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}

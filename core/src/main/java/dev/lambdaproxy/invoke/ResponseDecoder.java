package dev.lambdaproxy.invoke;

import dev.lambdaproxy.http.Base64Body;
import dev.lambdaproxy.http.ClientAnswer;
import dev.lambdaproxy.http.ProxyError;
import dev.lambdaproxy.http.Headers;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lambdaproxy.config.EventFormat;
import dev.lambdaproxy.invoke.event.ProxyResultDecoder;
import dev.lambdaproxy.route.FunctionTarget;
import dev.lambdaproxy.route.InvocationType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns the Invoke API's answer into the client's: a function's result becomes an HTTP response,
 * and an API or function error becomes a {@link ProxyError} with no AWS internals in it.
 */
public final class ResponseDecoder {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ResponseDecoder() {}

  /**
   * The client's answer, with a line for the proxy's log when something went wrong.
   *
   * @param answer what the client gets
   * @param logMessage what the operator should read, or null when all went well
   */
  public record Decoded(ClientAnswer answer, String logMessage) {}

  public static Decoded decode(LambdaResponse serverResponse, FunctionTarget route) {
    Decoded decoded = decodeUnchecked(serverResponse, route);
    long headerBytes = decoded.answer().headerBlockBytes();
    if (headerBytes > ClientAnswer.MAX_FUNCTION_HEADER_BYTES) {
      // Past the servers' response header buffers: Jetty would fail the write with an internal error.
      ProxyError error = ProxyError.functionHeadersTooLarge(route.display(), headerBytes);
      return new Decoded(error.toAnswer(), error.message());
    }
    return decoded;
  }

  private static Decoded decodeUnchecked(LambdaResponse serverResponse, FunctionTarget route) {
    String function = route.display();
    int status = serverResponse.status();
    // An asynchronous call is accepted with 202, a dry run with 204; neither has a result.
    if (status == 202 && route.invocation() == InvocationType.EVENT
        || status == 204 && route.invocation() == InvocationType.DRY_RUN) {
      return ok(new ClientAnswer(status, List.of(), null, new byte[0]));
    }
    if (status != 200) {
      return apiError(serverResponse, function);
    }
    if (serverResponse.functionError() != null) {
      return functionError(serverResponse, route);
    }
    return switch (route.event()) {
      case RAW -> rawResult(serverResponse.body(), route);
      case APIGW_V1 -> apiGatewayResult(serverResponse.body(), ProxyResultDecoder.Format.V1, function);
      case APIGW_V2 -> apiGatewayResult(serverResponse.body(), ProxyResultDecoder.Format.V2, function);
    };
  }

  /** Raw mode: a proxy-style object is honoured, a string unquoted, anything else passed on. */
  static Decoded rawResult(byte[] payload, FunctionTarget route) {
    byte[] unquoted = JsonStrings.unquote(payload);
    if (unquoted != null) {
      return ok(new ClientAnswer(200, List.of(), route.contentType(), unquoted));
    }
    switch (rawShape(payload)) {
      case NOT_JSON:
        // Custom runtimes may answer with bytes that are not JSON: pass them on untouched.
        return ok(new ClientAnswer(200, List.of(), "application/octet-stream", payload));
      case STRING: // one JsonStrings left to Jackson: trailing content, a lone surrogate, ...
      case PROXY_OBJECT:
        break;
      default: // empty, or JSON that is neither: passed on as it came
        return ok(new ClientAnswer(200, List.of(), ClientAnswer.JSON, payload));
    }
    JsonNode result;
    try {
      result = JSON.readTree(payload);
    } catch (IOException e) {
      // a string rawShape did not read to its end (JsonStrings refused it) that turns out broken
      return ok(new ClientAnswer(200, List.of(), "application/octet-stream", payload));
    }
    if (result.isTextual()) {
      return ok(new ClientAnswer(200, List.of(), route.contentType(), result.textValue().getBytes(StandardCharsets.UTF_8)));
    }
    return proxyObject(result, route.display());
  }

  private enum RawShape { NOT_JSON, OTHER_JSON, STRING, PROXY_OBJECT }

  /**
   * What a raw answer is, read with the streaming parser: a large JSON answer that is passed on as
   * it came (an array, an object without {@code statusCode}) is checked without building its tree,
   * which cost about ten times its size in garbage (bench/RESULTS.md). As {@code readTree} does,
   * only the first value counts.
   */
  private static RawShape rawShape(byte[] payload) {
    try (JsonParser parser = JSON.getFactory().createParser(payload)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return RawShape.OTHER_JSON;
      }
      if (first == JsonToken.VALUE_STRING) {
        return RawShape.STRING;
      }
      boolean statusCode = false;
      if (first == JsonToken.START_OBJECT) {
        for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
          boolean isStatusCode = "statusCode".equals(parser.currentName());
          JsonToken value = parser.nextToken();
          if (isStatusCode) {
            // the last one wins, as in the tree
            statusCode = value == JsonToken.VALUE_NUMBER_INT;
          }
          parser.skipChildren();
        }
      } else {
        parser.skipChildren();
      }
      return statusCode ? RawShape.PROXY_OBJECT : RawShape.OTHER_JSON;
    } catch (IOException e) {
      return RawShape.NOT_JSON;
    }
  }

  /** API Gateway modes: the format's rules, and API Gateway's bare 502 for a malformed result. */
  static Decoded apiGatewayResult(byte[] payload, ProxyResultDecoder.Format format, String function) {
    ProxyResultDecoder.Result result = ProxyResultDecoder.decode(payload, format);
    if (result.answer() != null) {
      return ok(result.answer());
    }
    return new Decoded(ProxyError.apiGatewayInternalError("bad_answer", 502).toAnswer(),
        "function " + function + " returned a malformed result: " + result.malformedReason());
  }

  /** An API Gateway-style result: {@code statusCode}, {@code headers}, {@code multiValueHeaders}, {@code body}. */
  static Decoded proxyObject(JsonNode result, String function) {
    int status = result.get("statusCode").asInt();
    if (!result.get("statusCode").canConvertToInt() || status < 200 || status > 599) {
      // 1xx is not a final status: sent as one, the client would wait for the answer that follows it.
      return bad(function, "statusCode " + result.get("statusCode") + " is not a final HTTP status (200 to 599)");
    }
    List<ClientAnswer.Header> headers = new ArrayList<>();
    String contentType = null;
    Set<String> multiValued = new HashSet<>();
    JsonNode multi = result.path("multiValueHeaders");
    if (multi.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = multi.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        multiValued.add(field.getKey().toLowerCase(Locale.ROOT));
        for (JsonNode value : field.getValue().isArray() ? field.getValue() : List.of(field.getValue())) {
          contentType = addHeader(headers, field.getKey(), value, contentType);
        }
      }
    }
    JsonNode single = result.path("headers");
    if (single.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = single.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        // multiValueHeaders win over headers for the same name, as in API Gateway.
        if (!multiValued.contains(field.getKey().toLowerCase(Locale.ROOT))) {
          contentType = addHeader(headers, field.getKey(), field.getValue(), contentType);
        }
      }
    }
    JsonNode body = result.path("body");
    byte[] bytes;
    if (body.isMissingNode() || body.isNull()) {
      bytes = new byte[0];
    } else if (body.isTextual()) {
      boolean base64 = result.path("isBase64Encoded").asBoolean(false);
      try {
        bytes = base64 ? Base64Body.decode(body.textValue()) : body.textValue().getBytes(StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return bad(function, "isBase64Encoded is true but the body is not base64");
      }
    } else {
      bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    }
    return ok(new ClientAnswer(status, headers, contentType == null ? ClientAnswer.JSON : contentType, bytes));
  }

  private static String addHeader(List<ClientAnswer.Header> headers, String name, JsonNode value, String contentType) {
    if (!value.isValueNode() || value.isNull()) {
      return contentType;
    }
    String text = value.asText();
    if (name.equalsIgnoreCase("content-type")) {
      return Headers.firstContentType(contentType, text);
    }
    if (Headers.isForwardableFromFunction(name, text)) {
      headers.add(new ClientAnswer.Header(name, text));
    }
    return contentType;
  }

  static Decoded functionError(LambdaResponse serverResponse, FunctionTarget route) {
    String function = route.display();
    String errorType = null;
    String errorMessage = null;
    try {
      JsonNode error = JSON.readTree(serverResponse.body());
      if (error != null && error.isObject()) {
        errorType = error.path("errorType").isTextual() ? error.get("errorType").textValue() : null;
        errorMessage = error.path("errorMessage").isTextual() ? error.get("errorMessage").textValue() : null;
      }
    } catch (IOException e) {
      // Not JSON: the client gets no detail, the log gets the bytes.
    }
    String log = "function " + function + " failed (" + serverResponse.functionError() + "), request id "
        + serverResponse.requestId() + ": " + new String(serverResponse.body(), StandardCharsets.UTF_8);
    // API Gateway tells its clients nothing of a function's error; raw mode names its type and message.
    ProxyError error = route.event() == EventFormat.RAW
        ? ProxyError.functionError(route.functionErrorStatus(), errorType, errorMessage)
        : ProxyError.apiGatewayInternalError("function_error", route.functionErrorStatus());
    return new Decoded(error.toAnswer(), log);
  }

  static Decoded apiError(LambdaResponse serverResponse, String function) {
    String errorType = errorType(serverResponse);
    ProxyError error = switch (serverResponse.status()) {
      case 429 -> ProxyError.throttled(function, serverResponse.retryAfter());
      case 413 -> ProxyError.lambdaPayloadTooLarge(function);
      case 404 -> "ResourceNotFoundException".equals(errorType) || errorType == null
          ? ProxyError.functionNotFound(function)
          : ProxyError.lambdaApiError(function, 404, errorType);
      case 401, 403 -> ProxyError.rejectedByAws(function, errorType == null ? "HTTP " + serverResponse.status() : errorType);
      default -> ProxyError.lambdaApiError(function, serverResponse.status(), errorType);
    };
    String log = "Lambda answered HTTP " + serverResponse.status() + " " + errorType + " for " + function
        + ", request id " + serverResponse.requestId() + ": " + message(serverResponse.body());
    return new Decoded(error.toAnswer(), log);
  }

  /** The error name of {@code x-amzn-ErrorType}, without the {@code :http://internal...} AWS appends. */
  static String errorType(LambdaResponse serverResponse) {
    String type = serverResponse.errorType();
    if (type == null) {
      try {
        JsonNode body = JSON.readTree(serverResponse.body());
        type = body != null && body.path("__type").isTextual() ? body.get("__type").textValue() : null;
      } catch (IOException e) {
        return null;
      }
    }
    if (type == null) {
      return null;
    }
    int colon = type.indexOf(':');
    int hash = type.lastIndexOf('#');
    String name = colon >= 0 ? type.substring(0, colon) : type;
    return hash >= 0 && hash < name.length() ? name.substring(hash + 1) : name;
  }

  /** AWS's own message, for the log only. */
  private static String message(byte[] body) {
    try {
      JsonNode node = JSON.readTree(body);
      if (node != null) {
        JsonNode message = node.has("message") ? node.get("message") : node.path("Message");
        if (message.isTextual()) {
          return message.textValue();
        }
      }
    } catch (IOException e) {
      // fall through
    }
    return "(no message)";
  }

  private static Decoded ok(ClientAnswer answer) {
    return new Decoded(answer, null);
  }

  private static Decoded bad(String function, String reason) {
    return new Decoded(ProxyError.badFunctionAnswer(function, reason).toAnswer(),
        "function " + function + " answered with a malformed result: " + reason);
  }
}

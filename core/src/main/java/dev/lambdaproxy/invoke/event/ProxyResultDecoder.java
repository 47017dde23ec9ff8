package dev.lambdaproxy.invoke.event;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.lambdaproxy.http.Base64Body;
import dev.lambdaproxy.http.ClientAnswer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * Turns a function's result into the client's answer by API Gateway's rules for the event's payload
 * format ("Working with AWS Lambda proxy integrations for HTTP APIs", Lambda function response
 * format; "Set up Lambda proxy integrations in API Gateway", output format; Lambda function URLs'
 * response payload).
 *
 * <p>A result AWS would answer with 502 "Malformed Lambda proxy response" is reported, not thrown.
 * The checks are as strict as the documents: {@code statusCode} is an integer (the Knowledge Center's
 * "malformed 502" article: "The statusCode is an integer"), so a numeric string such as {@code "200"}
 * is malformed even though some gateways tolerate it; {@code body} is a string; {@code isBase64Encoded}
 * a boolean.
 */
public final class ProxyResultDecoder {

  /** The payload format whose rules apply. */
  public enum Format { V1, V2 }

  /**
   * A decoded result: exactly one of the two is set.
   *
   * @param answer what the client gets, or null when the result is malformed
   * @param malformedReason what is wrong with the result, for the log, or null when it is fine
   */
  public record Result(ClientAnswer answer, String malformedReason) {

    public Result {
      if ((answer == null) == (malformedReason == null)) {
        throw new IllegalArgumentException("exactly one of answer and malformedReason must be set");
      }
    }

    static Result of(ClientAnswer answer) {
      return new Result(answer, null);
    }

    static Result malformed(String reason) {
      return new Result(null, reason);
    }

    public boolean isMalformed() {
      return answer == null;
    }
  }

  private static final ObjectReader JSON = new ObjectMapper().reader()
      .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final int DESCRIBE_LIMIT = 40;

  private ProxyResultDecoder() {}

  /** Decodes a function's result per the format's rules; a malformed result is reported, not thrown. */
  public static Result decode(byte[] payload, Format format) {
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(format, "format");
    JsonNode result;
    try {
      result = JSON.readTree(payload);
    } catch (IOException e) {
      return Result.malformed("the result is not JSON");
    }
    if (result == null || result.isMissingNode()) {
      return Result.malformed("the result is empty");
    }
    if (format == Format.V2 && !(result.isObject() && result.has("statusCode"))) {
      // 2.0 format inference: any JSON without statusCode is a 200 JSON body, sent as the function
      // wrote it; a string keeps its quotes (function URLs' example: the client sees "Hello, world!").
      return Result.of(new ClientAnswer(200, List.of(), ClientAnswer.JSON, payload));
    }
    if (!result.isObject()) {
      return Result.malformed("a payload format 1.0 result must be an object with statusCode, was " + describe(result));
    }
    return structured(result, format);
  }

  private static Result structured(JsonNode result, Format format) {
    JsonNode statusCode = result.get("statusCode");
    if (statusCode == null || !statusCode.canConvertToInt() || !statusCode.isIntegralNumber()
        || statusCode.intValue() < 200 || statusCode.intValue() > 599) {
      // 1xx is not a final status: sent as one, the client would wait for the answer that follows it.
      return Result.malformed("statusCode must be an integer from 200 to 599, was " + describe(statusCode));
    }
    FunctionHeaders headers = new FunctionHeaders();
    // 2.0 has no multiValueHeaders: HTTP APIs ignore them, repeated values go comma-joined in headers.
    String problem = format == Format.V1 ? headers.addMultiValued(result.get("multiValueHeaders")) : null;
    if (problem == null) {
      problem = headers.addSingleValued(result.get("headers"));
    }
    if (problem == null && format == Format.V2) {
      problem = headers.addCookies(result.get("cookies"));
    }
    if (problem != null) {
      return Result.malformed(problem);
    }
    JsonNode base64 = result.get("isBase64Encoded");
    if (base64 != null && !base64.isNull() && !base64.isBoolean()) {
      return Result.malformed("isBase64Encoded must be a boolean, was " + describe(base64));
    }
    JsonNode body = result.get("body");
    byte[] bytes;
    if (body == null || body.isNull()) {
      bytes = new byte[0];
    } else if (!body.isTextual()) {
      return Result.malformed("body must be a string, was " + describe(body));
    } else if (base64 != null && base64.booleanValue()) {
      try {
        bytes = Base64Body.decode(body.textValue());
      } catch (IllegalArgumentException e) {
        return Result.malformed("isBase64Encoded is true but the body is not base64");
      }
    } else {
      bytes = body.textValue().getBytes(StandardCharsets.UTF_8);
    }
    return Result.of(headers.answer(statusCode.intValue(), bytes));
  }

  /** A short rendering of a JSON value for a malformed reason. */
  static String describe(JsonNode node) {
    if (node == null) {
      return "missing";
    }
    String text = node.toString();
    return text.length() <= DESCRIBE_LIMIT ? text : text.substring(0, DESCRIBE_LIMIT) + "...";
  }
}

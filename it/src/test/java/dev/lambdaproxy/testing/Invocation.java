package dev.lambdaproxy.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One verified Invoke call as the function handler sees it.
 *
 * @param functionName the registered simple name, whatever form the caller used
 * @param qualifier the alias or version from the ARN suffix or {@code ?Qualifier=}; null when unqualified
 * @param accessKeyId the key that signed the call
 * @param payload the body bytes as received
 * @param payloadJson the body parsed as JSON; null when empty (or not JSON, if the fixture accepts that)
 * @param headers every received header
 * @param rawPath the request path as received, still percent-encoded
 * @param rawQuery the query as received, null when there was none
 */
public record Invocation(
    String functionName,
    String qualifier,
    String accessKeyId,
    byte[] payload,
    JsonNode payloadJson,
    Headers headers,
    String rawPath,
    String rawQuery) {

  public Invocation {
    Objects.requireNonNull(functionName, "functionName");
    Objects.requireNonNull(accessKeyId, "accessKeyId");
    payload = payload.clone();
    payloadJson = payloadJson == null ? null : payloadJson.deepCopy();
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(rawPath, "rawPath");
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  @Override
  public JsonNode payloadJson() {
    return payloadJson == null ? null : payloadJson.deepCopy();
  }

  public String payloadAsString() {
    return new String(payload, StandardCharsets.UTF_8);
  }

  /** The {@code X-Amz-*} headers (date, token, content hash, client context, invocation type...). */
  public Headers amzHeaders() {
    return headers.filter(name -> name.startsWith("x-amz-"));
  }

  /** The received value of {@code name}, or null; for one-line assertions. */
  public String header(String name) {
    return headers.first(name).orElse(null);
  }

  @Override
  public String toString() {
    return "Invocation[" + functionName + (qualifier == null ? "" : ":" + qualifier) + " by " + accessKeyId
        + ", " + payload.length + " bytes, " + rawPath + (rawQuery == null ? "" : "?" + rawQuery)
        + ", headers=" + headers + "]";
  }
}

package dev.lambdaproxy.testing;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One request that reached {@link FakeLambda}, accepted or not, exactly as received.
 *
 * @param rawPath the path as received, still percent-encoded
 * @param rawQuery the query as received, null when there was none
 */
public record ReceivedRequest(String method, String rawPath, String rawQuery, Headers headers, byte[] body,
    Outcome outcome) {

  public ReceivedRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(rawPath, "rawPath");
    Objects.requireNonNull(headers, "headers");
    body = body.clone();
    Objects.requireNonNull(outcome, "outcome");
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  public String bodyAsString() {
    return new String(body, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return method + " " + rawPath + (rawQuery == null ? "" : "?" + rawQuery) + " -> " + outcome;
  }
}

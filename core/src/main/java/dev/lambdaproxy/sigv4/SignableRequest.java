package dev.lambdaproxy.sigv4;

import java.util.List;
import java.util.Objects;

/**
 * What SigV4 signs of one request.
 *
 * @param method the HTTP method, as sent
 * @param path the request path exactly as on the request line (it may already hold {@code %XX}
 *     escapes); the canonical URI encodes it once more, as non-S3 services verify
 * @param rawQuery the query as sent, without the leading {@code '?'}; {@code null} becomes empty
 * @param headers every header to sign, Host included; the signer adds X-Amz-Date and
 *     X-Amz-Security-Token itself
 * @param payloadSha256Hex the lower-case hex SHA-256 of the body (see {@link PayloadHash})
 */
public record SignableRequest(
    String method, String path, String rawQuery, List<Header> headers, String payloadSha256Hex) {

  private static final int SHA256_HEX_LENGTH = 64;

  public SignableRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(payloadSha256Hex, "payloadSha256Hex");
    if (method.isBlank()) {
      throw new IllegalArgumentException("method is blank");
    }
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with '/': " + path);
    }
    if (path.indexOf('?') >= 0) {
      throw new IllegalArgumentException("path must not contain '?'; pass the query as rawQuery: " + path);
    }
    rawQuery = rawQuery == null ? "" : rawQuery;
    headers = List.copyOf(headers);
    if (!isLowerHex(payloadSha256Hex)) {
      throw new IllegalArgumentException(
          "payloadSha256Hex must be 64 lower-case hex digits: '" + payloadSha256Hex + "'");
    }
  }

  private static boolean isLowerHex(String s) {
    if (s.length() != SHA256_HEX_LENGTH) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }
}

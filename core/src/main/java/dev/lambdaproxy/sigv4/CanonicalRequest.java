package dev.lambdaproxy.sigv4;

/**
 * Step 1 of SigV4, the canonical request:
 * <pre>
 * HTTPMethod \n CanonicalURI \n CanonicalQueryString \n CanonicalHeaders \n SignedHeaders \n HashedPayload
 * </pre>
 *
 * @see <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#create-canonical-request">
 *     Create a canonical request</a>
 */
public final class CanonicalRequest {

  private CanonicalRequest() {
  }

  /**
   * The canonical request of {@code request} signed at {@code amzDate}, with the session token
   * {@code securityToken} (null for none).
   */
  public static String of(
      SignableRequest request, String amzDate, String securityToken, boolean normalizePath) {
    CanonicalHeaders headers = CanonicalHeaders.of(request.headers(), amzDate, securityToken);
    return appendTo(new Utf8Sink(512), request, headers, normalizePath).toString();
  }

  static Utf8Sink appendTo(
      Utf8Sink out, SignableRequest request, CanonicalHeaders headers, boolean normalizePath) {
    out.utf8(request.method()).ascii('\n');
    CanonicalUri.appendTo(out, request.path(), normalizePath).ascii('\n');
    CanonicalQueryString.appendTo(out, request.rawQuery()).ascii('\n');
    headers.appendCanonicalHeaders(out).ascii('\n');
    headers.appendSignedHeaders(out).ascii('\n');
    return out.utf8(request.payloadSha256Hex());
  }
}

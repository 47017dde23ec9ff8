package dev.lambdaproxy.testing;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.internal.signer.CredentialScope;
import software.amazon.awssdk.http.auth.aws.internal.signer.DefaultV4RequestSigner;
import software.amazon.awssdk.http.auth.aws.internal.signer.V4Properties;
import software.amazon.awssdk.http.auth.aws.internal.signer.V4RequestSigningResult;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The two ways this package signs with the AWS SDK v2, shared by the fixture (recomputing) and
 * {@link SdkSigning} (a well-behaved client).
 *
 * <p>{@link AwsV4HttpSigner} always adds and signs {@code x-amz-content-sha256} (its checksummer
 * runs for every non-anonymous identity, whatever PAYLOAD_SIGNING_ENABLED says), so it can only
 * reproduce requests that signed that header. Lambda does not require it, so for requests that
 * did not sign it the SDK's own request signer ({@link DefaultV4RequestSigner}, one layer below
 * {@link AwsV4HttpSigner}, internal API pinned by the SDK version in the pom) signs exactly the
 * headers it is given. Both use SDK code for the canonical request, string to sign and key.
 */
final class SdkV4 {

  static final String CONTENT_SHA256 = "x-amz-content-sha256";

  private SdkV4() {}

  /** What the SDK produced: the whole Authorization value and its parts. */
  record Signature(String authorization, String signedHeaders, String signature, SdkHttpRequest signedRequest) {}

  /**
   * A request builder for the SDK from raw parts: the path stays encoded as given, query
   * parameters are decoded here and re-encoded by the SDK, and no header is set.
   */
  static SdkHttpFullRequest.Builder request(String method, String protocol, String authority, String rawPath,
      String rawQuery) {
    SdkHttpFullRequest.Builder request = SdkHttpFullRequest.builder()
        .method(SdkHttpMethod.fromValue(method))
        .protocol(protocol)
        .encodedPath(rawPath == null || rawPath.isEmpty() ? "/" : rawPath);
    int colon = authority.lastIndexOf(':');
    if (colon > 0 && authority.indexOf(']', colon) < 0 && isPort(authority.substring(colon + 1))) {
      request.host(authority.substring(0, colon)).port(Integer.parseInt(authority.substring(colon + 1)));
    } else {
      request.host(authority);
    }
    for (Map.Entry<String, String> parameter : UriCodec.queryParameters(rawQuery)) {
      request.appendRawQueryParameter(parameter.getKey(), parameter.getValue());
    }
    return request;
  }

  /**
   * Signs with the public {@link AwsV4HttpSigner}: payload hashed (never UNSIGNED-PAYLOAD, which
   * only S3 accepts), no chunking, path double-encoded and not normalized, as Lambda expects.
   */
  static Signature signWithHttpSigner(SdkHttpFullRequest request, byte[] body, AwsCredentialsIdentity identity,
      String region, String service, Instant signingTime) {
    SignedRequest signed = AwsV4HttpSigner.create().sign(sign -> sign
        .identity(identity)
        .request(request)
        .payload(() -> new ByteArrayInputStream(body))
        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(signingTime, ZoneOffset.UTC))
        .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, true)
        .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true)
        .putProperty(AwsV4HttpSigner.CHUNK_ENCODING_ENABLED, false));
    String authorization = signed.request().firstMatchingHeader("Authorization")
        .orElseThrow(() -> new IllegalStateException("the SDK signer returned no Authorization header"));
    AuthorizationHeader parts = AuthorizationHeader.parse(authorization);
    return new Signature(authorization, parts.signedHeaders(), parts.signature(), signed.request());
  }

  /**
   * Signs every header already on {@code request}, adding none, with the SDK's request signer; the
   * payload hash is the SHA-256 of {@code body}.
   */
  static Signature signExactHeaders(SdkHttpFullRequest.Builder request, byte[] body, AwsCredentialsIdentity identity,
      String region, String service, Instant signingTime) {
    CredentialScope scope = new CredentialScope(region, service, signingTime);
    V4Properties properties = V4Properties.builder()
        .credentials(identity)
        .credentialScope(scope)
        .signingClock(Clock.fixed(signingTime, ZoneOffset.UTC))
        .doubleUrlEncode(true)
        .normalizePath(false)
        .build();
    V4RequestSigningResult result = new DefaultV4RequestSigner(properties, sha256Hex(body)).sign(request);
    String signedHeaders = result.getCanonicalRequest().getSignedHeadersString();
    String authorization = AuthorizationHeader.ALGORITHM + " Credential=" + scope.scope(identity)
        + ", SignedHeaders=" + signedHeaders + ", Signature=" + result.getSignature();
    return new Signature(authorization, signedHeaders, result.getSignature(), result.getSignedRequest().build());
  }

  static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static boolean isPort(String text) {
    return !text.isEmpty() && text.length() <= 5 && text.chars().allMatch(Character::isDigit);
  }
}

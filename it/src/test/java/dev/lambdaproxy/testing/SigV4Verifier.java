package dev.lambdaproxy.testing;

import static dev.lambdaproxy.testing.AwsErrors.INCOMPLETE_SIGNATURE;
import static dev.lambdaproxy.testing.AwsErrors.INVALID_SIGNATURE;
import static dev.lambdaproxy.testing.AwsErrors.INVALID_TOKEN_MESSAGE;
import static dev.lambdaproxy.testing.AwsErrors.MISSING_AUTHENTICATION_TOKEN;
import static dev.lambdaproxy.testing.AwsErrors.SIGNATURE_MISMATCH_MESSAGE;
import static dev.lambdaproxy.testing.AwsErrors.UNRECOGNIZED_CLIENT;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Checks a received request's SigV4 header signature the way AWS does, recomputing it with the AWS
 * SDK v2 ({@link SdkV4}) from exactly what arrived: method, raw path, query, the headers named in
 * SignedHeaders with their received values, and the body bytes.
 *
 * <p>Follows https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
 * and the error names and messages AWS answers with. The clock is injected.
 */
final class SigV4Verifier {

  /** How far X-Amz-Date may be from now, either way, before AWS refuses the request. */
  static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(15);

  static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private static final String SCOPE_TERMINATOR = "aws4_request";
  private static final String SECURITY_TOKEN = "x-amz-security-token";

  private final Map<String, Credential> credentialsByKeyId;
  private final String service;
  private final Clock clock;

  SigV4Verifier(Map<String, Credential> credentialsByKeyId, String service, Clock clock) {
    this.credentialsByKeyId = Map.copyOf(credentialsByKeyId);
    this.service = Objects.requireNonNull(service, "service");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The access key id that signed, or why AWS would refuse. */
  record Verification(String accessKeyId, Rejection rejection) {
    boolean valid() {
      return rejection == null;
    }
  }

  /**
   * Verifies a request.
   *
   * @param expectedRegion the region the credential scope must name: the function ARN's region,
   *     else the endpoint's
   */
  Verification verify(String method, String rawPath, String rawQuery, Headers headers, byte[] body,
      String expectedRegion) {
    List<String> authorizations = headers.all("Authorization");
    if (authorizations.isEmpty()) {
      return reject(MISSING_AUTHENTICATION_TOKEN, "Missing Authentication Token", "no Authorization header");
    }
    AuthorizationHeader authorization;
    try {
      authorization = AuthorizationHeader.parse(authorizations.get(0));
    } catch (IllegalArgumentException e) {
      return reject(INCOMPLETE_SIGNATURE, e.getMessage(), "unparseable Authorization header");
    }

    String amzDate = headers.first("X-Amz-Date").orElse(null);
    if (amzDate == null) {
      return reject(INCOMPLETE_SIGNATURE,
          "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
          "no X-Amz-Date header (this fixture does not accept Date instead)");
    }
    Instant signedAt;
    try {
      signedAt = Instant.from(AMZ_DATE.parse(amzDate));
    } catch (DateTimeParseException e) {
      return reject(INCOMPLETE_SIGNATURE, "Date must be in ISO-8601 'basic format'. Got '" + amzDate
          + "'. See http://en.wikipedia.org/wiki/ISO_8601", "X-Amz-Date is not yyyyMMdd'T'HHmmss'Z'");
    }

    if (!authorization.scopeTerminator().equals(SCOPE_TERMINATOR)) {
      return reject(INVALID_SIGNATURE, "Credential should be scoped with a valid terminator: 'aws4_request', not '"
          + authorization.scopeTerminator() + "'. ", "bad scope terminator");
    }
    if (!authorization.scopeService().equals(service)) {
      return reject(INVALID_SIGNATURE, "Credential should be scoped to correct service: '" + service + "'. ",
          "scope names service '" + authorization.scopeService() + "'");
    }
    if (!authorization.scopeRegion().equals(expectedRegion)) {
      return reject(INVALID_SIGNATURE, "Credential should be scoped to a valid region, not '"
          + authorization.scopeRegion() + "'. ", "expected region " + expectedRegion);
    }

    Instant now = clock.instant();
    if (signedAt.isBefore(now.minus(MAX_CLOCK_SKEW))) {
      return reject(INVALID_SIGNATURE, "Signature expired: " + amzDate + " is now earlier than "
          + AMZ_DATE.format(now.minus(MAX_CLOCK_SKEW)) + " (" + AMZ_DATE.format(now) + " - 15 min.)",
          "X-Amz-Date older than 15 minutes");
    }
    if (signedAt.isAfter(now.plus(MAX_CLOCK_SKEW))) {
      return reject(INVALID_SIGNATURE, "Signature not yet current: " + amzDate + " is still later than "
          + AMZ_DATE.format(now.plus(MAX_CLOCK_SKEW)) + " (" + AMZ_DATE.format(now) + " + 15 min.)",
          "X-Amz-Date more than 15 minutes ahead");
    }
    String dateOfAmzDate = amzDate.substring(0, 8);
    if (!authorization.scopeDate().equals(dateOfAmzDate)) {
      return reject(INVALID_SIGNATURE, "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of"
          + " date from HTTP: '" + authorization.scopeDate() + "' != '" + dateOfAmzDate + "', from '" + amzDate + "'.",
          "scope date differs from X-Amz-Date");
    }

    Credential credential = credentialsByKeyId.get(authorization.accessKeyId());
    if (credential == null) {
      return reject(UNRECOGNIZED_CLIENT, INVALID_TOKEN_MESSAGE,
          "unknown access key id " + authorization.accessKeyId());
    }
    List<String> signedHeaderNames = authorization.signedHeaderNames();
    Rejection tokenProblem = checkSessionToken(credential, headers, signedHeaderNames);
    if (tokenProblem != null) {
      return new Verification(null, tokenProblem);
    }
    if (!signedHeaderNames.contains("host")) {
      return reject(INVALID_SIGNATURE, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
          "SignedHeaders=" + authorization.signedHeaders());
    }

    // The SDK would add a missing Host, X-Amz-Date or x-amz-content-sha256 itself and so accept it.
    for (String name : signedHeaderNames) {
      if (!headers.contains(name)) {
        return reject(INVALID_SIGNATURE, SIGNATURE_MISMATCH_MESSAGE, "signed header '" + name + "' is absent");
      }
    }

    SdkV4.Signature expected;
    try {
      expected = recompute(method, rawPath, rawQuery, headers, signedHeaderNames, body, credential,
          authorization.scopeRegion(), signedAt);
    } catch (RuntimeException e) {
      return reject(INVALID_SIGNATURE, SIGNATURE_MISMATCH_MESSAGE,
          "the SDK could not sign what arrived (" + e.getClass().getSimpleName() + ")");
    }
    if (!expected.signedHeaders().equals(authorization.signedHeaders())) {
      return reject(INVALID_SIGNATURE, SIGNATURE_MISMATCH_MESSAGE, "client signed SignedHeaders="
          + authorization.signedHeaders() + " but the SDK signs SignedHeaders=" + expected.signedHeaders()
          + " for these headers (absent header, wrong order or case, or a header the SDK never signs:"
          + " connection, expect, user-agent, x-amzn-trace-id)");
    }
    if (!MessageDigest.isEqual(bytes(expected.signature()), bytes(authorization.signature()))) {
      return reject(INVALID_SIGNATURE, SIGNATURE_MISMATCH_MESSAGE,
          "signature differs from the SDK's over SignedHeaders=" + expected.signedHeaders());
    }
    return new Verification(credential.accessKeyId(), null);
  }

  /**
   * The SDK's signature for what arrived, signing exactly {@code signedHeaderNames} with their
   * received values (the Host header as received, all values of a repeated header).
   */
  static SdkV4.Signature recompute(String method, String rawPath, String rawQuery, Headers headers,
      List<String> signedHeaderNames, byte[] body, Credential credential, String region, String service,
      Instant signedAt) {
    String authority = headers.first("Host").orElse("");
    SdkHttpFullRequest.Builder request = SdkV4.request(method, "http", authority, rawPath, rawQuery);
    for (String name : signedHeaderNames) {
      // The SDK looks the host up as "Host"; any other spelling would make it add its own.
      String sdkName = name.equals("host") ? "Host" : name;
      for (String value : headers.all(name)) {
        request.appendHeader(sdkName, value);
      }
    }
    // A basic identity: the token, when signed, is already among the headers copied above.
    AwsCredentialsIdentity identity =
        AwsCredentialsIdentity.create(credential.accessKeyId(), credential.secretAccessKey());
    if (signedHeaderNames.contains(SdkV4.CONTENT_SHA256)) {
      return SdkV4.signWithHttpSigner(request.build(), body, identity, region, service, signedAt);
    }
    return SdkV4.signExactHeaders(request, body, identity, region, service, signedAt);
  }

  private SdkV4.Signature recompute(String method, String rawPath, String rawQuery, Headers headers,
      List<String> signedHeaderNames, byte[] body, Credential credential, String region, Instant signedAt) {
    return recompute(method, rawPath, rawQuery, headers, signedHeaderNames, body, credential, region, service,
        signedAt);
  }

  private static Rejection checkSessionToken(Credential credential, Headers headers, List<String> signedHeaderNames) {
    List<String> tokens = headers.all(SECURITY_TOKEN);
    String keyId = credential.accessKeyId();
    if (credential.sessionToken() == null) {
      return tokens.isEmpty() ? null : Rejection.auth(UNRECOGNIZED_CLIENT, INVALID_TOKEN_MESSAGE,
          "X-Amz-Security-Token sent with long-term key " + keyId);
    }
    if (tokens.size() != 1) {
      return Rejection.auth(UNRECOGNIZED_CLIENT, INVALID_TOKEN_MESSAGE,
          tokens.size() + " X-Amz-Security-Token headers for temporary key " + keyId + ", expected 1");
    }
    if (!MessageDigest.isEqual(bytes(tokens.get(0)), bytes(credential.sessionToken()))) {
      return Rejection.auth(UNRECOGNIZED_CLIENT, INVALID_TOKEN_MESSAGE,
          "X-Amz-Security-Token is not the token registered for " + keyId);
    }
    if (!signedHeaderNames.contains(SECURITY_TOKEN)) {
      return Rejection.auth(UNRECOGNIZED_CLIENT, INVALID_TOKEN_MESSAGE,
          "X-Amz-Security-Token of " + keyId + " is not among SignedHeaders");
    }
    return null;
  }

  private static Verification reject(String errorType, String message, String detail) {
    return new Verification(null, Rejection.auth(errorType, message, detail));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}

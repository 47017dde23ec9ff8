package dev.lambdaproxy.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.lambdaproxy.sigv4.Header;
import dev.lambdaproxy.sigv4.PayloadHash;
import dev.lambdaproxy.sigv4.SigV4Signer;
import dev.lambdaproxy.sigv4.SignableRequest;
import dev.lambdaproxy.sigv4.SigningKeyCache;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** What the AWS credential services answer, and a check of the SigV4 signature of a request STS received. */
final class Answers {

  private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final Set<String> ADDED_BY_SIGNER = Set.of("x-amz-date", "x-amz-security-token");

  private Answers() {}

  /** A container endpoint's (and IMDS's) credentials JSON. */
  static String credentialsJson(String accessKeyId, String secret, String token, Instant expiration) {
    return "{\"Code\":\"Success\",\"Type\":\"AWS-HMAC\",\"AccessKeyId\":\"" + accessKeyId + "\",\"SecretAccessKey\":\"" + secret
        + "\",\"Token\":\"" + token + "\",\"Expiration\":\"" + expiration.truncatedTo(ChronoUnit.SECONDS) + "\"}";
  }

  /** STS's answer to {@code action} (AssumeRole, AssumeRoleWithWebIdentity). */
  static String stsCredentials(String action, String accessKeyId, String secret, String token, Instant expiration) {
    return "<" + action + "Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
        + "  <" + action + "Result>\n"
        + "    <Credentials>\n"
        + "      <AccessKeyId>" + accessKeyId + "</AccessKeyId>\n"
        + "      <SecretAccessKey>" + secret + "</SecretAccessKey>\n"
        + "      <SessionToken>" + token + "</SessionToken>\n"
        + "      <Expiration>" + expiration.truncatedTo(ChronoUnit.SECONDS) + "</Expiration>\n"
        + "    </Credentials>\n"
        + "    <AssumedRoleUser>\n"
        + "      <AssumedRoleId>AROAEXAMPLE:lambda-proxy</AssumedRoleId>\n"
        + "      <Arn>arn:aws:sts::123456789012:assumed-role/target/lambda-proxy</Arn>\n"
        + "    </AssumedRoleUser>\n"
        + "  </" + action + "Result>\n"
        + "  <ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>\n"
        + "</" + action + "Response>\n";
  }

  static String stsError(String code, String message) {
    return "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
        + "  <Error><Type>Sender</Type><Code>" + code + "</Code><Message>" + message + "</Message></Error>\n"
        + "  <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c8</RequestId>\n"
        + "</ErrorResponse>\n";
  }

  /**
   * Recomputes the request's SigV4 signature with our own signer from what arrived (the headers
   * named in SignedHeaders, the body, the X-Amz-Date) and {@code credentials}; asserts the
   * Authorization header is exactly that. Returns the region of the credential scope.
   */
  static String assertSignedBy(StubServer.Received request, AwsCredentials credentials, String service) {
    String authorization = request.header("Authorization");
    assertNotNull(authorization, "the request is not signed");
    String credential = part(authorization, "Credential=");
    String[] scope = credential.split("/");
    assertEquals(credentials.accessKeyId(), scope[0], "signed with another access key");
    assertEquals(service, scope[3]);
    List<Header> headers = new ArrayList<>();
    for (String name : part(authorization, "SignedHeaders=").split(";")) {
      if (!ADDED_BY_SIGNER.contains(name)) {
        headers.add(new Header(name, request.header(name)));
      }
    }
    assertEquals(credentials.sessionToken(), request.header("X-Amz-Security-Token"));
    Instant signedAt = Instant.from(AMZ_DATE.parse(request.header("X-Amz-Date")));
    SigV4Signer signer = new SigV4Signer(Clock.fixed(signedAt, ZoneOffset.UTC), new SigningKeyCache());
    SignableRequest signable = new SignableRequest(request.method(), request.path(), request.query(), headers,
        PayloadHash.sha256Hex(request.body()));
    assertEquals(signer.sign(signable, credentials, scope[2], scope[3]).authorization(), authorization,
        "the signature does not verify");
    return scope[2];
  }

  private static String part(String authorization, String name) {
    int start = authorization.indexOf(name);
    assertFalse(start < 0, "no " + name + " in " + authorization);
    start += name.length();
    int end = authorization.indexOf(',', start);
    return (end < 0 ? authorization.substring(start) : authorization.substring(start, end)).strip();
  }
}

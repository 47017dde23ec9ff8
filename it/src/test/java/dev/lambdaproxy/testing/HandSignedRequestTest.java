package dev.lambdaproxy.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests signed by a few lines of JDK code written from AWS's SigV4 page, not by the SDK: the
 * fixture's two SDK paths must agree with it on what Lambda needs and the AWS suite lacks, a
 * percent-encoded path (FunctionName ARNs) that the canonical URI encodes a second time.
 */
class HandSignedRequestTest {

  private static final String KEY_ID = "AKIDEXAMPLE";
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  private static final byte[] PAYLOAD = "{\"n\":1}".getBytes(StandardCharsets.UTF_8);

  private static HttpClient client;
  private FakeLambda lambda;

  @BeforeAll
  static void startClient() throws Exception {
    client = new HttpClient();
    client.start();
  }

  @AfterAll
  static void stopClient() throws Exception {
    client.stop();
  }

  @BeforeEach
  void startLambda() {
    lambda = FakeLambda.builder().credentials(KEY_ID, SECRET).function("hello", Handlers.echo()).start();
  }

  @AfterEach
  void stopLambda() {
    lambda.close();
  }

  @Test
  void encodedArnPathSignedWithoutContentSha256IsAccepted() throws Exception {
    ContentResponse response = sendHandSigned("123456789012:function:hello:live", "", false, true);

    assertEquals(200, response.getStatus(), response::getContentAsString);
    assertEquals("live", lambda.lastInvocation().qualifier());
  }

  @Test
  void encodedArnPathSignedWithContentSha256IsAccepted() throws Exception {
    assertEquals(200, sendHandSigned("123456789012:function:hello", "", true, true).getStatus());
  }

  @Test
  void qualifierQueryIsInTheCanonicalQuery() throws Exception {
    assertEquals(200, sendHandSigned("hello", "Qualifier=live", false, true).getStatus());
    assertEquals("live", lambda.lastInvocation().qualifier());
  }

  @Test
  void pathEncodedOnlyOnceInTheCanonicalRequestIsRefused() throws Exception {
    // S3-style single encoding: valid SigV4 elsewhere, a mismatch for Lambda.
    ContentResponse response = sendHandSigned("123456789012:function:hello", "", false, false);

    assertEquals(403, response.getStatus());
    assertEquals(AwsErrors.INVALID_SIGNATURE, AwsErrors.errorName(response.getHeaders().get("x-amzn-ErrorType")));
  }

  private ContentResponse sendHandSigned(String functionName, String query, boolean signContentSha256,
      boolean doubleEncodePath) throws Exception {
    URI uri = URI.create(lambda.invokeUri(functionName) + (query.isEmpty() ? "" : "?" + query));
    Instant now = Instant.now();
    String amzDate = SigV4Verifier.AMZ_DATE.format(now);
    Map<String, String> signed = new TreeMap<>();
    signed.put("host", uri.getHost() + ":" + uri.getPort());
    signed.put("x-amz-date", amzDate);
    if (signContentSha256) {
      signed.put("x-amz-content-sha256", hex(sha256(PAYLOAD)));
    }
    String authorization = authorization("POST", uri.getRawPath(), query, signed, PAYLOAD, now, doubleEncodePath);

    Request request = client.newRequest(uri).method("POST").timeout(10, TimeUnit.SECONDS)
        .body(new BytesRequestContent(PAYLOAD))
        .headers(headers -> {
          signed.forEach(headers::put);
          headers.put("Authorization", authorization);
        });
    return request.send();
  }

  /** SigV4 per https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html. */
  private static String authorization(String method, String rawPath, String canonicalQuery,
      Map<String, String> signedHeaders, byte[] body, Instant now, boolean doubleEncodePath) throws Exception {
    String amzDate = SigV4Verifier.AMZ_DATE.format(now);
    String date = amzDate.substring(0, 8);
    String scope = date + "/us-east-1/lambda/aws4_request";
    StringBuilder canonicalHeaders = new StringBuilder();
    signedHeaders.forEach((name, value) -> canonicalHeaders.append(name).append(':').append(value).append('\n'));
    String signedHeaderNames = String.join(";", signedHeaders.keySet());
    String canonicalRequest = method + "\n"
        + (doubleEncodePath ? encodeKeepingSlashes(rawPath) : rawPath) + "\n"
        + canonicalQuery + "\n"
        + canonicalHeaders + "\n"
        + signedHeaderNames + "\n"
        + hex(sha256(body));
    String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
        + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
    byte[] key = hmac(("AWS4" + SECRET).getBytes(StandardCharsets.UTF_8), date);
    key = hmac(key, "us-east-1");
    key = hmac(key, "lambda");
    key = hmac(key, "aws4_request");
    return "AWS4-HMAC-SHA256 Credential=" + KEY_ID + "/" + scope + ", SignedHeaders=" + signedHeaderNames
        + ", Signature=" + hex(hmac(key, stringToSign));
  }

  private static String encodeKeepingSlashes(String path) {
    return Arrays.stream(path.split("/", -1)).map(UriCodec::encodeSegment).collect(Collectors.joining("/"));
  }

  private static byte[] sha256(byte[] bytes) throws GeneralSecurityException {
    return MessageDigest.getInstance("SHA-256").digest(bytes);
  }

  private static byte[] hmac(byte[] key, String data) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}

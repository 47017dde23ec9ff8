package dev.lambdaproxy.sigv4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lambdaproxy.credentials.AwsCredentials;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class SigV4SignerTest {

  private static final Instant NOW = Instant.parse("2015-08-30T12:36:00Z");
  private static final AwsCredentials CREDENTIALS =
      AwsCredentials.of("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  private static final String LAMBDA_PATH = "/2015-03-31/functions/"
      + "arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Ahello/invocations";
  private static final String BODY_SHA256 = PayloadHash.sha256Hex("{}".getBytes());

  private final SigV4Signer signer = new SigV4Signer(Clock.fixed(NOW, ZoneOffset.UTC), new SigningKeyCache());

  @Test
  void lambdaInvokeSignsTheArnPathEncodedOnceMore() {
    SignableRequest request = invoke(List.of(
        new Header("Host", "lambda.us-east-1.amazonaws.com"),
        new Header("Content-Type", "application/json"),
        new Header("X-Amz-Invocation-Type", "RequestResponse")));
    SigV4Result result = signer.sign(request, CREDENTIALS, "us-east-1", "lambda");

    String canonical = CanonicalRequest.of(request, result.amzDate(), null, false);
    assertEquals("POST\n"
        + "/2015-03-31/functions/arn%253Aaws%253Alambda%253Aus-east-1%253A123456789012%253Afunction%253Ahello/invocations\n"
        + "Qualifier=PROD\n"
        + "content-type:application/json\n"
        + "host:lambda.us-east-1.amazonaws.com\n"
        + "x-amz-date:20150830T123600Z\n"
        + "x-amz-invocation-type:RequestResponse\n"
        + "\n"
        + "content-type;host;x-amz-date;x-amz-invocation-type\n"
        + BODY_SHA256, canonical);
    assertEquals(expectedAuthorization(request, null, "us-east-1", "lambda"), result.authorization());
    assertEquals("20150830T123600Z", result.amzDate());
    assertNull(result.securityToken());
  }

  @Test
  void sessionTokenIsSignedAndReturnedForTheCaller() {
    AwsCredentials temporary = new AwsCredentials("ASIAEXAMPLE", "secret", "the-token");
    SignableRequest request = invoke(List.of(new Header("Host", "lambda.eu-west-1.amazonaws.com")));
    SigV4Result result = signer.sign(request, temporary, "eu-west-1", "lambda");
    assertEquals("the-token", result.securityToken());
    assertTrue(result.authorization().contains("SignedHeaders=host;x-amz-date;x-amz-security-token,"),
        result.authorization());
    assertEquals(expectedAuthorization(request, temporary, "eu-west-1", "lambda"), result.authorization());
  }

  @Test
  void callersOwnSignerHeadersAreIgnored() {
    List<Header> clean = List.of(new Header("Host", "h"));
    List<Header> polluted = List.of(new Header("Host", "h"), new Header("X-Amz-Date", "19990101T000000Z"),
        new Header("Authorization", "AWS4-HMAC-SHA256 old"), new Header("X-Amz-Security-Token", "old"));
    assertEquals(signer.sign(invoke(clean), CREDENTIALS, "us-east-1", "lambda"),
        signer.sign(invoke(polluted), CREDENTIALS, "us-east-1", "lambda"));
  }

  @Test
  void signingTimeComesFromTheInjectedClock() {
    MutableClock clock = new MutableClock(NOW);
    SigV4Signer timed = new SigV4Signer(clock, new SigningKeyCache());
    SignableRequest request = invoke(List.of(new Header("Host", "h")));
    SigV4Result first = timed.sign(request, CREDENTIALS, "us-east-1", "lambda");
    clock.now = Instant.parse("2015-08-31T00:00:01Z");
    SigV4Result second = timed.sign(request, CREDENTIALS, "us-east-1", "lambda");
    assertEquals("20150830T123600Z", first.amzDate());
    assertEquals("20150831T000001Z", second.amzDate());
    assertTrue(second.authorization().contains("/20150831/us-east-1/lambda/aws4_request"));
    assertNotEquals(first.authorization(), second.authorization());
  }

  @Test
  void normalizingSignerNormalizesThePathAndTheDefaultDoesNot() {
    SignableRequest request = new SignableRequest("GET", "/a/./b//c/../d", "", List.of(new Header("Host", "h")),
        PayloadHash.EMPTY_SHA256);
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    SigV4Result normalized = new SigV4Signer(clock, new SigningKeyCache(), true)
        .sign(request, CREDENTIALS, "us-east-1", "service");
    SigV4Result asSent = signer.sign(request, CREDENTIALS, "us-east-1", "service");
    SignableRequest clean = new SignableRequest("GET", "/a/b/d", "", request.headers(), PayloadHash.EMPTY_SHA256);
    assertEquals(signer.sign(clean, CREDENTIALS, "us-east-1", "service"), normalized);
    assertNotEquals(normalized, asSent);
  }

  @Test
  void concurrentSigningGivesTheSameResultsAsSequentialSigning() throws Exception {
    List<Callable<SigV4Result>> jobs = new ArrayList<>();
    List<SigV4Result> expected = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      SignableRequest request = new SignableRequest(i % 3 == 0 ? "GET" : "POST", "/p/" + i, "q=" + (i % 7),
          List.of(new Header("Host", "h" + (i % 5)), new Header("X-Value", " v  " + i + " ")),
          PayloadHash.sha256Hex(new byte[i]));
      String region = i % 2 == 0 ? "us-east-1" : "eu-central-1";
      expected.add(signer.sign(request, CREDENTIALS, region, "lambda"));
      jobs.add(() -> signer.sign(request, CREDENTIALS, region, "lambda"));
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<SigV4Result>> results = pool.invokeAll(jobs);
      for (int i = 0; i < results.size(); i++) {
        assertEquals(expected.get(i), results.get(i).get(), "request " + i);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void hugeRequestDoesNotDisturbTheNextOne() {
    SignableRequest small = invoke(List.of(new Header("Host", "h")));
    SigV4Result before = signer.sign(small, CREDENTIALS, "us-east-1", "lambda");
    SignableRequest huge = invoke(List.of(new Header("Host", "h"), new Header("X-Big", "é".repeat(200_000))));
    assertEquals(expectedAuthorization(huge, null, "us-east-1", "lambda"),
        signer.sign(huge, CREDENTIALS, "us-east-1", "lambda").authorization());
    assertEquals(before, signer.sign(small, CREDENTIALS, "us-east-1", "lambda"));
  }

  @Test
  void missingHostIsRejected() {
    SignableRequest request = invoke(List.of(new Header("Content-Type", "application/json")));
    assertThrows(IllegalArgumentException.class, () -> signer.sign(request, CREDENTIALS, "us-east-1", "lambda"));
  }

  static Stream<Arguments> nullArguments() {
    SignableRequest request = invoke(List.of(new Header("Host", "h")));
    return Stream.of(
        Arguments.of("request", null, CREDENTIALS, "us-east-1", "lambda"),
        Arguments.of("credentials", request, null, "us-east-1", "lambda"),
        Arguments.of("region", request, CREDENTIALS, null, "lambda"),
        Arguments.of("service", request, CREDENTIALS, "us-east-1", null));
  }

  @ParameterizedTest(name = "null {0} is rejected by name")
  @MethodSource("nullArguments")
  void nullArgumentsAreRejectedByName(
      String name, SignableRequest request, AwsCredentials credentials, String region, String service) {
    NullPointerException e = assertThrows(NullPointerException.class,
        () -> signer.sign(request, credentials, region, service));
    assertEquals(name, e.getMessage());
  }

  @ParameterizedTest(name = "{0} {1} ?{2} rejected: {4}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      GET  | relative/path | ""  | e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 | path
      GET  | /a?b=c        | ""  | e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 | path
      " "  | /             | ""  | e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 | method
      GET  | /             | ""  | E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855 | payloadSha256Hex
      GET  | /             | ""  | UNSIGNED-PAYLOAD                                                 | payloadSha256Hex
      """)
  void invalidRequestsAreRejectedNamingTheField(
      String method, String path, String query, String payload, String field) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new SignableRequest(method, path, query, List.of(), payload));
    assertTrue(e.getMessage().startsWith(field), e.getMessage());
  }

  @Test
  void nullQueryBecomesEmpty() {
    assertEquals("", new SignableRequest("GET", "/", null, List.of(), PayloadHash.EMPTY_SHA256).rawQuery());
  }

  @ParameterizedTest(name = "header name \"{0}\" is rejected")
  @CsvSource(quoteCharacter = '"', textBlock = """
      ""
      "Content Type"
      "Host:"
      "Näme"
      "X-A\t"
      """)
  void headerNamesMustBeHttpTokens(String name) {
    assertThrows(IllegalArgumentException.class, () -> new Header(name, "v"));
  }

  private static SignableRequest invoke(List<Header> headers) {
    return new SignableRequest("POST", LAMBDA_PATH, "Qualifier=PROD", headers, BODY_SHA256);
  }

  /** The Authorization header built from the public step classes, independently of the signer. */
  private static String expectedAuthorization(
      SignableRequest request, AwsCredentials credentials, String region, String service) {
    AwsCredentials signing = credentials == null ? CREDENTIALS : credentials;
    SigningTime time = SigningTime.of(NOW);
    CredentialScope scope = new CredentialScope(time.date(), region, service);
    String canonical = CanonicalRequest.of(request, time.amzDate(), signing.sessionToken(), false);
    String signature = SigningKey.derive(signing.secretAccessKey(), scope)
        .signature(StringToSign.of(time.amzDate(), scope, canonical));
    String signedHeaders = CanonicalHeaders.of(request.headers(), time.amzDate(), signing.sessionToken())
        .signedHeaders();
    assertFalse(signedHeaders.isEmpty());
    return "AWS4-HMAC-SHA256 Credential=" + signing.accessKeyId() + "/" + scope + ", SignedHeaders="
        + signedHeaders + ", Signature=" + signature;
  }

  private static final class MutableClock extends Clock {
    Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}

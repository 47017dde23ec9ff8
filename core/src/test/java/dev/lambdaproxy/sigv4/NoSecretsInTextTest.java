package dev.lambdaproxy.sigv4;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lambdaproxy.credentials.AwsCredentials;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** No toString or exception message of this package shows a secret key, token or signature. */
class NoSecretsInTextTest {

  private static final String SECRET = "SECRETwJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLE";
  private static final String TOKEN = "TOKENIQoJb3JpZ2luX2VjEXAMPLETOKEN";
  private static final AwsCredentials CREDENTIALS = new AwsCredentials("AKIDEXAMPLE", SECRET, TOKEN);
  private static final SigningKeyCache CACHE = new SigningKeyCache();
  private static final SigV4Signer SIGNER =
      new SigV4Signer(Clock.fixed(Instant.parse("2015-08-30T12:36:00Z"), ZoneOffset.UTC), CACHE);
  private static final SignableRequest REQUEST = new SignableRequest("GET", "/", "",
      List.of(new Header("Host", "example.amazonaws.com")), PayloadHash.EMPTY_SHA256);

  static Stream<Arguments> texts() {
    SigV4Result result = SIGNER.sign(REQUEST, CREDENTIALS, "us-east-1", "lambda");
    String signature = result.authorization().substring(result.authorization().lastIndexOf('=') + 1);
    return Stream.of(
        Arguments.of("SigV4Result", (Supplier<String>) result::toString, signature),
        Arguments.of("SigV4Signer", (Supplier<String>) SIGNER::toString, signature),
        Arguments.of("SigningKeyCache", (Supplier<String>) CACHE::toString, signature),
        Arguments.of("SigningKey", (Supplier<String>) () -> CACHE.get(SECRET, "20150830", "us-east-1", "lambda")
            .toString(), signature),
        Arguments.of("CanonicalHeaders",
            (Supplier<String>) () -> CanonicalHeaders.of(REQUEST.headers(), result.amzDate(), TOKEN).toString(),
            signature),
        Arguments.of("token Header", (Supplier<String>) () -> new Header("X-Amz-Security-Token", TOKEN).toString(),
            signature),
        Arguments.of("Authorization Header",
            (Supplier<String>) () -> new Header("Authorization", result.authorization()).toString(), signature),
        Arguments.of("SignableRequest with credential headers", (Supplier<String>) () -> new SignableRequest(
            "GET", "/", "", List.of(new Header("Authorization", result.authorization()),
                new Header("x-amz-security-token", TOKEN)), PayloadHash.EMPTY_SHA256).toString(), signature),
        Arguments.of("invalid region message", (Supplier<String>) () -> assertThrows(
            IllegalArgumentException.class, () -> CACHE.get(SECRET, "20150830", "bad/region", "lambda"))
            .getMessage(), signature),
        Arguments.of("invalid date message", (Supplier<String>) () -> assertThrows(
            IllegalArgumentException.class, () -> CACHE.get(SECRET, "2015-08-30", "us-east-1", "lambda"))
            .getMessage(), signature));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("texts")
  void textShowsNoSecretTokenOrSignature(String what, Supplier<String> text, String signature) {
    String shown = text.get();
    assertFalse(shown.contains(SECRET), () -> what + " shows the secret: " + shown);
    assertFalse(shown.contains(TOKEN), () -> what + " shows the token: " + shown);
    assertFalse(shown.contains(signature), () -> what + " shows the signature: " + shown);
  }

  @Test
  void resultToStringStillNamesTheCredentialAndSignedHeaders() {
    String shown = SIGNER.sign(REQUEST, CREDENTIALS, "us-east-1", "lambda").toString();
    assertTrue(shown.contains("Credential=AKIDEXAMPLE/20150830/us-east-1/lambda/aws4_request"), shown);
    assertTrue(shown.contains("SignedHeaders=host;x-amz-date;x-amz-security-token"), shown);
  }
}

package dev.lambdaproxy.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fixture's verifier, run on AWS's own signed requests (the SigV4 test suite in shared/), so
 * its SDK recomputation is checked against AWS and not only against the SDK signing the other end.
 * Most cases sign no x-amz-content-sha256 (the SDK request-signer path); the two form-urlencoded
 * ones do (the public AwsV4HttpSigner path).
 */
class SigV4VerifierVectorTest {

  private static final Path SUITE =
      Path.of(System.getProperty("lambda-proxy.sigv4-suite", "../shared/sigv4-test-suite"));
  private static final Instant SIGNED_AT = Instant.parse("2015-08-30T12:36:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The cases Lambda-style verification covers: no path normalization, no obsolete line folding. */
  static Stream<String> cases() throws IOException {
    Assumptions.assumeTrue(Files.isDirectory(SUITE),
        "AWS SigV4 test suite not found at " + SUITE.toAbsolutePath() + ": skipped (it lives in ../shared)");
    try (Stream<Path> folders = Files.list(SUITE)) {
      return folders.filter(folder -> Files.exists(folder.resolve("header-signed-request.txt")))
          .map(folder -> folder.getFileName().toString())
          .filter(name -> !name.equals("get-header-value-multiline"))
          .filter(name -> !needsNormalization(name))
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void awsSignedRequestIsAcceptedWithAwsSignature(String name) throws IOException {
    Vector vector = Vector.load(name);

    SigV4Verifier.Verification verification =
        vector.verify(vector.rawPath, vector.body, Clock.fixed(SIGNED_AT, ZoneOffset.UTC));

    if (name.equals("post-sts-header-after")) {
      // Its token is sent but not signed, which the fixture refuses for temporary keys.
      assertEquals(AwsErrors.UNRECOGNIZED_CLIENT, verification.rejection().errorType());
      return;
    }
    assertTrue(verification.valid(), () -> name + ": " + verification.rejection());
    assertEquals("AKIDEXAMPLE", verification.accessKeyId());
    String expected = Files.readString(SUITE.resolve(name).resolve("header-signature.txt")).strip();
    assertEquals(expected, vector.recompute().signature(), name + ": SDK recomputation differs from AWS's signature");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void awsSignedRequestWithAnotherPathIsRefused(String name) throws IOException {
    Vector vector = Vector.load(name);

    SigV4Verifier.Verification verification =
        vector.verify(vector.rawPath + "x", vector.body, Clock.fixed(SIGNED_AT, ZoneOffset.UTC));

    assertFalse(verification.valid());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void awsSignedRequestWithAnotherBodyIsRefused(String name) throws IOException {
    Vector vector = Vector.load(name);

    SigV4Verifier.Verification verification = vector.verify(vector.rawPath,
        "tampered".getBytes(StandardCharsets.UTF_8), Clock.fixed(SIGNED_AT, ZoneOffset.UTC));

    assertFalse(verification.valid());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void awsSignedRequestSixteenMinutesLaterIsExpired(String name) throws IOException {
    Vector vector = Vector.load(name);

    SigV4Verifier.Verification verification = vector.verify(vector.rawPath, vector.body,
        Clock.fixed(SIGNED_AT.plus(Duration.ofMinutes(16)), ZoneOffset.UTC));

    assertEquals(AwsErrors.INVALID_SIGNATURE, verification.rejection().errorType());
    assertTrue(verification.rejection().message().startsWith("Signature expired"));
  }

  private static boolean needsNormalization(String name) {
    if (!name.endsWith("-normalized")) {
      return false;
    }
    String path = requestLineTarget(read(name, "header-signed-request.txt").split("\n", 2)[0]);
    return path.contains("/.") || path.contains("//");
  }

  private static String read(String name, String file) {
    try {
      return Files.readString(SUITE.resolve(name).resolve(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String requestLineTarget(String requestLine) {
    return requestLine.substring(requestLine.indexOf(' ') + 1, requestLine.lastIndexOf(' '));
  }

  /** One case's signed request, split into what a server receives. */
  private static final class Vector {
    final String method;
    final String rawPath;
    final String rawQuery;
    final Headers headers;
    final byte[] body;
    final Credential credential;
    final String region;
    final String service;

    private Vector(String method, String rawPath, String rawQuery, Headers headers, byte[] body, Credential credential,
        String region, String service) {
      this.method = method;
      this.rawPath = rawPath;
      this.rawQuery = rawQuery;
      this.headers = headers;
      this.body = body;
      this.credential = credential;
      this.region = region;
      this.service = service;
    }

    static Vector load(String name) throws IOException {
      JsonNode context = JSON.readTree(read(name, "context.json"));
      JsonNode credentials = context.get("credentials");
      Credential credential = new Credential(credentials.get("access_key_id").asText(),
          credentials.get("secret_access_key").asText(),
          credentials.has("token") ? credentials.get("token").asText() : null);

      String[] headAndBody = read(name, "header-signed-request.txt").split("\n\n", 2);
      String[] lines = headAndBody[0].split("\n");
      String target = requestLineTarget(lines[0]);
      int question = target.indexOf('?');
      Headers.Builder headers = Headers.builder();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.add(lines[i].substring(0, colon), lines[i].substring(colon + 1));
      }
      byte[] body = headAndBody.length > 1 ? headAndBody[1].getBytes(StandardCharsets.UTF_8) : new byte[0];
      return new Vector(lines[0].substring(0, lines[0].indexOf(' ')),
          question < 0 ? target : target.substring(0, question),
          question < 0 ? null : target.substring(question + 1),
          headers.build(), body, credential, context.get("region").asText(), context.get("service").asText());
    }

    SigV4Verifier.Verification verify(String path, byte[] sentBody, Clock clock) {
      SigV4Verifier verifier = new SigV4Verifier(Map.of(credential.accessKeyId(), credential), service, clock);
      return verifier.verify(method, path, rawQuery, headers, sentBody, region);
    }

    SdkV4.Signature recompute() {
      AuthorizationHeader authorization = AuthorizationHeader.parse(headers.first("Authorization").orElseThrow());
      return SigV4Verifier.recompute(method, rawPath, rawQuery, headers, authorization.signedHeaderNames(), body,
          credential, region, service, SIGNED_AT);
    }
  }
}

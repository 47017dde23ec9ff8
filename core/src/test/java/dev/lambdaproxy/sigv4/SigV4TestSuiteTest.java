package dev.lambdaproxy.sigv4;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lambdaproxy.credentials.AwsCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * AWS's SigV4 test suite (aws-c-auth's {@code aws-signing-test-suite/v4}), one case per folder, the
 * canonical request, string to sign and signature checked as separate steps so a failure names
 * the step that broke; then the product path, {@link SigV4Signer#sign}, against the suite's
 * Authorization header.
 */
class SigV4TestSuiteTest {

  private static final String SUITE_PROPERTY = "lambda-proxy.sigv4-suite";
  private static final String SUITE_FALLBACK = "../shared/sigv4-test-suite";
  private static final int SUITE_CASES = 38;
  private static final String SUITE_MISSING = "(suite not found)";

  /**
   * Cases this runner does not apply, with the reason. Empty: every header-signing case applies.
   * (The suite's query-* files are presigned URLs, a mode our signer does not have; they are not
   * cases of their own.)
   */
  private static final Map<String, String> NOT_APPLIED = Map.of();
  private static final int MAX_NOT_APPLIED = 2;

  private static final ObjectMapper JSON = new ObjectMapper();

  static Stream<String> cases() {
    Path suite = suiteDirectory();
    if (!Files.isDirectory(suite)) {
      // A parameterized test without arguments fails; one placeholder lets it skip with a reason.
      return Stream.of(SUITE_MISSING);
    }
    try (Stream<Path> folders = Files.list(suite)) {
      return folders.filter(folder -> Files.isRegularFile(folder.resolve("request.txt")))
          .map(folder -> folder.getFileName().toString())
          .sorted()
          .toList()
          .stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void suiteIsPresentAndComplete() {
    Path suite = suiteDirectory();
    assumeTrue(Files.isDirectory(suite), "AWS SigV4 test suite not found at " + suite.toAbsolutePath()
        + " (set -D" + SUITE_PROPERTY + "); suite cases skipped");
    assertEquals(SUITE_CASES, cases().count(), "case folders in " + suite);
  }

  @Test
  void skipListIsSmallAndNamesRealCases() {
    assertTrue(NOT_APPLIED.size() <= MAX_NOT_APPLIED, "too many suite cases not applied: " + NOT_APPLIED);
    if (Files.isDirectory(suiteDirectory())) {
      List<String> names = cases().toList();
      assertTrue(names.size() - NOT_APPLIED.size() >= SUITE_CASES - MAX_NOT_APPLIED,
          "suite cases applied: " + (names.size() - NOT_APPLIED.size()));
      NOT_APPLIED.keySet().forEach(name -> assertTrue(names.contains(name), "no such case: " + name));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void signsLikeTheSuite(String name) throws IOException {
    assumeTrue(!name.equals(SUITE_MISSING), () -> "AWS SigV4 test suite not found at "
        + suiteDirectory().toAbsolutePath() + " (set -D" + SUITE_PROPERTY + ")");
    assumeTrue(!NOT_APPLIED.containsKey(name), () -> name + " not applied: " + NOT_APPLIED.get(name));
    SuiteCase suiteCase = SuiteCase.load(suiteDirectory().resolve(name));
    SigningTime time = SigningTime.of(suiteCase.timestamp);
    String signedToken = suiteCase.omitSessionToken ? null : suiteCase.credentials.sessionToken();
    CredentialScope scope = new CredentialScope(time.date(), suiteCase.region, suiteCase.service);

    String canonicalRequest =
        CanonicalRequest.of(suiteCase.request, time.amzDate(), signedToken, suiteCase.normalize);
    String stringToSign = StringToSign.of(time.amzDate(), scope, canonicalRequest);
    String signature = SigningKey.derive(suiteCase.credentials.secretAccessKey(), scope)
        .signature(stringToSign);

    assertAll(name,
        () -> assertEquals(suiteCase.expected("header-canonical-request.txt"), canonicalRequest,
            "step 1: canonical request"),
        () -> assertEquals(suiteCase.expected("header-string-to-sign.txt"), stringToSign,
            "step 2: string to sign"),
        () -> assertEquals(suiteCase.expected("header-signature.txt").trim(), signature,
            "step 3: signature"));

    AwsCredentials signingCredentials = suiteCase.omitSessionToken
        ? AwsCredentials.of(suiteCase.credentials.accessKeyId(), suiteCase.credentials.secretAccessKey())
        : suiteCase.credentials;
    SigV4Signer signer = new SigV4Signer(Clock.fixed(suiteCase.timestamp, ZoneOffset.UTC),
        new SigningKeyCache(), suiteCase.normalize);
    SigV4Result result =
        signer.sign(suiteCase.request, signingCredentials, suiteCase.region, suiteCase.service);

    Map<String, String> signedHeaders = suiteCase.signedRequestHeaders();
    assertAll(name + ": SigV4Signer.sign",
        () -> assertEquals(signedHeaders.get("authorization"), result.authorization(), "Authorization"),
        () -> assertEquals(signedHeaders.get("x-amz-date"), result.amzDate(), "X-Amz-Date"),
        () -> {
          if (signedToken == null) {
            assertNull(result.securityToken(), "X-Amz-Security-Token is not signed here");
          } else {
            assertEquals(signedHeaders.get("x-amz-security-token"), result.securityToken());
          }
        });
  }

  private static Path suiteDirectory() {
    String configured = System.getProperty(SUITE_PROPERTY);
    return Paths.get(configured != null && !configured.isBlank() ? configured : SUITE_FALLBACK);
  }

  /** One folder of the suite: request.txt and context.json parsed, expected files at hand. */
  private static final class SuiteCase {

    final Path folder;
    final SignableRequest request;
    final AwsCredentials credentials;
    final String region;
    final String service;
    final Instant timestamp;
    final boolean normalize;
    final boolean omitSessionToken;

    private SuiteCase(Path folder, SignableRequest request, AwsCredentials credentials,
        String region, String service, Instant timestamp, boolean normalize, boolean omitSessionToken) {
      this.folder = folder;
      this.request = request;
      this.credentials = credentials;
      this.region = region;
      this.service = service;
      this.timestamp = timestamp;
      this.normalize = normalize;
      this.omitSessionToken = omitSessionToken;
    }

    static SuiteCase load(Path folder) throws IOException {
      JsonNode context = JSON.readTree(folder.resolve("context.json").toFile());
      JsonNode credentials = context.get("credentials");
      AwsCredentials awsCredentials = new AwsCredentials(
          credentials.get("access_key_id").asText(),
          credentials.get("secret_access_key").asText(),
          credentials.hasNonNull("token") ? credentials.get("token").asText() : null);
      boolean signBody = context.path("sign_body").asBoolean(false);
      SignableRequest request = parseRequest(
          Files.readAllBytes(folder.resolve("request.txt")), signBody);
      return new SuiteCase(folder, request, awsCredentials,
          context.get("region").asText(), context.get("service").asText(),
          Instant.parse(context.get("timestamp").asText()),
          context.path("normalize").asBoolean(true),
          context.path("omit_session_token").asBoolean(false));
    }

    String expected(String file) throws IOException {
      return Files.readString(folder.resolve(file), StandardCharsets.UTF_8);
    }

    /** The X-Amz-* and Authorization headers of header-signed-request.txt, by lower-case name. */
    Map<String, String> signedRequestHeaders() throws IOException {
      Map<String, String> headers = new HashMap<>();
      String[] lines = expected("header-signed-request.txt").split("\r?\n");
      for (int i = 1; i < lines.length && !lines[i].isEmpty(); i++) {
        int colon = lines[i].indexOf(':');
        if (colon <= 0 || Character.isWhitespace(lines[i].charAt(0))) {
          continue;
        }
        headers.put(lines[i].substring(0, colon).toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1));
      }
      return headers;
    }

    /**
     * Parses a raw HTTP/1.1 request the way the suite means it: the target may hold spaces and raw
     * UTF-8, a line starting with whitespace continues the previous header's value (obs-fold), a
     * repeated header stays repeated, and the body follows the first empty line.
     */
    static SignableRequest parseRequest(byte[] raw, boolean signBody) {
      String text = new String(raw, StandardCharsets.UTF_8).replace("\r\n", "\n");
      int headEnd = text.indexOf("\n\n");
      String head = headEnd < 0 ? text : text.substring(0, headEnd);
      byte[] body = headEnd < 0 ? new byte[0]
          : text.substring(headEnd + 2).getBytes(StandardCharsets.UTF_8);
      String[] lines = head.split("\n");

      String requestLine = lines[0];
      String method = requestLine.substring(0, requestLine.indexOf(' '));
      String target = requestLine.substring(method.length() + 1, requestLine.lastIndexOf(' '));
      int question = target.indexOf('?');
      String path = question < 0 ? target : target.substring(0, question);
      String rawQuery = question < 0 ? "" : target.substring(question + 1);

      List<String[]> fields = new ArrayList<>();
      for (int i = 1; i < lines.length; i++) {
        String line = lines[i];
        if (line.isEmpty()) {
          continue;
        }
        if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
          String[] previous = fields.get(fields.size() - 1);
          previous[1] = previous[1] + " " + line;
        } else {
          int colon = line.indexOf(':');
          fields.add(new String[] {line.substring(0, colon), line.substring(colon + 1)});
        }
      }
      List<Header> headers = new ArrayList<>();
      fields.forEach(field -> headers.add(new Header(field[0], field[1])));
      String payloadHash = PayloadHash.sha256Hex(body);
      if (signBody) {
        headers.add(new Header("X-Amz-Content-Sha256", payloadHash));
      }
      return new SignableRequest(method, path, rawQuery, headers, payloadHash);
    }
  }
}

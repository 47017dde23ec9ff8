package dev.lambdaproxy.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No secret key, session token, authorization token, web identity token or external id shows in
 * a toString, a status, an exception message or the log, even at DEBUG (ours and the SDK's), over
 * every source and a failing renewal.
 */
class NoSecretsInCredentialsTextTest {

  static final String SDK_SIGNER_LOGGER = "software.amazon.awssdk.http.auth.aws.internal.signer";
  static final String SDK_CACHE_LOGGER = "software.amazon.awssdk.utils.cache";

  private static final String BASE_SECRET = "baseSECRETwJalrXUtnFEMIK7MDENG";
  private static final String EXTERNAL_ID = "externalID-bPxRfiCY";
  private static final String ASSUMED_SECRET = "assumedSECRETx7a9kq";
  private static final String ASSUMED_TOKEN = "assumedTOKENIQoJb3JpZ2luX2Vj";
  private static final String CONTAINER_AUTH = "containerAUTHtoken-42";
  private static final String CONTAINER_SECRET = "containerSECRETq1w2e3";
  private static final String CONTAINER_TOKEN = "containerTOKENr4t5y6";
  private static final String PROCESS_SECRET = "processSECRETu7i8o9";
  private static final String PROCESS_TOKEN = "processTOKENp0a1s2";
  private static final String WEB_TOKEN = "eyJwebIDENTITYjwt.payload.signature";
  private static final List<String> SECRETS = List.of(BASE_SECRET, EXTERNAL_ID, ASSUMED_SECRET, ASSUMED_TOKEN, CONTAINER_AUTH,
      CONTAINER_SECRET, CONTAINER_TOKEN, PROCESS_SECRET, PROCESS_TOKEN, WEB_TOKEN);

  @TempDir
  Path home;

  private final List<String> texts = new ArrayList<>();

  @Test
  void noSecretInAnyTextOrLogLine() throws Exception {
    // At DEBUG the SDK's signer logs each canonical request, session token included, and its
    // CachedSupplier logs a failed credential_process with the parser's message, which quotes the
    // output: a log configuration must keep those two loggers at INFO whatever else it turns up.
    try (LogCapture logs = LogCapture.start("dev.lambdaproxy.credentials", "software.amazon.awssdk")
        .atInfo(SDK_SIGNER_LOGGER).atInfo(SDK_CACHE_LOGGER)) {
      everything();
      texts.add(logs.text());
      assertTrue(logs.text().contains("DEBUG software.amazon.awssdk.request "), "the SDK logged at DEBUG");
    }
    assertTrue(texts.size() > 20);
    for (String text : texts) {
      for (String secret : SECRETS) {
        assertFalse(text.contains(secret), () -> "'" + secret + "' shows in: " + text);
      }
    }
  }

  private void everything() throws Exception {
    assumeRoles();
    containerWithFailingRenewal();
    credentialProcess();
    webIdentity();
  }

  private void assumeRoles() {
    try (StubServer sts = StubServer.start(request -> StubServer.Reply.xml(Answers.stsCredentials("AssumeRole", "ASIAROLE",
            ASSUMED_SECRET, ASSUMED_TOKEN, Instant.now().plus(1, ChronoUnit.HOURS))));
        CredentialsProviders providers = TestEnv.isolated(home).set("AWS_ACCESS_KEY_ID", "AKIDBASE")
            .set("AWS_SECRET_ACCESS_KEY", BASE_SECRET).set("AWS_ENDPOINT_URL_STS", sts.base())
            .providers(new CredentialSettings(null, "arn:aws:iam::123456789012:role/proxy", EXTERNAL_ID, null, null))) {
      record(providers.proxy().resolve());
      record(providers.forRole("arn:aws:iam::210987654321:role/other", EXTERNAL_ID).resolve());
      record(providers.proxy());
      record(providers.defaultChain());
      record(providers.forRole("arn:aws:iam::210987654321:role/other", EXTERNAL_ID));
      record(providers.status());
      record(providers);
      record(providers.proxy().resolve());
      sts.handler(request -> StubServer.Reply.xml(Answers.stsError("AccessDenied", "not authorized")).withStatus(403));
      record(assertThrows(CredentialsUnavailableException.class,
          () -> providers.forRole("arn:aws:iam::210987654321:role/third", EXTERNAL_ID).resolve()).getMessage());
    }
  }

  private void containerWithFailingRenewal() throws InterruptedException {
    MutableClock clock = new MutableClock();
    try (StubServer agent = StubServer.start(request -> StubServer.Reply.json(Answers.credentialsJson("ASIACONTAINER",
            CONTAINER_SECRET, CONTAINER_TOKEN, clock.instant().plus(20, ChronoUnit.MINUTES))));
        CredentialsProviders providers = TestEnv.isolated(home)
            .set("AWS_CONTAINER_CREDENTIALS_FULL_URI", agent.uri("/creds").toString())
            .set("AWS_CONTAINER_AUTHORIZATION_TOKEN", CONTAINER_AUTH).providers(CredentialSettings.none(), clock)) {
      record(providers.proxy().resolve());
      assertEquals(CONTAINER_AUTH, agent.received().get(0).header("Authorization"));
      agent.handler(request -> StubServer.Reply.json("{\"message\":\"" + CONTAINER_AUTH + " rejected\"}").withStatus(500));
      clock.advance(Duration.ofMinutes(10));
      providers.proxy().resolve();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (providers.status().problem() == null && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      record(providers.status());
      record(providers.proxy());
      clock.advance(Duration.ofMinutes(10));
      record(assertThrows(CredentialsUnavailableException.class, () -> providers.proxy().resolve()).getMessage());
      record(providers.status());
    }
  }

  private void credentialProcess() throws IOException {
    Path good = script("good.sh", "echo '{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", \"SecretAccessKey\": \"" + PROCESS_SECRET
        + "\", \"SessionToken\": \"" + PROCESS_TOKEN + "\"}'");
    // Broken JSON holding a secret: the parser's message must not carry it into ours.
    Path broken = script("broken.sh", "echo '{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", \"SecretAccessKey\": \"" + PROCESS_SECRET
        + "\", \"SessionToken\": '");
    // A JSON parser names the token it could not read: here the secret.
    Path unquoted = script("unquoted.sh", "echo '{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", \"SecretAccessKey\": " + PROCESS_SECRET
        + "}'");
    Files.createDirectories(home.resolve(".aws"));
    Files.writeString(home.resolve(".aws/config"), "[profile good]\ncredential_process = " + good
        + "\n[profile broken]\ncredential_process = " + broken + "\n[profile unquoted]\ncredential_process = " + unquoted + "\n");
    try (CredentialsProviders providers = TestEnv.isolated(home).providers(new CredentialSettings("good", null, null, null, null))) {
      record(providers.proxy().resolve());
      record(providers.proxy());
      record(providers.status());
    }
    for (String profile : List.of("broken", "unquoted")) {
      try (CredentialsProviders providers = TestEnv.isolated(home).providers(new CredentialSettings(profile, null, null, null, null))) {
        String message = assertThrows(CredentialsUnavailableException.class, () -> providers.proxy().resolve()).getMessage();
        assertTrue(message.contains("; profile '" + profile + "': Failed to refresh process-based credentials: not valid JSON;"),
            message);
        record(message);
        record(providers.status());
      }
    }
  }

  private void webIdentity() throws IOException {
    Path token = Files.writeString(home.resolve("token"), WEB_TOKEN);
    try (StubServer sts = StubServer.start(request -> StubServer.Reply.xml(Answers.stsError("InvalidIdentityToken",
            "token expired")).withStatus(400));
        CredentialsProviders providers = TestEnv.isolated(home).set("AWS_WEB_IDENTITY_TOKEN_FILE", token.toString())
            .set("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/irsa").set("AWS_ENDPOINT_URL_STS", sts.base())
            .providers(CredentialSettings.none())) {
      record(assertThrows(CredentialsUnavailableException.class, () -> providers.proxy().resolve()).getMessage());
      assertEquals(WEB_TOKEN, sts.received().get(0).form().get("WebIdentityToken"));
      record(providers.proxy());
    }
  }

  private void record(Object value) {
    texts.add(String.valueOf(value));
  }

  private Path script(String name, String line) throws IOException {
    Path script = Files.writeString(home.resolve(name), "#!/bin/sh\n" + line + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }
}

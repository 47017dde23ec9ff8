package dev.lambdaproxy.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default chain, source by source, each against real files, processes and local servers. */
class DefaultChainTest {

  private static final String ENV_SECRET = "envSECRETwJalrXUtnFEMIK7MDENG";
  private static final String FILE_SECRET = "fileSECRETbPxRfiCYEXAMPLEKEY";

  @TempDir
  Path home;

  @Test
  void keysInTheEnvironmentAreUsedAndTheSameObjectIsHandedOutEachTime() {
    TestEnv env = TestEnv.isolated(home).set("AWS_ACCESS_KEY_ID", "AKIDENV").set("AWS_SECRET_ACCESS_KEY", ENV_SECRET)
        .set("AWS_SESSION_TOKEN", "envTOKEN");
    try (CredentialsProviders providers = env.providers(CredentialSettings.none())) {
      AwsCredentials credentials = providers.proxy().resolve();
      assertEquals(new AwsCredentials("AKIDENV", ENV_SECRET, "envTOKEN"), credentials);
      assertSame(credentials, providers.proxy().resolve());
      CredentialsStatus status = providers.status();
      assertTrue(status.ready());
      assertEquals("environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", status.source());
      assertNull(status.expiration());
    }
  }

  @Test
  void systemPropertiesWinOverTheEnvironment() {
    TestEnv env = TestEnv.isolated(home).set("AWS_ACCESS_KEY_ID", "AKIDENV").set("AWS_SECRET_ACCESS_KEY", ENV_SECRET)
        .property("aws.accessKeyId", "AKIDPROP").property("aws.secretAccessKey", "propSECRET");
    try (CredentialsProviders providers = env.providers(CredentialSettings.none())) {
      assertEquals("AKIDPROP", providers.proxy().resolve().accessKeyId());
      assertEquals("system properties aws.accessKeyId and aws.secretAccessKey", providers.status().source());
    }
  }

  @Test
  void awsProfilePicksAProfileOfTheFilesNamedByTheEnvironment() throws IOException {
    Path credentials = Files.writeString(home.resolve("creds.ini"), """
        [default]
        aws_access_key_id = AKIDDEFAULT
        aws_secret_access_key = defaultSECRET
        [dev]
        aws_access_key_id = AKIDDEV
        aws_secret_access_key = %s
        aws_session_token = devTOKEN
        """.formatted(FILE_SECRET));
    Path config = Files.writeString(home.resolve("config.ini"), """
        [profile ops]
        aws_access_key_id = AKIDOPS
        aws_secret_access_key = opsSECRET
        """);
    TestEnv env = TestEnv.isolated(home).set("AWS_SHARED_CREDENTIALS_FILE", credentials.toString())
        .set("AWS_CONFIG_FILE", config.toString());
    try (CredentialsProviders providers = env.set("AWS_PROFILE", "dev").providers(CredentialSettings.none())) {
      assertEquals(new AwsCredentials("AKIDDEV", FILE_SECRET, "devTOKEN"), providers.proxy().resolve());
      assertTrue(providers.status().source().startsWith("profile 'dev' of " + credentials), providers.status().source());
    }
    try (CredentialsProviders providers = env.set("AWS_PROFILE", "ops").providers(CredentialSettings.none())) {
      assertEquals("AKIDOPS", providers.proxy().resolve().accessKeyId());
    }
  }

  @Test
  void theDefaultProfileIsReadFromTheHomeFolder() throws IOException {
    Files.createDirectories(home.resolve(".aws"));
    Files.writeString(home.resolve(".aws/credentials"), "[default]\naws_access_key_id = AKIDHOME\naws_secret_access_key = homeSECRET\n");
    try (CredentialsProviders providers = TestEnv.isolated(home).providers(CredentialSettings.none())) {
      assertEquals("AKIDHOME", providers.proxy().resolve().accessKeyId());
    }
  }

  @Test
  void theProfileSettingWinsOverAwsProfileWhileKeysInTheEnvironmentStillComeFirst() throws IOException {
    Files.createDirectories(home.resolve(".aws"));
    Files.writeString(home.resolve(".aws/config"), """
        [profile dev]
        aws_access_key_id = AKIDDEV
        aws_secret_access_key = devSECRET
        [profile prod]
        aws_access_key_id = AKIDPROD
        aws_secret_access_key = prodSECRET
        """);
    TestEnv env = TestEnv.isolated(home).set("AWS_PROFILE", "dev");
    try (CredentialsProviders providers = env.providers(new CredentialSettings("prod", null, null, null, null))) {
      assertEquals("AKIDPROD", providers.proxy().resolve().accessKeyId());
    }
    env.set("AWS_ACCESS_KEY_ID", "AKIDENV").set("AWS_SECRET_ACCESS_KEY", ENV_SECRET);
    try (CredentialsProviders providers = env.providers(new CredentialSettings("prod", null, null, null, null))) {
      assertEquals("AKIDENV", providers.proxy().resolve().accessKeyId());
    }
    env.set("AWS_ACCESS_KEY_ID", null);
    try (CredentialsProviders providers = env.providers(new CredentialSettings("missing", null, null, null, null))) {
      String message = assertThrows(CredentialsUnavailableException.class, () -> providers.proxy().resolve()).getMessage();
      assertTrue(message.contains("; profile 'missing': not in " + home.resolve(".aws/credentials") + " and "
          + home.resolve(".aws/config") + "; set AWS_PROFILE or the profile setting to one that is;"), message);
      assertTrue(message.contains("environment: AWS_ACCESS_KEY_ID not set;"), message);
    }
  }

  @Test
  void credentialProcessRunsTheCommandOfTheProfile() throws IOException {
    Instant expiration = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    Path script = Files.writeString(home.resolve("creds.sh"), """
        #!/bin/sh
        echo '{"Version": 1, "AccessKeyId": "AKIDPROC", "SecretAccessKey": "procSECRET", "SessionToken": "procTOKEN", "Expiration": "%s"}'
        """.formatted(expiration));
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    Files.createDirectories(home.resolve(".aws"));
    Files.writeString(home.resolve(".aws/config"), "[profile proc]\ncredential_process = " + script + "\n");
    try (CredentialsProviders providers = TestEnv.isolated(home).providers(new CredentialSettings("proc", null, null, null, null))) {
      assertEquals(new AwsCredentials("AKIDPROC", "procSECRET", "procTOKEN"), providers.proxy().resolve());
      assertEquals(expiration, providers.status().expiration());
    }
  }

  @Test
  void containerEndpointWithAnAuthorizationToken() {
    Instant expiration = Instant.now().plus(6, ChronoUnit.HOURS);
    try (StubServer agent = StubServer.start(request -> "Bearer pod-token".equals(request.header("Authorization"))
        ? StubServer.Reply.json(Answers.credentialsJson("ASIACONTAINER", "containerSECRET", "containerTOKEN", expiration))
        : StubServer.Reply.status(401));
        CredentialsProviders providers = TestEnv.isolated(home)
            .set("AWS_CONTAINER_CREDENTIALS_FULL_URI", agent.uri("/creds").toString())
            .set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer pod-token").providers(CredentialSettings.none())) {
      assertEquals(new AwsCredentials("ASIACONTAINER", "containerSECRET", "containerTOKEN"), providers.proxy().resolve());
      assertEquals("container endpoint " + agent.uri("/creds"), providers.status().source());
      assertEquals(expiration.truncatedTo(ChronoUnit.SECONDS), providers.status().expiration());
      assertEquals("GET /creds", agent.received().get(0).method() + " " + agent.received().get(0).path());
    }
  }

  @Test
  void containerTokenIsReadFromItsFileOnEachLoadAsEksPodIdentityRotatesIt() throws IOException {
    Path tokenFile = Files.writeString(home.resolve("eks-pod-identity-token"), "first-token\n");
    try (StubServer agent = StubServer.start(request -> StubServer.Reply.json(Answers.credentialsJson(
            "ASIA" + request.header("Authorization").toUpperCase().replace("-", ""), "podSECRET", "podTOKEN",
            Instant.now().plus(1, ChronoUnit.HOURS))))) {
      TestEnv env = TestEnv.isolated(home).set("AWS_CONTAINER_CREDENTIALS_FULL_URI", agent.uri("/v1/credentials").toString())
          .set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", tokenFile.toString());
      ContainerCredentialsSource source = new ContainerCredentialsSource(new AwsEnvironment(env.env(), new java.util.Properties()));
      assertEquals("ASIAFIRSTTOKEN", source.load().credentials().accessKeyId());
      Files.writeString(tokenFile, "second-token");
      assertEquals("ASIASECONDTOKEN", source.load().credentials().accessKeyId());
    }
  }

  @Test
  void containerRelativeUriGoesToTheContainerServiceEndpoint() {
    try (StubServer agent = StubServer.start(request -> StubServer.Reply.json(
            Answers.credentialsJson("ASIAECS", "ecsSECRET", "ecsTOKEN", Instant.now().plus(1, ChronoUnit.HOURS))));
        CredentialsProviders providers = TestEnv.isolated(home)
            .set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/task-1")
            .set("AWS_CONTAINER_SERVICE_ENDPOINT", agent.base()).providers(CredentialSettings.none())) {
      assertEquals("ASIAECS", providers.proxy().resolve().accessKeyId());
      assertEquals("/v2/credentials/task-1", agent.received().get(0).path());
      assertNull(agent.received().get(0).header("Authorization"));
    }
  }

  @Test
  void containerFullUriOverPlainHttpMustStayOnThisHost() {
    TestEnv env = TestEnv.isolated(home).set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://192.0.2.10/creds");
    try (CredentialsProviders providers = env.providers(CredentialSettings.none())) {
      String message = assertThrows(CredentialsUnavailableException.class, () -> providers.proxy().resolve()).getMessage();
      assertTrue(message.contains("container endpoint: AWS_CONTAINER_CREDENTIALS_FULL_URI 'http://192.0.2.10/creds' must be https,"
          + " or http to a loopback address or the ECS/EKS agent"), message);
    }
  }

  @Test
  void instanceMetadataIsReadWithAnImdsV2SessionToken() {
    Instant expiration = Instant.now().plus(6, ChronoUnit.HOURS);
    try (StubServer imds = StubServer.start(request -> {
          if (request.method().equals("PUT") && request.path().equals("/latest/api/token")) {
            return request.header("x-aws-ec2-metadata-token-ttl-seconds") == null ? StubServer.Reply.status(400)
                : StubServer.Reply.text("imds-session-token");
          }
          if (!"imds-session-token".equals(request.header("x-aws-ec2-metadata-token"))) {
            return StubServer.Reply.status(401);
          }
          return switch (request.path()) {
            case "/latest/meta-data/iam/security-credentials/" -> StubServer.Reply.text("proxy-role");
            case "/latest/meta-data/iam/security-credentials/proxy-role" -> StubServer.Reply.json(
                Answers.credentialsJson("ASIAIMDS", "imdsSECRET", "imdsTOKEN", expiration));
            default -> StubServer.Reply.status(404);
          };
        });
        CredentialsProviders providers = TestEnv.isolated(home).imds(imds.base()).providers(CredentialSettings.none())) {
      assertEquals(new AwsCredentials("ASIAIMDS", "imdsSECRET", "imdsTOKEN"), providers.proxy().resolve());
      assertEquals("EC2 instance metadata " + imds.base(), providers.status().source());
      List<String> calls = imds.received().stream().map(r -> r.method() + " " + r.path()).toList();
      assertEquals(List.of("PUT /latest/api/token", "GET /latest/meta-data/iam/security-credentials/",
          "GET /latest/meta-data/iam/security-credentials/proxy-role"), calls);
    }
  }

  @Test
  void webIdentityTokenIsExchangedWithStsForTheRole() throws IOException {
    Path token = Files.writeString(home.resolve("irsa-token"), "eyJhbGciOiJSUzI1NiJ9.web-identity-token");
    try (StubServer sts = StubServer.start(request -> StubServer.Reply.xml(Answers.stsCredentials("AssumeRoleWithWebIdentity",
            "ASIAWEB", "webSECRET", "webTOKEN", Instant.now().plus(1, ChronoUnit.HOURS))));
        CredentialsProviders providers = TestEnv.isolated(home)
            .set("AWS_WEB_IDENTITY_TOKEN_FILE", token.toString())
            .set("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/irsa")
            .set("AWS_ROLE_SESSION_NAME", "pod-session")
            .set("AWS_REGION", "eu-west-1")
            .set("AWS_ENDPOINT_URL_STS", sts.base()).providers(CredentialSettings.none())) {
      assertEquals(new AwsCredentials("ASIAWEB", "webSECRET", "webTOKEN"), providers.proxy().resolve());
      StubServer.Received call = sts.received().get(0);
      assertEquals("POST", call.method());
      assertEquals("AssumeRoleWithWebIdentity", call.form().get("Action"));
      assertEquals("arn:aws:iam::123456789012:role/irsa", call.form().get("RoleArn"));
      assertEquals("pod-session", call.form().get("RoleSessionName"));
      assertEquals("eyJhbGciOiJSUzI1NiJ9.web-identity-token", call.form().get("WebIdentityToken"));
      assertNull(call.header("Authorization"), "AssumeRoleWithWebIdentity is not signed: the token is the proof");
      assertEquals("web identity token " + token + " for role arn:aws:iam::123456789012:role/irsa", providers.status().source());
    }
  }

  @Test
  void earlierSourcesWinAndLaterOnesAreNotAsked() throws IOException {
    Files.createDirectories(home.resolve(".aws"));
    Files.writeString(home.resolve(".aws/credentials"), "[default]\naws_access_key_id = AKIDHOME\naws_secret_access_key = homeSECRET\n");
    try (StubServer agent = StubServer.start(request -> StubServer.Reply.status(500))) {
      TestEnv env = TestEnv.isolated(home).set("AWS_CONTAINER_CREDENTIALS_FULL_URI", agent.uri("/creds").toString());
      try (CredentialsProviders providers = env.set("AWS_ACCESS_KEY_ID", "AKIDENV").set("AWS_SECRET_ACCESS_KEY", ENV_SECRET)
          .providers(CredentialSettings.none())) {
        assertEquals("AKIDENV", providers.proxy().resolve().accessKeyId());
      }
      try (CredentialsProviders providers = env.set("AWS_ACCESS_KEY_ID", null).set("AWS_SECRET_ACCESS_KEY", null)
          .providers(CredentialSettings.none())) {
        assertEquals("AKIDHOME", providers.proxy().resolve().accessKeyId());
      }
      assertEquals(0, agent.count());
    }
  }

  @Test
  void withNothingToFindTheMessageSaysWhatWasTriedAndWhatToSet() throws IOException {
    try (StubServer imds = StubServer.start(request -> StubServer.Reply.status(404));
        CredentialsProviders providers = TestEnv.isolated(home).imds(imds.base()).providers(CredentialSettings.none())) {
      CredentialsUnavailableException e = assertThrows(CredentialsUnavailableException.class, () -> providers.proxy().resolve());
      String message = e.getMessage();
      assertTrue(message.startsWith("set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary"
          + " credentials), or AWS_PROFILE (or the profile setting) with a profile in " + home.resolve(".aws/credentials") + " and "
          + home.resolve(".aws/config") + ", or run with an IAM role (EKS, ECS or EC2); tried "), message);
      for (String tried : List.of(
          "environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY not set",
          "web identity: AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN not set",
          "profile 'default': no file at " + home.resolve(".aws/credentials"),
          "container endpoint: AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_CREDENTIALS_RELATIVE_URI not set",
          "EC2 instance metadata " + imds.base() + ": ")) {
        assertTrue(message.contains(tried), "'" + tried + "' missing from: " + message);
      }
      assertFalse(message.contains("\n"), message);
      assertFalse(message.contains("Exception"), message);
      assertEquals(0, e.getStackTrace().length, "the exception carries no stack trace");

      int asked = imds.count();
      assertTrue(asked > 0);
      assertEquals(message, assertThrows(CredentialsUnavailableException.class, () -> providers.proxy().resolve()).getMessage());
      CredentialsStatus status = providers.status();
      assertFalse(status.ready());
      assertEquals(message, status.problem());
      assertEquals(asked, imds.count(), "a failure is repeated for a moment without asking again");
    }
  }

  @Test
  void instanceMetadataCanBeTurnedOff() {
    try (CredentialsProviders providers = TestEnv.isolated(home).providers(CredentialSettings.none())) {
      String message = assertThrows(CredentialsUnavailableException.class, () -> providers.proxy().resolve()).getMessage();
      assertTrue(message.endsWith("EC2 instance metadata: turned off by AWS_EC2_METADATA_DISABLED"), message);
    }
  }

  @Test
  void aClosedPortIsReportedWithoutWaiting() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    long start = System.nanoTime();
    try (CredentialsProviders providers = TestEnv.isolated(home).imds("http://127.0.0.1:" + closedPort)
        .providers(CredentialSettings.none())) {
      String message = assertThrows(CredentialsUnavailableException.class, () -> providers.proxy().resolve()).getMessage();
      assertTrue(message.contains("EC2 instance metadata http://127.0.0.1:" + closedPort + ": "), message);
    }
    assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(5)) < 0);
  }
}

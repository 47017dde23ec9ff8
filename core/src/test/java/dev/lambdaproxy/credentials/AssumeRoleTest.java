package dev.lambdaproxy.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Roles assumed with STS AssumeRole: the role-arn setting and the per-route roles of forRole, against a local STS. */
class AssumeRoleTest {

  private static final String ROLE = "arn:aws:iam::123456789012:role/proxy";
  private static final String OTHER_ROLE = "arn:aws:iam::210987654321:role/cross-account";
  private static final AwsCredentials BASE = new AwsCredentials("AKIDBASE", "baseSECRETwJalrXUtnFEMI", null);

  @TempDir
  Path home;

  private final AtomicInteger issued = new AtomicInteger();
  private StubServer sts;

  @BeforeEach
  void startSts() {
    sts = StubServer.start(request -> {
      Map<String, String> form = request.form();
      int n = issued.incrementAndGet();
      String role = form.get("RoleArn");
      return StubServer.Reply.xml(Answers.stsCredentials("AssumeRole", "ASIA" + role.substring(role.lastIndexOf('/') + 1)
          .toUpperCase().replace("-", "") + n, "assumedSECRET" + n, "assumedTOKEN" + n, Instant.now().plus(1, ChronoUnit.HOURS)));
    });
  }

  @AfterEach
  void stopSts() {
    sts.close();
  }

  private TestEnv env() {
    return TestEnv.isolated(home).set("AWS_ACCESS_KEY_ID", BASE.accessKeyId()).set("AWS_SECRET_ACCESS_KEY", BASE.secretAccessKey())
        .set("AWS_ENDPOINT_URL_STS", sts.base());
  }

  @Test
  void theRoleArnSettingIsAssumedWithASignedAssumeRoleCarryingExternalIdAndSessionName() {
    CredentialSettings settings = new CredentialSettings(null, ROLE, "partner-42", "edge-proxy", "eu-west-1");
    try (CredentialsProviders providers = env().providers(settings)) {
      assertEquals(new AwsCredentials("ASIAPROXY1", "assumedSECRET1", "assumedTOKEN1"), providers.proxy().resolve());
      assertEquals(BASE, providers.defaultChain().resolve());

      StubServer.Received call = sts.received().get(0);
      assertEquals("POST", call.method());
      Map<String, String> form = call.form();
      assertEquals("AssumeRole", form.get("Action"));
      assertEquals("2011-06-15", form.get("Version"));
      assertEquals(ROLE, form.get("RoleArn"));
      assertEquals("partner-42", form.get("ExternalId"));
      assertEquals("edge-proxy", form.get("RoleSessionName"));
      assertEquals("eu-west-1", Answers.assertSignedBy(call, BASE, "sts"));

      CredentialsStatus status = providers.status();
      assertTrue(status.ready());
      assertEquals("role " + ROLE, status.source());
      assertTrue(status.expiration().isAfter(Instant.now()));
    }
  }

  @Test
  void sessionNameDefaultsToLambdaProxyAndRegionToUsEast1() {
    try (CredentialsProviders providers = env().providers(new CredentialSettings(null, ROLE, null, null, null))) {
      providers.proxy().resolve();
      Map<String, String> form = sts.received().get(0).form();
      assertEquals("lambda-proxy", form.get("RoleSessionName"));
      assertNull(form.get("ExternalId"));
      assertEquals("us-east-1", Answers.assertSignedBy(sts.received().get(0), BASE, "sts"));
    }
  }

  @Test
  void forRoleKeepsOneProviderPerRoleAllAssumedWithTheProxysCredentialsThroughOneStsClient() {
    try (CredentialsProviders providers = env().providers(CredentialSettings.none())) {
      AwsSdkCredentialsProvider crossAccount = providers.forRole(OTHER_ROLE);
      assertSame(crossAccount, providers.forRole(OTHER_ROLE));
      AwsSdkCredentialsProvider withExternalId = providers.forRole(OTHER_ROLE, "partner-7");
      assertNotSame(crossAccount, withExternalId);
      AwsSdkCredentialsProvider proxyRole = providers.forRole(ROLE);
      assertEquals(0, sts.count(), "making a provider asks nothing");

      AwsCredentials first = crossAccount.resolve();
      assertEquals("ASIACROSSACCOUNT1", first.accessKeyId());
      assertSame(first, crossAccount.resolve());
      assertEquals("ASIAPROXY2", proxyRole.resolve().accessKeyId());
      assertEquals("ASIACROSSACCOUNT3", withExternalId.resolve().accessKeyId());
      assertEquals(3, sts.count());
      for (StubServer.Received call : sts.received()) {
        Answers.assertSignedBy(call, BASE, "sts");
      }
      assertEquals(List.of("", "", "partner-7"),
          sts.received().stream().map(call -> call.form().getOrDefault("ExternalId", "")).toList());
    }
  }

  @Test
  void aRouteRoleIsAssumedWithTheRoleOfTheRoleArnSetting() {
    try (CredentialsProviders providers = env().providers(new CredentialSettings(null, ROLE, null, null, null))) {
      AwsCredentials routeRole = providers.forRole(OTHER_ROLE).resolve();
      assertEquals("ASIACROSSACCOUNT2", routeRole.accessKeyId());
      List<StubServer.Received> calls = sts.received();
      assertEquals(ROLE, calls.get(0).form().get("RoleArn"));
      Answers.assertSignedBy(calls.get(0), BASE, "sts");
      assertEquals(OTHER_ROLE, calls.get(1).form().get("RoleArn"));
      Answers.assertSignedBy(calls.get(1), providers.proxy().resolve(), "sts");
    }
  }

  @Test
  void stsRefusingSaysWhichRoleAndWhyWithoutSecrets() {
    sts.handler(request -> StubServer.Reply.xml(Answers.stsError("AccessDenied",
        "User: arn:aws:iam::123456789012:user/proxy is not authorized to perform: sts:AssumeRole on resource: " + ROLE))
        .withStatus(403));
    try (CredentialsProviders providers = env().providers(new CredentialSettings(null, ROLE, "partner-42", null, null))) {
      String message = assertThrows(CredentialsUnavailableException.class, () -> providers.proxy().resolve()).getMessage();
      assertTrue(message.startsWith("role " + ROLE + ": AssumeRole failed: User: arn:aws:iam::123456789012:user/proxy is not"
          + " authorized to perform: sts:AssumeRole on resource: " + ROLE), message);
      assertTrue(message.contains("Status Code: 403"), message);
      assertFalse(message.contains(BASE.secretAccessKey()), message);
      assertFalse(message.contains("partner-42"), message);
      assertFalse(providers.status().ready());
    }
  }

  @Test
  void withoutBaseCredentialsTheRoleSaysWhatIsMissing() {
    TestEnv env = TestEnv.isolated(home).set("AWS_ENDPOINT_URL_STS", sts.base());
    try (CredentialsProviders providers = env.providers(new CredentialSettings(null, ROLE, null, null, null))) {
      String message = assertThrows(CredentialsUnavailableException.class, () -> providers.proxy().resolve()).getMessage();
      assertTrue(message.startsWith("role " + ROLE + ": no credentials to assume it with: set AWS_ACCESS_KEY_ID and"
          + " AWS_SECRET_ACCESS_KEY"), message);
      assertEquals(0, sts.count());
    }
  }

  @Test
  void forRoleRefusesWhatIsNotARoleArn() {
    try (CredentialsProviders providers = env().providers(CredentialSettings.none())) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> providers.forRole("arn:aws:iam::123456789012:user/someone"));
      assertEquals("'arn:aws:iam::123456789012:user/someone' is not an IAM role ARN such as"
          + " arn:aws:iam::123456789012:role/name", e.getMessage());
    }
  }
}

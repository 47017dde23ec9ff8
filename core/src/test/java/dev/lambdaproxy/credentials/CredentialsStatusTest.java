package dev.lambdaproxy.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

class CredentialsStatusTest {

  @Test
  void anyProviderSaysWhetherItIsReadyAndIfNotWhy() {
    CredentialsStatus missing = new EnvironmentCredentialsProvider(Map.of(), new Properties()).status();
    assertFalse(missing.ready());
    assertTrue(missing.problem().contains("AWS_ACCESS_KEY_ID"), missing.problem());
    assertEquals("not ready: " + missing.problem(), missing.toString());

    CredentialsStatus ready = new EnvironmentCredentialsProvider(
        Map.of("AWS_ACCESS_KEY_ID", "AKID", "AWS_SECRET_ACCESS_KEY", "statusSECRET"), new Properties()).status();
    assertEquals(CredentialsStatus.ready("EnvironmentCredentialsProvider", null, null), ready);
    assertEquals("ready: credentials from EnvironmentCredentialsProvider", ready.toString());
  }

  @Test
  void readyWithAnExpirationAndAFailingRenewalSaysBoth() {
    CredentialsStatus status = CredentialsStatus.ready("container endpoint http://127.0.0.1:1/creds",
        Instant.parse("2030-01-01T00:00:00Z"), "renewing them failed 1 time");
    assertEquals("ready: credentials from container endpoint http://127.0.0.1:1/creds, expiring 2030-01-01T00:00:00Z;"
        + " renewing them failed 1 time", status.toString());
  }

  @Test
  void anySdkProviderCanBeCachedAndRenewed() {
    Instant expiration = Instant.now().plusSeconds(3600);
    AwsSessionCredentials sdk = AwsSessionCredentials.builder().accessKeyId("ASIASDK").secretAccessKey("sdkSECRET")
        .sessionToken("sdkTOKEN").expirationTime(expiration).build();
    try (AwsSdkCredentialsProvider provider = AwsSdkCredentialsProvider.of("static SDK provider", StaticCredentialsProvider.create(sdk))) {
      AwsCredentials credentials = provider.resolve();
      assertEquals(new AwsCredentials("ASIASDK", "sdkSECRET", "sdkTOKEN"), credentials);
      assertSame(credentials, provider.resolve());
      assertEquals(CredentialsStatus.ready("static SDK provider", expiration, null), provider.status());
      assertEquals("static SDK provider", provider.sourceName());
    }
  }
}

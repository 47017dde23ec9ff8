package dev.lambdaproxy.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lambdaproxy.config.ConfigException;
import dev.lambdaproxy.credentials.AwsCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the front door's settings and the routes meet: a configuration that could never work stops the start. */
class FrontDoorConfigTest {

  @TempDir
  Path conf;

  private ProxyConfig load(String routes, String settings) throws Exception {
    Files.writeString(conf.resolve("routes.properties"), routes);
    Files.writeString(conf.resolve("lambda-proxy.properties"), settings);
    return ProxyConfig.load(ConfSource.directory(conf), Map.of("AWS_REGION", "us-east-1", "KEY", "k".repeat(24)),
        () -> AwsCredentials.of("AKIDCONFIG", "config/SECRET"), Clock.systemUTC());
  }

  @Test
  void aRouteRequiringAnApiKeyWhenNoneIsDefinedStopsTheStartNamingItsLine() {
    ConfigException e = assertThrows(ConfigException.class, () -> load("/open = fn\n/keyed = fn ; require-api-key=true\n", ""));
    assertEquals("routes.properties:2: require-api-key=true, but no API key is defined: add api-key.NAME.value = ${VARIABLE}"
        + " and api-key.NAME.plan = PLAN to lambda-proxy.properties", e.getMessage());
  }

  @Test
  void theFrontDoorsSettingsAreLoadedBesideTheRoutes() throws Exception {
    ProxyConfig config = load("/keyed = fn ; require-api-key=true\n", """
        cors.allow-origins = https://app.example.com
        tracing.sample-rate = 1
        usage-plan.basic.quota = 100/DAY
        api-key.mobile.value = ${KEY}
        api-key.mobile.plan = basic
        """);
    assertTrue(config.cors().enabled());
    assertEquals(1.0, config.tracing().sampleRate());
    assertEquals("mobile", config.apiKeys().find("k".repeat(24)).name());
    assertEquals(config.cors(), config.withRoles(arn -> null).cors(), "kept when roles are added");
    assertEquals(config.apiKeys(), config.withRoles(arn -> null).apiKeys());
  }

  @Test
  void aPlanThatDoesNotExistStopsTheStart() {
    ConfigException e = assertThrows(ConfigException.class, () -> load("/keyed = fn ; require-api-key=true\n", """
        api-key.mobile.value = ${KEY}
        api-key.mobile.plan = gold
        """));
    assertTrue(e.getMessage().startsWith("lambda-proxy.properties:2: 'api-key.mobile.plan': no usage plan 'gold' is defined"),
        e.getMessage());
  }
}

package dev.lambdaproxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Command line over environment over settings file over default, for every setting. */
class PrecedenceTest {

  private static ConfigValues values(String file, Map<String, String> env, Map<String, String> cli) throws IOException {
    return ConfigValues.load(Settings.FILE_NAME, file == null ? null : new StringReader(file), env, cli, Settings.allKeys());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      "default only|-|-|-|3000",
      "file over default|1000|-|-|1000",
      "environment over file|1000|2000|-|2000",
      "command line over environment|1000|2000|4000|4000",
      "command line over file|1000|-|4000|4000",
  })
  void theFirstSourceThatGivesASettingWins(String name, String file, String env, String cli, long expectedMillis) throws IOException {
    ConfigValues values = values(file == null ? null : "timeout-ms = " + file + "\n",
        env == null ? Map.of() : Map.of("LAMBDA_PROXY_TIMEOUT_MS", env),
        cli == null ? Map.of() : Map.of("timeout-ms", cli));
    assertEquals(Duration.ofMillis(expectedMillis), Settings.from(values).timeout());
  }

  @Test
  void theRegionFollowsTheAwsToolsOrderBelowOurOwnVariableAndFlag() throws IOException {
    String file = "region = eu-west-1\n";
    assertEquals("eu-west-1", Settings.from(values(file, Map.of(), Map.of())).region());
    assertEquals("ap-south-1", Settings.from(values(file, Map.of("AWS_DEFAULT_REGION", "ap-south-1"), Map.of())).region());
    assertEquals("us-west-2", Settings.from(values(file, Map.of("AWS_DEFAULT_REGION", "ap-south-1", "AWS_REGION", "us-west-2"), Map.of())).region());
    assertEquals("eu-north-1", Settings.from(values(file, Map.of("AWS_REGION", "us-west-2", "LAMBDA_PROXY_REGION", "eu-north-1"), Map.of())).region());
    assertEquals("sa-east-1", Settings.from(values(file, Map.of("LAMBDA_PROXY_REGION", "eu-north-1"), Map.of("region", "sa-east-1"))).region());
  }

  @Test
  void serverOptionsFollowTheSameOrder() throws IOException {
    ConfigValues values = values("port = 9000\nadmin-port = 9100\nlog-format = json\n",
        Map.of("LAMBDA_PROXY_PORT", "9001", "LAMBDA_PROXY_ADMIN_PORT", "off"), Map.of("port", "9002"));
    ServerOptions options = ServerOptions.from(values);
    assertEquals(9002, options.port());
    assertEquals(-1, options.adminPort());
    assertEquals(ServerOptions.LogFormat.JSON, options.logFormat());
    assertEquals("127.0.0.1", options.adminHost(), "the admin port is loopback unless said otherwise");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "flag|--timeout-ms: 'timeout-ms': 'soon' is not a whole number",
      "environment|environment LAMBDA_PROXY_TIMEOUT_MS: 'timeout-ms': 'soon' is not a whole number",
      "file|lambda-proxy.properties:1: 'timeout-ms': 'soon' is not a whole number",
  })
  void aBadValueNamesWhereItCameFrom(String source, String expected) {
    ConfigException error = assertThrows(ConfigException.class, () -> Settings.from(values(
        source.equals("file") ? "timeout-ms = soon\n" : null,
        source.equals("environment") ? Map.of("LAMBDA_PROXY_TIMEOUT_MS", "soon") : Map.of(),
        source.equals("flag") ? Map.of("timeout-ms", "soon") : Map.of())));
    assertEquals(expected, error.getMessage());
  }

  @Test
  void anUnknownFlagIsRefusedWithASuggestion() {
    ConfigException error = assertThrows(ConfigException.class, () -> values(null, Map.of(), Map.of("timeot-ms", "5")));
    assertTrue(error.getMessage().startsWith("unknown option '--timeot-ms' (did you mean 'timeout-ms'?)"), error.getMessage());
  }

  @Test
  void halfATlsSetupIsRefused() {
    ConfigException error = assertThrows(ConfigException.class,
        () -> ServerOptions.from(values(null, Map.of(), Map.of("tls-cert", "/x.pem"))));
    assertTrue(error.getMessage().contains("--tls-cert and --tls-key go together"), error.getMessage());
    assertTrue(ServerOptions.from(ConfigValues.empty()).tls() == null);
  }

  @org.junit.jupiter.api.Test
  void frontDoorSectionsAreKeptByPrefixAndOtherUnknownKeysStillFail() throws IOException {
    ConfigValues values = values("authorizer.users.type = jwt\ncors.allow-origins = *\ntimeout-ms = 10\n", Map.of(), Map.of());
    org.junit.jupiter.api.Assertions.assertEquals(java.util.Set.of("authorizer.users.type"), values.withPrefix("authorizer.").keySet());
    org.junit.jupiter.api.Assertions.assertEquals("lambda-proxy.properties:1",
        values.withPrefix("authorizer.").get("authorizer.users.type").origin());
    ConfigException unknown = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
        () -> values("authorizers.users.type = jwt\n", Map.of(), Map.of()));
    org.junit.jupiter.api.Assertions.assertTrue(unknown.getMessage().contains("unknown setting 'authorizers.users.type'"), unknown.getMessage());
    org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> values("cors. = x\n", Map.of(), Map.of()));
  }

  @Test
  void inTheFrontDoorsSectionsAnEnvironmentVariableStandsForItsValue() throws IOException {
    ConfigValues values = values("api-key.mobile.value = ${MOBILE_KEY}\nauthorizer.users.issuer = https://idp/${POOL}\n",
        Map.of("MOBILE_KEY", "k-123", "POOL", "eu-west-1_Pool"), Map.of());
    assertEquals("k-123", values.withPrefix("api-key.").get("api-key.mobile.value").text());
    assertEquals("https://idp/eu-west-1_Pool", values.withPrefix("authorizer.").get("authorizer.users.issuer").text());
    ConfigValues unset = values("timeout-ms = 10\nauthorizer.users.audience = ${CLIENT_ID}\n", Map.of(), Map.of());
    assertEquals("${CLIENT_ID}", unset.withPrefix("authorizer.").get("authorizer.users.audience").text(),
        "left for the section's reader to refuse, naming the line");
    assertEquals("${X}", values("timeout-ms = ${X}\n", Map.of("X", "5"), Map.of()).get("timeout-ms", text -> text, null),
        "only the front door's sections read the environment this way");
  }
}

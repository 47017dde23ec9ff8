package dev.lambdaproxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettingsTest {

  private static Settings load(String file, Map<String, String> env) throws IOException {
    return Settings.load(file == null ? null : new StringReader(file), env);
  }

  @Test
  void withoutAFileEverySettingHasItsDefault() throws IOException {
    Settings settings = load(null, Map.of());
    assertNull(settings.region());
    assertNull(settings.endpoint());
    assertEquals(Duration.ofMillis(3000), settings.timeout());
    assertEquals(6_291_456, settings.maxBodyBytes());
    assertTrue(settings.sslVerify());
  }

  @Test
  void readsEverySetting() throws IOException {
    Settings settings = load("""
        region = eu-west-1
        endpoint = http://127.0.0.1:9001/
        timeout-ms = 1500
        max-body-bytes = 1024
        ssl-verify = false
        max-connections = 8
        keepalive-ms = 5000
        """, Map.of());
    assertEquals("eu-west-1", settings.region());
    assertEquals(URI.create("http://127.0.0.1:9001"), settings.endpoint());
    assertEquals(Duration.ofMillis(1500), settings.timeout());
    assertEquals(1024, settings.maxBodyBytes());
    assertFalse(settings.sslVerify());
    assertEquals(8, settings.maxConnections());
    assertEquals(Duration.ofMillis(5000), settings.keepAlive());
  }

  @Test
  void environmentWinsOverTheFileInTheDocumentedOrder() throws IOException {
    String file = "region = eu-west-1\nendpoint = http://file:1\n";
    assertEquals("us-west-2", load(file, Map.of("AWS_REGION", "us-west-2", "AWS_DEFAULT_REGION", "ap-south-1")).region());
    assertEquals("ap-south-1", load(file, Map.of("AWS_DEFAULT_REGION", "ap-south-1")).region());
    assertEquals("eu-west-1", load(file, Map.of()).region());
    assertEquals(URI.create("http://lambda:2"),
        load(file, Map.of("AWS_ENDPOINT_URL_LAMBDA", "http://lambda:2", "AWS_ENDPOINT_URL", "http://all:3")).endpoint());
    assertEquals(URI.create("http://all:3"), load(file, Map.of("AWS_ENDPOINT_URL", "http://all:3")).endpoint());
  }

  @Test
  void theDefaultEndpointFollowsTheRegionAndPartition() throws IOException {
    Settings settings = load(null, Map.of());
    assertEquals(URI.create("https://lambda.eu-west-1.amazonaws.com"), settings.endpointFor("eu-west-1"));
    assertEquals(URI.create("https://lambda.cn-north-1.amazonaws.com.cn"), settings.endpointFor("cn-north-1"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "regin = x|lambda-proxy.properties:1: unknown setting 'regin' (did you mean 'region'?)",
      "timeout-ms = soon|lambda-proxy.properties:1: 'timeout-ms': 'soon' is not a whole number",
      "ssl-verify = maybe|lambda-proxy.properties:1: 'ssl-verify': 'maybe' is not true or false",
      "endpoint = ftp://x|lambda-proxy.properties:1: 'endpoint': endpoint 'ftp://x' must be an http:// or https:// URL with a host",
      "region = Europe|lambda-proxy.properties:1: 'region': 'Europe' is not an AWS region name",
      "max-body-bytes = -1|lambda-proxy.properties:1: 'max-body-bytes': '-1' must be positive",
  })
  void rejectsABadSettingNamingTheLine(String line, String expectedStart) {
    String message = assertThrows(ConfigException.class, () -> load(line + "\n", Map.of())).getMessage();
    assertTrue(message.startsWith(expectedStart), () -> "message was: " + message);
  }

  @Test
  void rejectsASettingGivenTwice() {
    String message = assertThrows(ConfigException.class, () -> load("region = us-east-1\nregion = us-east-2\n", Map.of())).getMessage();
    assertEquals("lambda-proxy.properties:2: setting 'region' is already set on line 1", message);
  }
}

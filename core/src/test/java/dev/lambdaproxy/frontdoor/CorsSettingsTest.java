package dev.lambdaproxy.frontdoor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lambdaproxy.config.ConfigException;
import dev.lambdaproxy.http.ClientAnswer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CorsSettingsTest {

  private static final String FULL = """
      cors.allow-origins = https://app.example.com, https://Admin.example.com
      cors.allow-methods = get, POST
      cors.allow-headers = Authorization, content-type
      cors.expose-headers = x-request-id
      cors.max-age = 10m
      cors.allow-credentials = true
      """;

  @Test
  void withoutCorsSettingsCorsIsOff() {
    CorsSettings cors = CorsSettings.from(Settings.of("timeout-ms = 100\n"));
    assertSame(CorsSettings.NONE, cors);
    assertFalse(cors.enabled());
    assertNull(cors.allowedOrigin("https://app.example.com"));
  }

  @Test
  void everySettingIsReadAndNormalized() {
    CorsSettings cors = CorsSettings.from(Settings.of(FULL));
    assertEquals(List.of("https://app.example.com", "https://admin.example.com"), cors.allowOrigins());
    assertEquals(List.of("GET", "POST"), cors.allowMethods());
    assertEquals(List.of("authorization", "content-type"), cors.allowHeaders());
    assertEquals(List.of("x-request-id"), cors.exposeHeaders());
    assertEquals(600L, cors.maxAgeSeconds());
    assertTrue(cors.allowCredentials());
  }

  @ParameterizedTest(name = "origin {0} gets Access-Control-Allow-Origin {1}")
  @CsvSource(nullValues = "none", value = {
      "https://app.example.com, https://app.example.com",
      "https://APP.example.com, https://APP.example.com",
      "https://admin.example.com, https://admin.example.com",
      "http://app.example.com, none",
      "https://app.example.com:8443, none",
      "https://evil.example.com, none",
      "https://app.example.com.evil.test, none",
      "null, none"})
  void onlyAListedOriginIsEchoed(String origin, String allowed) {
    assertEquals(allowed, CorsSettings.from(Settings.of(FULL)).allowedOrigin(origin));
  }

  @Test
  void aSchemeWildcardAllowsEveryOriginOfThatSchemeAndEchoesIt() {
    CorsSettings cors = CorsSettings.from(Settings.of("cors.allow-origins = https://*\n"));
    assertEquals("https://any.example.org:444", cors.allowedOrigin("https://any.example.org:444"));
    assertNull(cors.allowedOrigin("http://any.example.org"));
  }

  @Test
  void aStarAnswersStarToEveryOriginWithoutVary() {
    CorsSettings cors = CorsSettings.from(Settings.of("cors.allow-origins = *\n"));
    List<ClientAnswer.Header> headers = new ArrayList<>();
    cors.addAnswerHeaders(headers, "https://whoever.test");
    assertEquals(List.of(new ClientAnswer.Header("Access-Control-Allow-Origin", "*")), headers);
  }

  @Test
  void anAnswerToAListedOriginCarriesTheOriginCredentialsExposedHeadersAndVary() {
    List<ClientAnswer.Header> headers = new ArrayList<>();
    CorsSettings.from(Settings.of(FULL)).addAnswerHeaders(headers, "https://app.example.com");
    assertEquals(List.of(
        new ClientAnswer.Header("Vary", "Origin"),
        new ClientAnswer.Header("Access-Control-Allow-Origin", "https://app.example.com"),
        new ClientAnswer.Header("Access-Control-Allow-Credentials", "true"),
        new ClientAnswer.Header("Access-Control-Expose-Headers", "x-request-id")), headers);
  }

  @Test
  void anAnswerToAnotherOriginCarriesOnlyVary() {
    List<ClientAnswer.Header> headers = new ArrayList<>();
    CorsSettings.from(Settings.of(FULL)).addAnswerHeaders(headers, "https://evil.example.com");
    assertEquals(List.of(new ClientAnswer.Header("Vary", "Origin")), headers);
  }

  @Test
  void aPreflightAnswerListsMethodsHeadersAndMaxAge() {
    List<ClientAnswer.Header> headers = new ArrayList<>();
    CorsSettings.from(Settings.of(FULL)).addPreflightHeaders(headers, "https://app.example.com", "POST", "content-type,authorization");
    assertEquals(List.of(
        new ClientAnswer.Header("Vary", "Origin"),
        new ClientAnswer.Header("Access-Control-Allow-Origin", "https://app.example.com"),
        new ClientAnswer.Header("Access-Control-Allow-Credentials", "true"),
        new ClientAnswer.Header("Access-Control-Allow-Methods", "GET, POST"),
        new ClientAnswer.Header("Access-Control-Allow-Headers", "authorization, content-type"),
        new ClientAnswer.Header("Access-Control-Max-Age", "600")), headers);
  }

  @Test
  void withCredentialsAStarForMethodsAndHeadersNamesBackWhatThePreflightAsked() {
    CorsSettings cors = CorsSettings.from(Settings.of("""
        cors.allow-origins = https://app.example.com
        cors.allow-methods = *
        cors.allow-headers = *
        cors.allow-credentials = true
        """));
    List<ClientAnswer.Header> headers = new ArrayList<>();
    cors.addPreflightHeaders(headers, "https://app.example.com", "DELETE", "x-custom,content-type");
    assertTrue(headers.contains(new ClientAnswer.Header("Access-Control-Allow-Methods", "DELETE")), headers.toString());
    assertTrue(headers.contains(new ClientAnswer.Header("Access-Control-Allow-Headers", "x-custom,content-type")), headers.toString());
    assertTrue(headers.contains(new ClientAnswer.Header("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers")),
        headers.toString());
  }

  @Test
  void withoutCredentialsAStarIsSentAsStar() {
    CorsSettings cors = CorsSettings.from(Settings.of("cors.allow-origins = *\ncors.allow-methods = *\ncors.allow-headers = *\n"));
    List<ClientAnswer.Header> headers = new ArrayList<>();
    cors.addPreflightHeaders(headers, "https://app.example.com", "DELETE", "x-custom");
    assertEquals(List.of(
        new ClientAnswer.Header("Access-Control-Allow-Origin", "*"),
        new ClientAnswer.Header("Access-Control-Allow-Methods", "*"),
        new ClientAnswer.Header("Access-Control-Allow-Headers", "*")), headers);
  }

  @Test
  void starOriginsWithCredentialsStopTheStartNamingBothLines() {
    ConfigException e = assertThrows(ConfigException.class, () -> CorsSettings.from(Settings.of("""
        cors.allow-origins = *
        cors.allow-credentials = true
        """)));
    assertEquals("lambda-proxy.properties:2: 'cors.allow-credentials = true' cannot go with cors.allow-origins = *"
        + " (lambda-proxy.properties:1): browsers send no credentials to every origin; list the origins instead", e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "cors.alow-origins = *|lambda-proxy.properties:1: unknown setting 'cors.alow-origins' (did you mean 'cors.allow-origins'?)",
      "cors.allow-methods = GET|lambda-proxy.properties:1: 'cors.allow-methods' is set but cors.allow-origins is not",
      "cors.allow-origins = https://app.example.com/|lambda-proxy.properties:1: 'cors.allow-origins': 'https://app.example.com/' is not an origin",
      "cors.allow-origins = app.example.com|lambda-proxy.properties:1: 'cors.allow-origins': 'app.example.com' is not an origin",
      "cors.allow-origins = *, https://a.test|lambda-proxy.properties:1: 'cors.allow-origins': '*' already allows every origin",
      "cors.allow-origins = ' , '|lambda-proxy.properties:1: 'cors.allow-origins': ",
      "cors.allow-origins = * ~ cors.max-age = 2d|lambda-proxy.properties:2: 'cors.max-age': '2d' is not a max age",
      "cors.allow-origins = * ~ cors.max-age = 86401|lambda-proxy.properties:2: 'cors.max-age': '86401' is not a max age",
      "cors.allow-origins = * ~ cors.allow-methods = GET POST|lambda-proxy.properties:2: 'cors.allow-methods': 'GET POST' is not a method",
      "cors.allow-origins = * ~ cors.allow-credentials = yes|lambda-proxy.properties:2: 'cors.allow-credentials': must be true or false"})
  void aBadSettingStopsTheStartNamingItsLine(String text, String message) {
    ConfigException e = assertThrows(ConfigException.class, () -> CorsSettings.from(Settings.of(text.replace(" ~ ", "\n") + "\n")));
    assertTrue(e.getMessage().startsWith(message), e.getMessage());
  }

  @Test
  void corsHeadersAreRecognisedInAnyCase() {
    assertTrue(CorsSettings.isCorsHeader("Access-Control-Allow-Origin"));
    assertTrue(CorsSettings.isCorsHeader("access-control-max-age"));
    assertFalse(CorsSettings.isCorsHeader("Access-Controlled"));
    assertFalse(CorsSettings.isCorsHeader("Vary"));
  }
}

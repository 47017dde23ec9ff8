package dev.lambdaproxy.invoke.event;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class EventBodyTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest(name = "{0} with UTF-8 text travels as text: {1}")
  @CsvSource(delimiter = '|', nullValues = "NONE", value = {
      "text/plain|true",
      "text/html; charset=utf-8|true",
      "TEXT/CSV|true",
      "application/json|true",
      "application/json; charset=UTF-8|true",
      "application/problem+json|true",
      "application/vnd.api+json|true",
      "application/xml|true",
      "application/atom+xml|true",
      "image/svg+xml|true",
      "application/x-www-form-urlencoded|true",
      "application/javascript|true",
      "application/yaml|true",
      "application/graphql|true",
      "NONE|true",
      "' '|true",
      "application/octet-stream|false",
      "image/png|false",
      "multipart/form-data; boundary=x|false",
      "application/pdf|false",
      "application/zip|false",
      "application/jsonp-not-really|false",
  })
  void theContentTypeDecidesTextForUtf8Bodies(String contentType, boolean text) {
    assertEquals(text, EventBody.isText(contentType, "héllo".getBytes(StandardCharsets.UTF_8)));
  }

  static Stream<Arguments> utf8Cases() {
    return Stream.of(
        Arguments.of("empty", "", true),
        Arguments.of("ASCII", "68656c6c6f", true),
        Arguments.of("two-byte é", "c3a9", true),
        Arguments.of("three-byte €", "e282ac", true),
        Arguments.of("four-byte emoji", "f09f9880", true),
        Arguments.of("highest code point U+10FFFF", "f48fbfbf", true),
        Arguments.of("lone ISO-8859-1 é", "636166e9", false),
        Arguments.of("lone continuation byte", "80", false),
        Arguments.of("overlong slash", "c0af", false),
        Arguments.of("overlong three-byte NUL", "e08080", false),
        Arguments.of("overlong four-byte", "f08fbfbf", false),
        Arguments.of("UTF-16 surrogate as UTF-8", "eda080", false),
        Arguments.of("above U+10FFFF", "f4908080", false),
        Arguments.of("truncated three-byte sequence", "e282", false),
        Arguments.of("lead byte followed by ASCII", "c341", false),
        Arguments.of("PNG signature", HexFormat.of().formatHex(Requests.PNG_SIGNATURE), false),
        Arguments.of("byte 0xFF", "ff", false));
  }

  @ParameterizedTest(name = "{0} is UTF-8: {2}")
  @MethodSource("utf8Cases")
  void utf8IsCheckedStrictly(String name, String hex, boolean utf8) {
    assertEquals(utf8, EventBody.isUtf8(HexFormat.of().parseHex(hex)));
    assertEquals(utf8, EventBody.isText("text/plain", HexFormat.of().parseHex(hex)));
  }

  @Test
  void aLargeTextBodyIsCopiedExactlyAcrossTheGeneratorsBuffers() throws IOException {
    String text = "é\"\\\n€😀<>&".repeat(20_000);
    ClientRequestView request = RequestBuilder.post("/hello").body("text/plain; charset=utf-8", text).build();
    for (JsonNode event : new JsonNode[] {
        JSON.readTree(ApiGatewayV1Event.toJson(request)), JSON.readTree(ApiGatewayV2Event.toJson(request))}) {
      assertEquals(text, event.get("body").textValue());
      assertEquals(false, event.get("isBase64Encoded").booleanValue());
    }
  }

  @Test
  void aLargeBinaryBodyRoundTripsThroughStandardBase64() throws IOException {
    byte[] bytes = new byte[300_001];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (i * 31 + 7);
    }
    ClientRequestView request = RequestBuilder.post("/hello").body("application/octet-stream", bytes).build();
    for (JsonNode event : new JsonNode[] {
        JSON.readTree(ApiGatewayV1Event.toJson(request)), JSON.readTree(ApiGatewayV2Event.toJson(request))}) {
      String body = event.get("body").textValue();
      assertEquals(-1, body.indexOf('\n'), "no line breaks in the base64");
      assertArrayEquals(bytes, Base64.getDecoder().decode(body));
      assertEquals(true, event.get("isBase64Encoded").booleanValue());
    }
  }

  @Test
  void aBodyWithoutContentTypeTravelsAsTextWhenItIsUtf8AndAsBase64Otherwise() throws IOException {
    ClientRequestView text = RequestBuilder.post("/hello").build();
    ClientRequestView withBody = new ClientRequestView(text.method(), text.rawPath(), text.path(), null, text.headers(),
        "plain words".getBytes(StandardCharsets.UTF_8), text.sourceIp(), text.protocol(), text.domainName(),
        text.requestId(), text.requestTimeEpochMillis(), text.routePattern(), text.pathParameters());
    assertEquals("plain words", JSON.readTree(ApiGatewayV2Event.toJson(withBody)).get("body").textValue());

    ClientRequestView binary = new ClientRequestView(text.method(), text.rawPath(), text.path(), null, text.headers(),
        Requests.LATIN1_CAFE, text.sourceIp(), text.protocol(), text.domainName(),
        text.requestId(), text.requestTimeEpochMillis(), text.routePattern(), text.pathParameters());
    JsonNode event = JSON.readTree(ApiGatewayV1Event.toJson(binary));
    assertEquals("Y2Fm6Q==", event.get("body").textValue());
    assertEquals(true, event.get("isBase64Encoded").booleanValue());
  }
}

package dev.lambdaproxy.invoke.event;

import static dev.lambdaproxy.invoke.event.ProxyResultDecoder.Format.V1;
import static dev.lambdaproxy.invoke.event.ProxyResultDecoder.Format.V2;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lambdaproxy.http.ClientAnswer;
import dev.lambdaproxy.invoke.event.ProxyResultDecoder.Format;
import dev.lambdaproxy.invoke.event.ProxyResultDecoder.Result;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * API Gateway's rules for a function's result: "Set up Lambda proxy integrations in API Gateway"
 * (output format, 1.0), "Working with AWS Lambda proxy integrations for HTTP APIs" (response
 * formats 1.0 and 2.0, 2.0 format inference) and Lambda function URLs' response payload.
 */
class ProxyResultDecoderTest {

  private static final byte[] PNG = Requests.PNG_SIGNATURE;

  /** What the client should get; headers as {@code "Name: value"} in order, Content-Type apart. */
  private record Expected(int status, String contentType, List<String> headers, byte[] body) {
    static Expected of(int status, String contentType, List<String> headers, String body) {
      return new Expected(status, contentType, headers, body.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static Result decode(String payload, Format format) {
    return ProxyResultDecoder.decode(payload.getBytes(StandardCharsets.UTF_8), format);
  }

  private static void assertAnswer(Expected expected, Result result) {
    assertNull(result.malformedReason(), "malformed: " + result.malformedReason());
    ClientAnswer answer = result.answer();
    assertAll(
        () -> assertEquals(expected.status(), answer.status(), "status"),
        () -> assertEquals(expected.contentType(), answer.contentType(), "content type"),
        () -> assertEquals(expected.headers(), answer.headers().stream().map(h -> h.name() + ": " + h.value()).toList(), "headers"),
        () -> assertArrayEquals(expected.body(), answer.body(), () -> "body was " + new String(answer.body(), StandardCharsets.UTF_8)));
  }

  /** Results both formats read the same way. */
  static Stream<Arguments> sharedCases() {
    return Stream.of(
        Arguments.of("statusCode and body alone are a JSON answer",
            "{\"statusCode\":200,\"body\":\"{\\\"ok\\\":true}\"}",
            Expected.of(200, "application/json", List.of(), "{\"ok\":true}")),
        Arguments.of("the function's Content-Type is the answer's, in any case",
            "{\"statusCode\":201,\"headers\":{\"content-TYPE\":\"text/csv\",\"X-One\":\"1\"},\"body\":\"x,y\\n\"}",
            Expected.of(201, "text/csv", List.of("X-One: 1"), "x,y\n")),
        Arguments.of("numbers and booleans in headers are stringified",
            "{\"statusCode\":200,\"headers\":{\"X-Count\":3,\"X-Ratio\":0.5,\"X-Flag\":true,\"X-None\":null}}",
            Expected.of(200, "application/json", List.of("X-Count: 3", "X-Ratio: 0.5", "X-Flag: true"), "")),
        Arguments.of("a missing body and a null body are empty",
            "{\"statusCode\":204,\"body\":null,\"isBase64Encoded\":null}",
            Expected.of(204, "application/json", List.of(), "")),
        Arguments.of("a base64 body is decoded",
            "{\"statusCode\":200,\"headers\":{\"Content-Type\":\"image/png\"},\"body\":\"iVBORw0KGgo=\",\"isBase64Encoded\":true}",
            new Expected(200, "image/png", List.of(), PNG)),
        Arguments.of("line breaks in base64 are allowed",
            "{\"statusCode\":200,\"body\":\"iVBO\\r\\nRw0K\\nGgo=\",\"isBase64Encoded\":true}",
            new Expected(200, "application/json", List.of(), PNG)),
        Arguments.of("isBase64Encoded false leaves a base64-looking body alone",
            "{\"statusCode\":200,\"body\":\"iVBORw0KGgo=\",\"isBase64Encoded\":false}",
            Expected.of(200, "application/json", List.of(), "iVBORw0KGgo=")),
        Arguments.of("a status at either end of the range is kept",
            "{\"statusCode\":599,\"body\":\"\"}",
            Expected.of(599, "application/json", List.of(), "")),
        Arguments.of("hop-by-hop, x-amzn-*, Content-Length, badly named and response-splitting headers are dropped",
            "{\"statusCode\":200,\"headers\":{\"Connection\":\"close\",\"Transfer-Encoding\":\"chunked\",\"x-amzn-RequestId\":\"r\","
                + "\"Content-Length\":\"999\",\"Bad Name\":\"v\",\"X-Split\":\"a\\r\\nSet-Cookie: evil=1\",\"X-Good\":\"ok\"}}",
            Expected.of(200, "application/json", List.of("X-Good: ok"), "")),
        Arguments.of("a Content-Type that would split the response is ignored",
            "{\"statusCode\":200,\"headers\":{\"Content-Type\":\"text/html\\r\\nX-Evil: 1\"}}",
            Expected.of(200, "application/json", List.of(), "")),
        Arguments.of("unknown fields are ignored",
            "{\"statusCode\":200,\"statusDescription\":\"200 OK\",\"body\":\"hi\"}",
            Expected.of(200, "application/json", List.of(), "hi")));
  }

  @ParameterizedTest(name = "1.0: {0}")
  @MethodSource("sharedCases")
  void format1ReadsTheSharedFields(String name, String payload, Expected expected) {
    assertAnswer(expected, decode(payload, V1));
  }

  @ParameterizedTest(name = "2.0: {0}")
  @MethodSource("sharedCases")
  void format2ReadsTheSharedFields(String name, String payload, Expected expected) {
    assertAnswer(expected, decode(payload, V2));
  }

  static Stream<Arguments> format1Cases() {
    return Stream.of(
        Arguments.of("multiValueHeaders win over headers of the same name, any case",
            "{\"statusCode\":200,\"headers\":{\"set-cookie\":\"ignored=1\",\"X-One\":\"1\"},"
                + "\"multiValueHeaders\":{\"Set-Cookie\":[\"a=1; Path=/\",\"b=2\"],\"X-Many\":[\"x\",7]}}",
            Expected.of(200, "application/json", List.of("Set-Cookie: a=1; Path=/", "Set-Cookie: b=2", "X-Many: x", "X-Many: 7", "X-One: 1"), "")),
        Arguments.of("a Content-Type in multiValueHeaders wins over the one in headers",
            "{\"statusCode\":200,\"headers\":{\"Content-Type\":\"text/plain\"},\"multiValueHeaders\":{\"content-type\":[\"text/html\"]}}",
            Expected.of(200, "text/html", List.of(), "")),
        Arguments.of("cookies mean nothing in 1.0",
            "{\"statusCode\":200,\"cookies\":[\"a=1\"]}",
            Expected.of(200, "application/json", List.of(), "")));
  }

  @ParameterizedTest(name = "1.0: {0}")
  @MethodSource("format1Cases")
  void format1Rules(String name, String payload, Expected expected) {
    assertAnswer(expected, decode(payload, V1));
  }

  static Stream<Arguments> format2Cases() {
    return Stream.of(
        Arguments.of("each cookie becomes a Set-Cookie header after the headers",
            "{\"statusCode\":201,\"headers\":{\"X-One\":\"1\"},\"cookies\":[\"Cookie_1=Value1; Expires=21 Oct 2021 07:48 GMT\",\"Cookie_2=Value2; Max-Age=78000\"],\"body\":\"{}\"}",
            Expected.of(201, "application/json",
                List.of("X-One: 1", "Set-Cookie: Cookie_1=Value1; Expires=21 Oct 2021 07:48 GMT", "Set-Cookie: Cookie_2=Value2; Max-Age=78000"), "{}")),
        Arguments.of("a cookie that would split the response is dropped",
            "{\"statusCode\":200,\"cookies\":[\"a=1\\r\\nX-Evil: 1\",null,\"b=2\"]}",
            Expected.of(200, "application/json", List.of("Set-Cookie: b=2"), "")),
        Arguments.of("multiValueHeaders mean nothing in 2.0",
            "{\"statusCode\":200,\"multiValueHeaders\":{\"X-Many\":[\"a\",\"b\"]},\"headers\":{\"X-Joined\":\"a,b\"}}",
            Expected.of(200, "application/json", List.of("X-Joined: a,b"), "")),
        Arguments.of("an object without statusCode is a 200 JSON body as the function wrote it",
            "{ \"message\": \"Hello from Lambda!\" }",
            Expected.of(200, "application/json", List.of(), "{ \"message\": \"Hello from Lambda!\" }")),
        Arguments.of("an object that only looks like a response without statusCode is still the body",
            "{\"body\":\"x\",\"headers\":{\"X-One\":\"1\"}}",
            Expected.of(200, "application/json", List.of(), "{\"body\":\"x\",\"headers\":{\"X-One\":\"1\"}}")),
        Arguments.of("a string is a 200 JSON body that keeps its quotes",
            "\"Hello, world!\"",
            Expected.of(200, "application/json", List.of(), "\"Hello, world!\"")),
        Arguments.of("a number is a 200 JSON body",
            "42",
            Expected.of(200, "application/json", List.of(), "42")),
        Arguments.of("an array is a 200 JSON body",
            "[1,{\"statusCode\":500}]",
            Expected.of(200, "application/json", List.of(), "[1,{\"statusCode\":500}]")),
        Arguments.of("null is a 200 JSON body",
            "null",
            Expected.of(200, "application/json", List.of(), "null")));
  }

  @ParameterizedTest(name = "2.0: {0}")
  @MethodSource("format2Cases")
  void format2Rules(String name, String payload, Expected expected) {
    assertAnswer(expected, decode(payload, V2));
  }

  /** Malformed in both formats, with a word the reason must contain. */
  static Stream<Arguments> malformedCases() {
    return Stream.of(
        Arguments.of("a statusCode outside 200-599", "{\"statusCode\":42,\"body\":\"x\"}", "statusCode"),
        Arguments.of("an informational 100, which is not a final status", "{\"statusCode\":100,\"body\":\"x\"}", "statusCode"),
        Arguments.of("a 101 Switching Protocols", "{\"statusCode\":101,\"body\":\"x\"}", "statusCode"),
        Arguments.of("a 103 Early Hints", "{\"statusCode\":103}", "statusCode"),
        Arguments.of("the highest 1xx", "{\"statusCode\":199}", "statusCode"),
        Arguments.of("a statusCode above 599", "{\"statusCode\":600}", "statusCode"),
        Arguments.of("a statusCode as a numeric string", "{\"statusCode\":\"200\",\"body\":\"x\"}", "statusCode"),
        Arguments.of("a fractional statusCode", "{\"statusCode\":200.5}", "statusCode"),
        Arguments.of("a statusCode beyond int", "{\"statusCode\":4294967496}", "statusCode"),
        Arguments.of("a null statusCode", "{\"statusCode\":null}", "statusCode"),
        Arguments.of("an object body", "{\"statusCode\":200,\"body\":{\"hey\":\"dude\"}}", "body"),
        Arguments.of("a number body", "{\"statusCode\":200,\"body\":42}", "body"),
        Arguments.of("a body that is not base64", "{\"statusCode\":200,\"body\":\"***\",\"isBase64Encoded\":true}", "base64"),
        Arguments.of("isBase64Encoded as a string", "{\"statusCode\":200,\"body\":\"eA==\",\"isBase64Encoded\":\"true\"}", "isBase64Encoded"),
        Arguments.of("headers as an array", "{\"statusCode\":200,\"headers\":[\"X-One: 1\"]}", "headers"),
        Arguments.of("a header value that is an object", "{\"statusCode\":200,\"headers\":{\"X-One\":{\"a\":1}}}", "headers.X-One"),
        Arguments.of("a payload that is not JSON", "Hello", "not JSON"),
        Arguments.of("JSON followed by more", "{\"statusCode\":200} {}", "not JSON"),
        Arguments.of("an empty payload", "", "empty"));
  }

  @ParameterizedTest(name = "1.0: {0} is malformed")
  @MethodSource("malformedCases")
  void format1ReportsMalformedResults(String name, String payload, String reasonMentions) {
    assertMalformed(decode(payload, V1), reasonMentions);
  }

  @ParameterizedTest(name = "2.0: {0} is malformed")
  @MethodSource("malformedCases")
  void format2ReportsMalformedResults(String name, String payload, String reasonMentions) {
    assertMalformed(decode(payload, V2), reasonMentions);
  }

  static Stream<Arguments> format1OnlyMalformedCases() {
    return Stream.of(
        Arguments.of("a string", "\"Hello from Lambda!\"", "object"),
        Arguments.of("an array", "[200]", "object"),
        Arguments.of("an object without statusCode", "{\"body\":\"x\"}", "statusCode"),
        Arguments.of("a multiValueHeaders value that is not an array", "{\"statusCode\":200,\"multiValueHeaders\":{\"X-One\":\"1\"}}", "multiValueHeaders.X-One"),
        Arguments.of("multiValueHeaders as a string", "{\"statusCode\":200,\"multiValueHeaders\":\"X\"}", "multiValueHeaders"));
  }

  @ParameterizedTest(name = "1.0: {0} is malformed")
  @MethodSource("format1OnlyMalformedCases")
  void format1RequiresAnObjectWithStatusCode(String name, String payload, String reasonMentions) {
    assertMalformed(decode(payload, V1), reasonMentions);
  }

  static Stream<Arguments> format2OnlyMalformedCases() {
    return Stream.of(
        Arguments.of("cookies as a string", "{\"statusCode\":200,\"cookies\":\"a=1\"}", "cookies"),
        Arguments.of("a cookie that is a number", "{\"statusCode\":200,\"cookies\":[\"a=1\",2]}", "cookies"));
  }

  @ParameterizedTest(name = "2.0: {0} is malformed")
  @MethodSource("format2OnlyMalformedCases")
  void format2ChecksCookies(String name, String payload, String reasonMentions) {
    assertMalformed(decode(payload, V2), reasonMentions);
  }

  private static void assertMalformed(Result result, String reasonMentions) {
    assertNull(result.answer(), "answer");
    assertTrue(result.isMalformed());
    assertNotNull(result.malformedReason());
    assertTrue(result.malformedReason().contains(reasonMentions), result.malformedReason());
  }

  @Test
  void aResultHasEitherAnAnswerOrAReason() {
    assertThrows(IllegalArgumentException.class, () -> new Result(null, null));
    ClientAnswer answer = new ClientAnswer(200, List.of(), null, new byte[0]);
    assertThrows(IllegalArgumentException.class, () -> new Result(answer, "both"));
  }

  @Test
  void aLongValueIsShortenedInTheReason() {
    String reason = decode("{\"statusCode\":\"" + "9".repeat(500) + "\"}", V1).malformedReason();
    assertTrue(reason.length() < 120, reason);
  }
}

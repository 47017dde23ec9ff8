package dev.lambdaproxy.invoke;

import dev.lambdaproxy.http.ClientAnswer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lambdaproxy.route.FunctionRef;
import dev.lambdaproxy.route.FunctionTarget;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponseDecoderTest {

  private static final FunctionTarget ROUTE = FunctionTarget.of(FunctionRef.parse("hello"));

  private static ResponseDecoder.Decoded decode(int status, String functionError, String errorType, String body) {
    return ResponseDecoder.decode(
        new LambdaResponse(status, functionError, errorType, "7", "req-1", body.getBytes(StandardCharsets.UTF_8)), ROUTE);
  }

  private static String body(ClientAnswer answer) {
    return new String(answer.body(), StandardCharsets.UTF_8);
  }

  private static List<String> header(ClientAnswer answer, String name) {
    return answer.headers().stream().filter(h -> h.name().equalsIgnoreCase(name)).map(ClientAnswer.Header::value).toList();
  }

  @Test
  void aJsonStringIsUnquotedAndUnescapedWithTheRouteContentType() {
    ClientAnswer answer = decode(200, null, null, "\"Hello, \\\"Ada\\\" \\u00e9\\n\"").answer();
    assertEquals(200, answer.status());
    assertEquals("Hello, \"Ada\" é\n", body(answer));
    assertEquals("text/plain; charset=utf-8", answer.contentType());
  }

  @Test
  void anyOtherJsonIsPassedAsIsAsApplicationJson() {
    for (String json : List.of("{\"a\":1}", "[1,2]", "42", "true", "null", "{\"statusCode\":\"200\"}")) {
      ClientAnswer answer = decode(200, null, null, json).answer();
      assertEquals(200, answer.status(), json);
      assertEquals(json, body(answer));
      assertEquals("application/json", answer.contentType());
    }
  }

  @Test
  void theShapeIsReadFromTheTopLevelOnly() {
    // a statusCode inside a nested object or array, or before a later one that is not a number, is not a proxy object
    for (String json : List.of("{\"data\":{\"statusCode\":201}}", "[{\"statusCode\":201}]",
        "{\"statusCode\":201,\"statusCode\":\"x\"}", "{\"items\":[1,{\"a\":[]}],\"next\":null}")) {
      ClientAnswer answer = decode(200, null, null, json).answer();
      assertEquals(200, answer.status(), json);
      assertEquals(json, body(answer));
      assertEquals("application/json", answer.contentType(), json);
    }
    // fields before and after statusCode, nested values skipped: still a proxy object; the last statusCode wins
    ClientAnswer answer = decode(200, null, null,
        "{\"headers\":{\"X-A\":\"1\"},\"statusCode\":\"x\",\"body\":\"hi\",\"statusCode\":204}").answer();
    assertEquals(204, answer.status());
    assertEquals(List.of("1"), header(answer, "X-A"));
  }

  @Test
  void jsonBrokenAnywhereInsideIsPassedOnAsBytes() {
    for (String broken : List.of("{\"statusCode\":200", "[1,2", "{\"a\":[1,}", "\"unterminated", "{\"a\" 1}")) {
      ClientAnswer answer = decode(200, null, null, broken).answer();
      assertEquals(200, answer.status(), broken);
      assertEquals(broken, body(answer));
      assertEquals("application/octet-stream", answer.contentType(), broken);
    }
  }

  @Test
  void aLargeJsonArrayIsPassedOnAsTheSameBytes() {
    StringBuilder json = new StringBuilder("[");
    for (int i = 0; i < 100_000; i++) {
      json.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append(",\"name\":\"item ").append(i).append("\"}");
    }
    byte[] payload = json.append(']').toString().getBytes(StandardCharsets.UTF_8);
    ClientAnswer answer = ResponseDecoder.decode(new LambdaResponse(200, null, null, null, "req-1", payload), ROUTE).answer();
    assertEquals("application/json", answer.contentType());
    assertTrue(answer.body() == payload, "passed on without a copy");
  }

  @Test
  void anApiGatewayObjectGivesItsStatusHeadersAndBody() {
    ClientAnswer answer = decode(200, null, null, """
        {"statusCode":201,"headers":{"Content-Type":"text/csv","X-One":"1","Set-Cookie":"ignored=1"},
         "multiValueHeaders":{"Set-Cookie":["a=1; Path=/","b=2"]},"body":"x,y\\n"}""").answer();
    assertEquals(201, answer.status());
    assertEquals("text/csv", answer.contentType());
    assertEquals(List.of("1"), header(answer, "X-One"));
    assertEquals(List.of("a=1; Path=/", "b=2"), header(answer, "Set-Cookie"));
    assertEquals("x,y\n", body(answer));
  }

  @Test
  void aBase64BodyIsDecoded() {
    ClientAnswer answer = decode(200, null, null,
        "{\"statusCode\":200,\"headers\":{\"content-type\":\"image/png\"},\"body\":\"AAEC/w==\",\"isBase64Encoded\":true}").answer();
    assertArrayEquals(new byte[] {0, 1, 2, (byte) 0xff}, answer.body());
    assertEquals("image/png", answer.contentType());
  }

  @Test
  void functionHeadersThatCouldSplitTheResponseOrAreHopByHopAreDropped() {
    ClientAnswer answer = decode(200, null, null, """
        {"statusCode":200,"headers":{"X-Bad":"a\\r\\nSet-Cookie: evil=1","Connection":"close","Transfer-Encoding":"chunked",
         "x-amzn-RequestId":"r","Bad Name":"v","Content-Length":"999","X-Good":"ok"},"body":""}""").answer();
    assertEquals(List.of("X-Good"), answer.headers().stream().map(ClientAnswer.Header::name).toList());
  }

  @Test
  void aMalformedApiGatewayObjectIsA502() {
    ResponseDecoder.Decoded badStatus = decode(200, null, null, "{\"statusCode\":42,\"body\":\"x\"}");
    assertEquals(502, badStatus.answer().status());
    assertNotNull(badStatus.logMessage());
    ResponseDecoder.Decoded badBase64 = decode(200, null, null, "{\"statusCode\":200,\"body\":\"***\",\"isBase64Encoded\":true}");
    assertEquals(502, badBase64.answer().status());
  }

  @Test
  void aFunctionErrorIsA502WithTypeAndMessageButNoStackTrace() {
    ResponseDecoder.Decoded decoded = decode(200, "Unhandled", null,
        "{\"errorType\":\"TypeError\",\"errorMessage\":\"x is undefined\",\"trace\":[\"at handler (/var/task/index.js:3:9)\"]}");
    assertEquals(502, decoded.answer().status());
    assertEquals("{\"message\":\"function error\",\"errorType\":\"TypeError\",\"errorMessage\":\"x is undefined\"}", body(decoded.answer()));
    assertTrue(decoded.logMessage().contains("index.js:3:9"), "the trace goes to the log");
  }

  @Test
  void invokeApiErrorsMapToTheDocumentedStatuses() {
    ResponseDecoder.Decoded throttled = decode(429, null, "TooManyRequestsException", "{\"message\":\"Rate exceeded\"}");
    assertEquals(429, throttled.answer().status());
    assertEquals(List.of("7"), header(throttled.answer(), "Retry-After"));

    assertEquals(413, decode(413, null, "RequestTooLargeException", "{}").answer().status());

    ClientAnswer notFound = decode(404, null, "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.awslambda/", "{}").answer();
    assertEquals(502, notFound.status());
    assertEquals("{\"message\":\"function not found: hello\"}", body(notFound));

    ClientAnswer forbidden = decode(403, null, "InvalidSignatureException", "{\"message\":\"The request signature we calculated does not match\"}").answer();
    assertEquals(502, forbidden.status());
    assertTrue(body(forbidden).contains("InvalidSignatureException"));
    assertFalse(body(forbidden).contains("we calculated"), "AWS's raw message stays in the log");

    ClientAnswer service = decode(500, null, "ServiceException", "{}").answer();
    assertEquals(502, service.status());
    assertTrue(body(service).contains("ServiceException"));
  }

  @Test
  void aPayloadThatIsNotJsonIsPassedAsOctetStream() {
    ClientAnswer answer = decode(200, null, null, "plain bytes").answer();
    assertEquals("application/octet-stream", answer.contentType());
    assertEquals("plain bytes", body(answer));
    assertNull(decode(200, null, null, "{}").logMessage());
  }
}

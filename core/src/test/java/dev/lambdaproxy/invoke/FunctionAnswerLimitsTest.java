package dev.lambdaproxy.invoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lambdaproxy.config.EventFormat;
import dev.lambdaproxy.http.ClientAnswer;
import dev.lambdaproxy.route.FunctionRef;
import dev.lambdaproxy.route.FunctionTarget;
import dev.lambdaproxy.route.InvocationType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A function's answer past one of Jackson's stream limits, in every place the proxy reads a
 * function's JSON (a raw result, a proxy object, an API Gateway result of either format, a function
 * error's payload), is answered, never thrown: passed on as it came where the proxy passes JSON
 * on, else a 502. Issue 12's first finding was the client side of this class of bug.
 */
class FunctionAnswerLimitsTest {

  static Stream<Arguments> answersPastALimit() {
    List<Arguments> cases = new ArrayList<>();
    String deep = "[".repeat(1_200) + "]".repeat(1_200);
    String deepInProxyObject = "{\"statusCode\":200,\"body\":\"x\",\"extra\":" + deep + "}";
    String longNumber = "{\"statusCode\":200,\"n\":1" + "0".repeat(1_000) + ",\"body\":\"x\"}";
    String longName = "{\"statusCode\":200,\"" + "n".repeat(60_000) + "\":1,\"body\":\"x\"}";
    String deepHeaders = "{\"statusCode\":200,\"headers\":{\"X-A\":" + "[".repeat(1_200) + "]".repeat(1_200) + "},\"body\":\"x\"}";
    for (EventFormat format : EventFormat.values()) {
      for (String name : List.of("deep", "deepInProxyObject", "longNumber", "longName", "deepHeaders")) {
        String payload = switch (name) {
          case "deep" -> deep;
          case "deepInProxyObject" -> deepInProxyObject;
          case "longNumber" -> longNumber;
          case "longName" -> longName;
          default -> deepHeaders;
        };
        cases.add(Arguments.of(format, name, payload, null));
        cases.add(Arguments.of(format, name + " as a function error", payload, "Unhandled"));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("answersPastALimit")
  void aFunctionAnswerPastAStreamLimitIsAnsweredNeverThrown(EventFormat format, String name, String payload, String functionError) {
    FunctionTarget route = new FunctionTarget(FunctionRef.parse("limits"), format, InvocationType.REQUEST_RESPONSE,
        FunctionTarget.DEFAULT_CONTENT_TYPE, FunctionTarget.DEFAULT_FUNCTION_ERROR_STATUS, false, null, false, null, null);
    ResponseDecoder.Decoded decoded = ResponseDecoder.decode(new LambdaResponse(200, functionError, null, null, "req-1",
        payload.getBytes(StandardCharsets.UTF_8)), route);
    ClientAnswer answer = decoded.answer();
    assertTrue(answer.status() == 200 || answer.status() == 502, answer.status() + " " + new String(answer.body(), StandardCharsets.UTF_8));
    if (functionError != null) {
      assertEquals(502, answer.status(), "a function error is never a 200");
    }
  }
}

package dev.lambdaproxy.cache;

import dev.lambdaproxy.http.ClientAnswer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds the function's answers of the tests. */
final class Answers {

  private int status = 200;
  private final List<ClientAnswer.Header> headers = new ArrayList<>();
  private String contentType = "text/plain; charset=utf-8";
  private byte[] body = new byte[0];
  private String errorKind;

  static Answers status(int status) {
    Answers answers = new Answers();
    answers.status = status;
    return answers;
  }

  static Answers ok(String body) {
    return status(200).body(body);
  }

  /** A 200 with {@code Cache-Control: max-age=N}. */
  static ClientAnswer maxAge(String body, long seconds) {
    return ok(body).cacheControl("max-age=" + seconds).build();
  }

  /** The proxy's 504 when the function did not answer in time. */
  static ClientAnswer timeout() {
    return status(504).body("{\"message\":\"no answer in time\"}").contentType("application/json").errorKind("timeout").build();
  }

  /** The proxy's 502 when the function raised an error. */
  static ClientAnswer functionError() {
    return status(502).body("{\"message\":\"function error\"}").contentType("application/json").errorKind("function_error").build();
  }

  Answers body(String text) {
    body = text.getBytes(StandardCharsets.UTF_8);
    return this;
  }

  Answers body(byte[] bytes) {
    body = bytes;
    return this;
  }

  Answers header(String name, String value) {
    headers.add(new ClientAnswer.Header(name, value));
    return this;
  }

  Answers cacheControl(String value) {
    return header("Cache-Control", value);
  }

  Answers contentType(String value) {
    contentType = value;
    return this;
  }

  Answers errorKind(String kind) {
    errorKind = kind;
    return this;
  }

  ClientAnswer build() {
    return new ClientAnswer(status, headers, contentType, body, errorKind);
  }

  static String body(CachedAnswer answer) {
    return new String(answer.answer().body(), StandardCharsets.UTF_8);
  }

  /** All values of a header of an answer, joined by ", "; null when absent. */
  static String header(CachedAnswer answer, String name) {
    return Freshness.header(answer.answer(), name);
  }

  static long count(CachedAnswer answer, String name) {
    return answer.answer().headers().stream().filter(h -> h.name().equalsIgnoreCase(name)).count();
  }
}

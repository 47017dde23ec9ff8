package dev.lambdaproxy.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * What {@link FakeLambda} answers to one verified Invoke call: a response shaped like AWS's,
 * optionally after a delay, or a broken connection instead of a response.
 *
 * <p>Immutable; {@code with...} methods return copies. Every response also gets an {@code
 * x-amzn-RequestId} unless the reply sets one.
 */
public final class LambdaReply {

  /** What happens on the wire. */
  public enum Kind {
    /** Status, headers and body are sent. */
    RESPOND,
    /** Nothing is sent; the connection is closed (FIN) once the delay has passed. */
    HANG,
    /** The connection is reset (TCP RST, SO_LINGER 0) once the delay has passed; nothing is sent. */
    RESET,
    /** A response-streaming answer: 200 and event-stream frames written one by one as {@link Stream} says. */
    STREAM
  }

  /**
   * How a streamed answer is written: each frame flushed on its own, {@code interval} apart; the
   * frames from {@code gateIndex} on wait for {@code gate}, so a test can show the first bytes
   * reached the client while the fixture still held the rest.
   */
  public record Stream(String contentType, List<byte[]> frames, Duration interval, int gateIndex, CompletableFuture<Void> gate) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Kind kind;
  private final int status;
  private final Headers headers;
  private final byte[] body;
  private final Duration delay;
  private final Stream stream;

  private LambdaReply(Kind kind, int status, Headers headers, byte[] body, Duration delay) {
    this(kind, status, headers, body, delay, null);
  }

  private LambdaReply(Kind kind, int status, Headers headers, byte[] body, Duration delay, Stream stream) {
    this.kind = kind;
    this.status = status;
    this.headers = headers;
    this.body = body;
    this.stream = stream;
    this.delay = delay;
  }

  /**
   * A response-streaming answer (InvokeWithResponseStream): 200 with {@code Content-Type:
   * contentType} (the function's stream content type, as Lambda sends it) and the frames, each
   * written and flushed on its own, {@code interval} apart.
   */
  public static LambdaReply stream(String contentType, List<byte[]> frames, Duration interval) {
    return gatedStream(contentType, frames, interval, frames.size(), CompletableFuture.completedFuture(null));
  }

  /** Like {@link #stream}, but the frames from {@code gateIndex} on are only written once {@code gate} completes. */
  public static LambdaReply gatedStream(String contentType, List<byte[]> frames, Duration interval, int gateIndex,
      CompletableFuture<Void> gate) {
    Headers headers = Headers.builder().add("Content-Type", contentType).add("X-Amz-Executed-Version", "$LATEST").build();
    return new LambdaReply(Kind.STREAM, 200, headers, new byte[0], Duration.ZERO,
        new Stream(contentType, List.copyOf(frames), requireNonNegative(interval), gateIndex, gate));
  }

  /** How a streamed answer is written; null for other kinds. */
  Stream streamPlan() {
    return stream;
  }

  /** 200 with {@code rawJson} as the body, byte for byte, like a function that returned it. */
  public static LambdaReply json(String rawJson) {
    Objects.requireNonNull(rawJson, "rawJson");
    return bytes(rawJson.getBytes(StandardCharsets.UTF_8));
  }

  /** 200 with {@code body} as is, for function output that is not valid UTF-8 or not JSON. */
  public static LambdaReply bytes(byte[] body) {
    Objects.requireNonNull(body, "body");
    Headers headers = Headers.builder()
        .add("Content-Type", "application/json")
        .add("X-Amz-Executed-Version", "$LATEST")
        .build();
    return new LambdaReply(Kind.RESPOND, 200, headers, body.clone(), Duration.ZERO);
  }

  /**
   * 200 with {@code X-Amz-Function-Error}: the function ran and failed, as Lambda reports it.
   *
   * @param kind {@code "Unhandled"} (the function threw) or {@code "Handled"}
   */
  public static LambdaReply functionError(String kind, String errorType, String errorMessage) {
    if (!"Unhandled".equals(kind) && !"Handled".equals(kind)) {
      throw new IllegalArgumentException("kind must be \"Unhandled\" or \"Handled\", got " + kind);
    }
    ObjectNode error = JSON.createObjectNode();
    error.put("errorType", Objects.requireNonNull(errorType, "errorType"));
    error.put("errorMessage", Objects.requireNonNull(errorMessage, "errorMessage"));
    error.putArray("stackTrace").add("at x (file.js:1:1)");
    return json(error.toString()).withHeader("X-Amz-Function-Error", kind);
  }

  /**
   * An error of the Lambda API itself (the function did not run): {@code x-amzn-ErrorType:
   * errorType} and a body {@code {"Type":"User"|"Service","message":...}} (Service for 5xx). A 429
   * carries {@code Retry-After: 1}, as Lambda's throttling answers do; override it with {@link
   * #withHeader}.
   */
  public static LambdaReply apiError(int status, String errorType, String message) {
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("status of an API error must be 4xx or 5xx, got " + status);
    }
    ObjectNode error = JSON.createObjectNode();
    error.put("Type", status >= 500 ? "Service" : "User");
    error.put("message", Objects.requireNonNull(message, "message"));
    Headers.Builder headers = Headers.builder()
        .add("Content-Type", "application/json")
        .add("x-amzn-ErrorType", Objects.requireNonNull(errorType, "errorType"));
    if (status == 429) {
      headers.add("Retry-After", "1");
    }
    return new LambdaReply(Kind.RESPOND, status, headers.build(),
        error.toString().getBytes(StandardCharsets.UTF_8), Duration.ZERO);
  }

  /** 429 TooManyRequestsException ("Rate Exceeded."), with {@code Retry-After} in whole seconds. */
  public static LambdaReply throttled(Duration retryAfter) {
    return apiError(429, AwsErrors.TOO_MANY_REQUESTS, "Rate Exceeded.")
        .withHeader("Retry-After", Long.toString(retryAfter.toSeconds()));
  }

  /**
   * An authentication error as the AWS front end sends it: body {@code {"message":...}} and the
   * error name followed by {@link AwsErrors#CORAL_SUFFIX}.
   */
  static LambdaReply authError(int status, String errorType, String message) {
    ObjectNode error = JSON.createObjectNode();
    error.put("message", message);
    Headers headers = Headers.builder()
        .add("Content-Type", "application/json")
        .add("x-amzn-ErrorType", errorType + AwsErrors.CORAL_SUFFIX)
        .build();
    return new LambdaReply(Kind.RESPOND, status, headers, error.toString().getBytes(StandardCharsets.UTF_8),
        Duration.ZERO);
  }

  /** {@code reply}, sent after {@code delay} without holding a server thread meanwhile. */
  public static LambdaReply delayed(Duration delay, LambdaReply reply) {
    return reply.delayedBy(delay);
  }

  /** Sends nothing and closes the connection after {@code closeAfter}: a function that never answers. */
  public static LambdaReply hang(Duration closeAfter) {
    return new LambdaReply(Kind.HANG, 0, Headers.empty(), new byte[0], requireNonNegative(closeAfter));
  }

  /** Resets the TCP connection at once, before any response byte. */
  public static LambdaReply resetConnection() {
    return resetConnectionAfter(Duration.ZERO);
  }

  /** Resets the TCP connection after {@code delay}, before any response byte. */
  public static LambdaReply resetConnectionAfter(Duration delay) {
    return new LambdaReply(Kind.RESET, 0, Headers.empty(), new byte[0], requireNonNegative(delay));
  }

  /** A copy sent after {@code delay} (replacing any earlier delay). */
  public LambdaReply delayedBy(Duration delay) {
    return new LambdaReply(kind, status, headers, body, requireNonNegative(delay));
  }

  /** A copy whose {@code name} header is {@code value}, replacing earlier values of that name. */
  public LambdaReply withHeader(String name, String value) {
    requireResponse("withHeader");
    return new LambdaReply(kind, status, headers.with(name, value), body, delay);
  }

  /** A copy without header {@code name}, e.g. to test a client against a missing header. */
  public LambdaReply withoutHeader(String name) {
    requireResponse("withoutHeader");
    return new LambdaReply(kind, status, headers.without(name), body, delay);
  }

  /** A copy with another status, e.g. a 200 body under a 502. */
  public LambdaReply withStatus(int status) {
    requireResponse("withStatus");
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status must be 100..599, got " + status);
    }
    return new LambdaReply(kind, status, headers, body, delay);
  }

  public Kind kind() {
    return kind;
  }

  /** The HTTP status; 0 for {@link Kind#HANG} and {@link Kind#RESET}. */
  public int status() {
    return status;
  }

  public Headers headers() {
    return headers;
  }

  public byte[] body() {
    return body.clone();
  }

  public String bodyAsString() {
    return new String(body, StandardCharsets.UTF_8);
  }

  public Duration delay() {
    return delay;
  }

  /** The body without a copy, for the fixture's writer. */
  byte[] bodyBytes() {
    return body;
  }

  private void requireResponse(String method) {
    if (kind != Kind.RESPOND) {
      throw new IllegalStateException(method + " needs a reply that responds, this one is " + kind);
    }
  }

  private static Duration requireNonNegative(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative, got " + delay);
    }
    return delay;
  }

  @Override
  public String toString() {
    return kind == Kind.RESPOND
        ? "LambdaReply[" + status + " " + headers + " " + body.length + " bytes" + delayText() + "]"
        : "LambdaReply[" + kind + delayText() + "]";
  }

  private String delayText() {
    return delay.isZero() ? "" : " after " + delay;
  }
}

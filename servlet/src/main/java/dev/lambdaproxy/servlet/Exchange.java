package dev.lambdaproxy.servlet;

import dev.lambdaproxy.config.Settings;
import dev.lambdaproxy.credentials.AwsCredentials;
import dev.lambdaproxy.invoke.InvokeTarget;
import dev.lambdaproxy.route.FunctionTarget;
import dev.lambdaproxy.route.HttpEndpoint;
import dev.lambdaproxy.route.Route;
import dev.lambdaproxy.route.RouteMatch;
import java.util.Arrays;
import java.time.Duration;

/**
 * One client request on its way through the proxy, from routing to its last byte: the route it
 * matched, where its call goes, the credentials it is signed with, the function's answer as it
 * arrives, and what telemetry records of it. Confined to the request: its hooks run one after the
 * other, never at once.
 */
final class Exchange {

  /** Lambda answers a synchronous call with at most 6 MB; more than this is not Lambda talking. */
  static final int MAX_SERVER_RESPONSE_BYTES = 6 * 1024 * 1024 + 64 * 1024;

  final long startNanos;
  RouteMatch match;
  Route route;
  /** The settings in force when the request was routed: a reload does not change them under it. */
  Settings settings;
  /** The Invoke call of a Lambda route; null for an HTTP endpoint. */
  InvokeTarget invokeTarget;
  /** The credentials to sign with; null when the route does not sign. */
  AwsCredentials credentials;
  Duration timeout;
  /** Wall-clock time the request was routed, for events' requestTime. */
  long startMillis;

  /** Written by the thread that sends the call, read by the deadline's timer thread. */
  volatile long upstreamStartNanos = -1;
  long upstreamNanos = -1;
  long bytesReceived;
  long bytesSent;
  String errorKind;
  String lambdaRequestId;
  /** The decoder of a response-streaming answer, once Lambda said 200; null otherwise. */
  dev.lambdaproxy.invoke.stream.LambdaStreamDecoder streamDecoder;
  StreamedAnswer streamedAnswer;
  /** Cancels the deadline once the request is over; null until one is armed. */
  volatile Runnable cancelDeadline;
  private final java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();
  /** Claimed by whoever writes the proxy's own answer: a late answer (the deadline's, the cache's) finds it taken. */
  private final java.util.concurrent.atomic.AtomicBoolean answered = new java.util.concurrent.atomic.AtomicBoolean();
  private byte[] serverBody;
  private int serverBodyLength;

  Exchange(long startNanos) {
    this.startNanos = startNanos;
  }

  void routed(RouteMatch match, Settings settings, InvokeTarget invokeTarget, AwsCredentials credentials, Duration timeout,
      long startMillis) {
    this.startMillis = startMillis;
    this.match = match;
    this.route = match.route();
    this.settings = settings;
    this.invokeTarget = invokeTarget;
    this.credentials = credentials;
    this.timeout = timeout;
  }

  FunctionTarget function() {
    return route.function();
  }

  HttpEndpoint endpoint() {
    return route.endpoint();
  }

  /** True the first time only: a request is counted once, whichever way it ended. */
  boolean finish() {
    if (!finished.compareAndSet(false, true)) {
      return false;
    }
    Runnable cancel = cancelDeadline;
    if (cancel != null) {
      cancel.run();
    }
    return true;
  }

  boolean isFinished() {
    return finished.get();
  }

  boolean isAnswered() {
    return answered.get();
  }

  /** True for the one caller that may write the proxy's own answer; false once one has. */
  boolean claimAnswer() {
    return answered.compareAndSet(false, true);
  }

  /** Buffers a piece of the function's answer; false when the answer has grown past the limit. */
  boolean appendServerContent(byte[] buffer, int offset, int length, long declaredLength) {
    long needed = serverBodyLength + (long) length;
    if (needed > MAX_SERVER_RESPONSE_BYTES) {
      return false;
    }
    if (serverBody == null || needed > serverBody.length) {
      // Sized by the Content-Length Lambda sends, so a large answer is one array and serverBody()
      // hands it on without a copy; doubling (and a copy at the end) only when it sends none.
      long grown = serverBody == null ? (declaredLength > 0 ? declaredLength : 256) : serverBody.length * 2L;
      int capacity = (int) Math.min(MAX_SERVER_RESPONSE_BYTES, Math.max(needed, grown));
      serverBody = serverBody == null ? new byte[capacity] : Arrays.copyOf(serverBody, capacity);
    }
    System.arraycopy(buffer, offset, serverBody, serverBodyLength, length);
    serverBodyLength += length;
    return true;
  }

  /** The function's answer as received; the buffer itself when it is exactly full. */
  byte[] serverBody() {
    if (serverBody == null) {
      return new byte[0];
    }
    return serverBody.length == serverBodyLength ? serverBody : Arrays.copyOf(serverBody, serverBodyLength);
  }

  /** What the route calls, for logs: a function name or an endpoint URL with its {@code ${NAME}}s unexpanded. */
  String targetName() {
    return route == null ? "-" : route.target().display();
  }

  String routeName() {
    return route == null ? "none" : route.pattern();
  }
}

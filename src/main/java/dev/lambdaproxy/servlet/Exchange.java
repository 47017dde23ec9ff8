package dev.lambdaproxy.servlet;

import dev.lambdaproxy.credentials.AwsCredentials;
import dev.lambdaproxy.invoke.InvokeTarget;
import dev.lambdaproxy.route.FunctionTarget;
import dev.lambdaproxy.route.HttpEndpoint;
import dev.lambdaproxy.route.Route;
import dev.lambdaproxy.route.RouteMatch;
import java.io.ByteArrayOutputStream;
import java.time.Duration;

/**
 * One client request on its way through the proxy: the route it matched, where its call goes,
 * the credentials it is signed with, and (for a Lambda route) the function's answer as it arrives.
 */
final class Exchange {

  /** Lambda answers a synchronous call with at most 6 MB; more than this is not Lambda talking. */
  static final int MAX_SERVER_RESPONSE_BYTES = 6 * 1024 * 1024 + 64 * 1024;

  final RouteMatch match;
  final Route route;
  /** The Invoke call of a Lambda route; null for an HTTP endpoint. */
  final InvokeTarget invokeTarget;
  /** The credentials to sign with; null when the route does not sign. */
  final AwsCredentials credentials;
  final Duration timeout;
  final long startMillis;
  private ByteArrayOutputStream serverBody;

  Exchange(RouteMatch match, InvokeTarget invokeTarget, AwsCredentials credentials, Duration timeout, long startMillis) {
    this.match = match;
    this.route = match.route();
    this.invokeTarget = invokeTarget;
    this.credentials = credentials;
    this.timeout = timeout;
    this.startMillis = startMillis;
  }

  FunctionTarget function() {
    return route.function();
  }

  HttpEndpoint endpoint() {
    return route.endpoint();
  }

  /** Buffers a piece of the function's answer; false when the answer has grown past the limit. */
  boolean appendServerContent(byte[] buffer, int offset, int length) {
    if (serverBody == null) {
      serverBody = new ByteArrayOutputStream(Math.max(256, length));
    }
    if (serverBody.size() + (long) length > MAX_SERVER_RESPONSE_BYTES) {
      return false;
    }
    serverBody.write(buffer, offset, length);
    return true;
  }

  byte[] serverBody() {
    return serverBody == null ? new byte[0] : serverBody.toByteArray();
  }

  /** What the route calls, for messages: a function name or an endpoint URL. */
  String targetName() {
    return route.target().display();
  }
}

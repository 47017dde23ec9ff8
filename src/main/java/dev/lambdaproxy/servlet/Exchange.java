package dev.lambdaproxy.servlet;

import dev.lambdaproxy.credentials.AwsCredentials;
import dev.lambdaproxy.invoke.InvokeTarget;
import dev.lambdaproxy.route.Route;
import java.io.ByteArrayOutputStream;
import java.time.Duration;

/**
 * One client request on its way through the proxy: the route it matched, where its Invoke call
 * goes, the credentials it is signed with, and the function's answer as it arrives.
 */
final class Exchange {

  /** Lambda answers a synchronous call with at most 6 MB; more than this is not Lambda talking. */
  static final int MAX_SERVER_RESPONSE_BYTES = 6 * 1024 * 1024 + 64 * 1024;

  final Route route;
  final InvokeTarget target;
  final AwsCredentials credentials;
  final Duration timeout;
  private ByteArrayOutputStream serverBody;

  Exchange(Route route, InvokeTarget target, AwsCredentials credentials, Duration timeout) {
    this.route = route;
    this.target = target;
    this.credentials = credentials;
    this.timeout = timeout;
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

  String function() {
    return route.function().display();
  }
}

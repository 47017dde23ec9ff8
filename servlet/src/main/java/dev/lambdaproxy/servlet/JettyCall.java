package dev.lambdaproxy.servlet;

import dev.lambdaproxy.pipeline.ProxyRequest;
import dev.lambdaproxy.pipeline.Upstream;
import dev.lambdaproxy.pipeline.UpstreamFailure;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;

/**
 * One call through Jetty's client, for either road (buffered or streamed), and the one time it is
 * sent again: when it went out on a pooled connection that had already carried an answer and that
 * connection broke (EOF, reset, closed channel) before a byte of this answer came, the endpoint had
 * closed it while idle, so the call goes once more on a new connection, as Go's client and the AWS
 * SDKs do. A timeout, a new connection's failure, or one after the answer began is the answer.
 *
 * <p>The answer's listener hears the attempt that counts: its head, its content and its
 * {@code onComplete}; {@code onFailure} is not passed on (the failure is in the {@link Result}).
 */
final class JettyCall implements Response.Listener, Upstream.Call {

  private final JettyUpstream upstream;
  private final ProxyRequest proxyRequest;
  private final Response.Listener answerListener;
  private final long deadlineNanos;
  private volatile Request current;
  private volatile Throwable abortedBy;
  private volatile boolean resent;
  // Of the attempt under way: its connection, what that had carried when the request went out, whether the answer began.
  private volatile Connection connection;
  private volatile long answersBefore;
  private volatile long bytesInBefore;
  private volatile boolean answerBegun;

  JettyCall(JettyUpstream upstream, ProxyRequest proxyRequest, Response.Listener answerListener) {
    this.upstream = upstream;
    this.proxyRequest = proxyRequest;
    this.answerListener = answerListener;
    this.deadlineNanos = System.nanoTime() + proxyRequest.timeout().toNanos();
  }

  /** Sends the first attempt. */
  void send() {
    send(proxyRequest.timeout().toMillis());
  }

  private void send(long timeoutMillis) {
    Request request = upstream.newRequest(proxyRequest, timeoutMillis);
    connection = null;
    answerBegun = false;
    request.onRequestBegin(this::sentOn);
    current = request;
    Throwable why = abortedBy;
    if (why != null) {
      request.abort(why); // aborted while the attempt before was ending: this one fails at once
    }
    request.send(this);
  }

  /** Aborts whichever attempt is under way, and any that would follow. */
  @Override
  public void abort(Throwable why) {
    abortedBy = why;
    Request request = current;
    if (request != null) {
      request.abort(why);
    }
  }

  /** The request is on its connection and about to go out: what that connection had carried so far. */
  private void sentOn(Request request) {
    if (request.getConnection() instanceof Connection sentOn) {
      answersBefore = sentOn.getMessagesIn();
      bytesInBefore = sentOn.getBytesIn();
      connection = sentOn;
    }
  }

  @Override
  public void onBegin(Response serverResponse) {
    answerBegun = true;
    answerListener.onBegin(serverResponse);
  }

  @Override
  public boolean onHeader(Response serverResponse, HttpField field) {
    return answerListener.onHeader(serverResponse, field);
  }

  @Override
  public void onHeaders(Response serverResponse) {
    answerListener.onHeaders(serverResponse);
  }

  @Override
  public void onContentSource(Response serverResponse, Content.Source content) {
    answerListener.onContentSource(serverResponse, content);
  }

  @Override
  public void onSuccess(Response serverResponse) {
    answerListener.onSuccess(serverResponse);
  }

  @Override
  public void onComplete(Result result) {
    long timeoutMillis = proxyRequest.idleTimeout() ? proxyRequest.timeout().toMillis() : remainingMillis();
    if (result.isFailed() && timeoutMillis > 0 && resendable(result.getFailure())) {
      resent = true;
      upstream.resent();
      send(timeoutMillis);
      return;
    }
    answerListener.onComplete(result);
  }

  /** A pooled connection the endpoint had closed, and not a byte of the answer had come. */
  private boolean resendable(Throwable failure) {
    Connection brokenOn = connection;
    if (resent || answerBegun || abortedBy != null || brokenOn == null) {
      return false;
    }
    if (answersBefore == 0 || brokenOn.getBytesIn() != bytesInBefore) {
      return false; // a new connection, or the answer's first bytes had come (not yet a whole status line)
    }
    return JettyUpstream.translate(failure) instanceof UpstreamFailure upstreamFailure
        && upstreamFailure.kind() == UpstreamFailure.Kind.BROKEN;
  }

  private long remainingMillis() {
    return TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
  }
}

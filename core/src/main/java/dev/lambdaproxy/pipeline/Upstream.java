package dev.lambdaproxy.pipeline;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * Sends prepared calls over a pooled HTTP client: Jetty's {@code HttpClient} in the servlet world,
 * Netty in the jar's event loop. The pipeline decides what is sent; an upstream only moves bytes,
 * skips interim (1xx) answers, and reports failures as {@link UpstreamFailure}s.
 */
public interface Upstream {

  /** The most a buffered answer may take: Lambda answers a synchronous call with at most 6 MB. */
  int MAX_BUFFERED_ANSWER_BYTES = 6 * 1024 * 1024 + 64 * 1024;

  /**
   * Sends the call and gathers the whole answer.
   *
   * @return the answer, or failed with an {@link UpstreamFailure}; cancelling it aborts the call
   */
  CompletableFuture<ServerResponse> exchange(ProxyRequest request);

  /**
   * Sends the call and passes the answer on as it arrives: the head, then each piece of the body,
   * the next piece only once the listener has let go of the one before (backpressure).
   *
   * @return a handle that aborts the call
   */
  Call stream(ProxyRequest request, StreamListener listener);

  /** A call under way. */
  interface Call {
    /** Aborts the call; its listener then hears {@code why}, unless it has already ended. */
    void abort(Throwable why);
  }

  /** Hears a streamed answer. Called one at a time, never at once. */
  interface StreamListener {
    void onHead(ServerResponse head);

    /** A piece of the body; call {@code demand} when done with it to be given the next. */
    void onContent(ByteBuffer piece, Runnable demand);

    void onEnd();

    void onFailure(Throwable failure);
  }
}

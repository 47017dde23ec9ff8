package dev.lambdaproxy.eventloop;

import dev.lambdaproxy.invoke.event.Header;
import dev.lambdaproxy.pipeline.ProxyRequest;
import dev.lambdaproxy.pipeline.ServerResponse;
import dev.lambdaproxy.pipeline.Upstream;
import dev.lambdaproxy.pipeline.UpstreamFailure;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * A call whose answer is gathered whole: into one array sized by its Content-Length, handed on
 * without a copy; doubling, and one copy at the end, only when no length is declared. Past
 * {@link Upstream#MAX_BUFFERED_ANSWER_BYTES} the call fails and its connection is closed.
 */
final class UpstreamBufferedExchange extends UpstreamExchange {

  private static final byte[] EMPTY = new byte[0];

  private final Answer answer = new Answer();
  private int status;
  private List<Header> headers;
  private long declaredLength;
  private byte[] body;
  private int length;

  UpstreamBufferedExchange(NettyUpstream upstream, ProxyRequest request, UpstreamPools loopPools) {
    super(upstream, request, loopPools);
  }

  CompletableFuture<ServerResponse> answer() {
    return answer;
  }

  @Override
  void head(HttpResponse head) {
    status = head.status().code();
    headers = headersOf(head);
    declaredLength = HttpUtil.getContentLength(head, -1L);
    if (declaredLength > Upstream.MAX_BUFFERED_ANSWER_BYTES) {
      fail(tooLarge());
    }
  }

  @Override
  void content(HttpContent piece) {
    boolean fits;
    try {
      fits = append(piece.content());
    } finally {
      piece.release();
    }
    if (!fits) {
      fail(tooLarge());
    }
  }

  private boolean append(ByteBuf content) {
    int piece = content.readableBytes();
    long needed = length + (long) piece;
    if (needed > Upstream.MAX_BUFFERED_ANSWER_BYTES) {
      return false;
    }
    if (piece == 0) {
      return true;
    }
    if (body == null || needed > body.length) {
      long grown = body == null ? (declaredLength > 0 ? declaredLength : 256) : body.length * 2L;
      int capacity = (int) Math.min(Upstream.MAX_BUFFERED_ANSWER_BYTES, Math.max(needed, grown));
      body = body == null ? new byte[capacity] : Arrays.copyOf(body, capacity);
    }
    content.getBytes(content.readerIndex(), body, length, piece);
    length += piece;
    return true;
  }

  private static UpstreamFailure tooLarge() {
    return new UpstreamFailure(UpstreamFailure.Kind.TOO_LARGE, null, null);
  }

  @Override
  boolean wantsRead() {
    return true;
  }

  @Override
  boolean waitingOnEndpoint() {
    return true;
  }

  @Override
  void answerComplete() {
    byte[] whole = body == null ? EMPTY : body.length == length ? body : Arrays.copyOf(body, length);
    answer.complete(new ServerResponse(status, headers, whole));
  }

  @Override
  void failed(Throwable failure) {
    answer.completeExceptionally(failure);
  }

  /** The caller's future: cancelling it aborts the call and closes its connection. */
  private final class Answer extends CompletableFuture<ServerResponse> {
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      if (cancelled) {
        abort(new CancellationException("the answer is no longer wanted"));
      }
      return cancelled;
    }
  }
}

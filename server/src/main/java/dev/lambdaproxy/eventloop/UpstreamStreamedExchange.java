package dev.lambdaproxy.eventloop;

import dev.lambdaproxy.pipeline.ProxyRequest;
import dev.lambdaproxy.pipeline.ServerResponse;
import dev.lambdaproxy.pipeline.Upstream;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import java.util.ArrayDeque;

/**
 * A call whose answer is passed on as it arrives, with real backpressure: the connection reads
 * (auto-read is off) only once the listener has let go of every piece it was given, so what waits
 * here is at most what one read decoded, and the rest waits in the endpoint's socket.
 */
final class UpstreamStreamedExchange extends UpstreamExchange implements Upstream.Call {

  private static final byte[] EMPTY = new byte[0];

  private final Upstream.StreamListener listener;
  private final ArrayDeque<HttpContent> pieces = new ArrayDeque<>();
  private Demand held;
  private boolean ended;
  private boolean finished;
  private boolean delivering;

  UpstreamStreamedExchange(NettyUpstream upstream, ProxyRequest request, UpstreamPools loopPools,
      Upstream.StreamListener listener) {
    super(upstream, request, loopPools);
    this.listener = listener;
  }

  @Override
  void aborted(Throwable why) {
    if (isDone()) {
      // The endpoint has answered whole, but the listener has not heard all of it: it hears why instead.
      failed(NettyUpstream.translate(why));
    } else {
      super.aborted(why);
    }
  }

  @Override
  void head(HttpResponse head) {
    listener.onHead(new ServerResponse(head.status().code(), headersOf(head), EMPTY));
  }

  @Override
  void content(HttpContent piece) {
    if (finished || !piece.content().isReadable()) {
      piece.release();
    } else {
      pieces.addLast(piece);
    }
    deliver();
  }

  @Override
  boolean wantsRead() {
    return held == null && pieces.isEmpty();
  }

  @Override
  boolean waitingOnEndpoint() {
    return held == null && pieces.isEmpty();
  }

  @Override
  void answerComplete() {
    ended = true;
    deliver();
  }

  @Override
  void failed(Throwable failure) {
    HttpContent piece;
    while ((piece = pieces.pollFirst()) != null) {
      piece.release();
    }
    if (!finished) {
      finished = true;
      listener.onFailure(failure);
    }
  }

  /** Hands the listener the next piece once it has let go of the one before; reads on when none is left. */
  private void deliver() {
    if (delivering) {
      return; // a demand run from inside onContent: the loop below goes on
    }
    delivering = true;
    try {
      while (held == null && !finished) {
        HttpContent piece = pieces.pollFirst();
        if (piece == null) {
          if (ended) {
            finished = true;
            listener.onEnd();
          } else {
            readMore();
          }
          return;
        }
        held = new Demand(piece);
        listener.onContent(piece.content().nioBuffer(), held);
      }
    } finally {
      delivering = false;
    }
  }

  private void demanded(Demand demand) {
    if (demand.used) {
      return;
    }
    demand.used = true;
    demand.piece.release();
    if (held == demand) {
      held = null;
      deliver();
    }
  }

  /** The listener is done with one piece: run once, from any thread. */
  private final class Demand implements Runnable {
    final HttpContent piece;
    boolean used;

    Demand(HttpContent piece) {
      this.piece = piece;
    }

    @Override
    public void run() {
      if (loop.inEventLoop()) {
        demanded(this);
      } else {
        loop.execute(() -> demanded(this));
      }
    }
  }
}

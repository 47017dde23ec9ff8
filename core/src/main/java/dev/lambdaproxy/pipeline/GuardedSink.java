package dev.lambdaproxy.pipeline;

import dev.lambdaproxy.http.ClientAnswer;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The front end's sink, held to the rule that a request gets exactly one answer: the first of an
 * answer or a head wins, and whatever comes late (the deadline's 5xx after the function answered,
 * the function's answer after the deadline) is dropped here rather than written twice.
 */
final class GuardedSink implements ClientSink {

  private static final int OPEN = 0;
  private static final int STREAMING = 1;
  private static final int DONE = 2;

  private final ClientSink sink;
  private final Exchange exchange;
  private final AtomicInteger state = new AtomicInteger(OPEN);

  GuardedSink(ClientSink sink, Exchange exchange) {
    this.sink = sink;
    this.exchange = exchange;
  }

  /** Whether nothing has been answered yet. */
  boolean isOpen() {
    return state.get() == OPEN;
  }

  boolean isDone() {
    return state.get() == DONE;
  }

  /** Wins over nothing sent, or over a head that has not left yet (the front end resets it). */
  @Override
  public void answer(ClientAnswer answer) {
    if (state.compareAndSet(OPEN, DONE) || !sink.isCommitted() && state.compareAndSet(STREAMING, DONE)) {
      exchange.failedWith(answer.errorKind());
      exchange.bytesSent = answer.body().length;
      sink.answer(answer);
    }
  }

  @Override
  public void head(int status, List<ClientAnswer.Header> headers, String contentType) {
    if (state.compareAndSet(OPEN, STREAMING)) {
      sink.head(status, headers, contentType);
    }
  }

  @Override
  public void write(ByteBuffer piece, Written written) {
    if (state.get() == STREAMING) {
      sink.write(piece, written);
    }
  }

  @Override
  public void end() {
    if (state.compareAndSet(STREAMING, DONE)) {
      sink.end();
    }
  }

  @Override
  public void abort(Throwable why) {
    if (state.compareAndSet(STREAMING, DONE) || state.compareAndSet(OPEN, DONE)) {
      sink.abort(why);
    }
  }

  @Override
  public boolean isCommitted() {
    return state.get() == DONE || sink.isCommitted();
  }

  @Override
  public void resume(Runnable step) {
    sink.resume(step);
  }
}

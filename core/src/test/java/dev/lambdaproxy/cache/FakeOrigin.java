package dev.lambdaproxy.cache;

import dev.lambdaproxy.http.ClientAnswer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * The function behind the cache: counts its calls and answers each at once (by call number,
 * from 1) or, while held, leaves the calls pending until the test releases them.
 */
final class FakeOrigin implements Supplier<CompletableFuture<ClientAnswer>> {

  private final AtomicInteger calls = new AtomicInteger();
  private final List<CompletableFuture<ClientAnswer>> held = new ArrayList<>();
  private volatile IntFunction<ClientAnswer> answers;
  private volatile boolean holding;

  private FakeOrigin(IntFunction<ClientAnswer> answers) {
    this.answers = answers;
  }

  /** Every call answers this. */
  static FakeOrigin answering(ClientAnswer answer) {
    return new FakeOrigin(call -> answer);
  }

  /** Call n answers {@code answers.apply(n)}. */
  static FakeOrigin answering(IntFunction<ClientAnswer> answers) {
    return new FakeOrigin(answers);
  }

  /** Calls from now on stay pending until released. */
  FakeOrigin hold() {
    holding = true;
    return this;
  }

  /** Calls from now on answer at once again, with {@code answers}. */
  void answerAtOnce(IntFunction<ClientAnswer> answers) {
    this.answers = answers;
    holding = false;
  }

  void answerAtOnce(ClientAnswer answer) {
    answerAtOnce(call -> answer);
  }

  @Override
  public CompletableFuture<ClientAnswer> get() {
    int call = calls.incrementAndGet();
    if (holding) {
      CompletableFuture<ClientAnswer> pending = new CompletableFuture<>();
      synchronized (held) {
        held.add(pending);
      }
      return pending;
    }
    return CompletableFuture.completedFuture(answers.apply(call));
  }

  int calls() {
    return calls.get();
  }

  int pending() {
    synchronized (held) {
      return (int) held.stream().filter(f -> !f.isDone()).count();
    }
  }

  /** Completes every held call with {@code answer}. */
  void release(ClientAnswer answer) {
    for (CompletableFuture<ClientAnswer> pending : drain()) {
      pending.complete(answer);
    }
  }

  /** Fails every held call. */
  void fail(Throwable failure) {
    for (CompletableFuture<ClientAnswer> pending : drain()) {
      pending.completeExceptionally(failure);
    }
  }

  private List<CompletableFuture<ClientAnswer>> drain() {
    synchronized (held) {
      List<CompletableFuture<ClientAnswer>> pending = new ArrayList<>(held);
      held.clear();
      return pending;
    }
  }
}

package dev.lambdaproxy.credentials;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;

/** A source that answers from a script, one step per load, and counts the loads; the last step repeats. */
final class ScriptedSource implements CredentialSource {

  private final Deque<Supplier<Loaded>> steps = new ArrayDeque<>();
  private volatile int loads;

  synchronized ScriptedSource then(Loaded loaded) {
    steps.addLast(() -> loaded);
    return this;
  }

  synchronized ScriptedSource thenFail(String message) {
    steps.addLast(() -> {
      throw new CredentialsUnavailableException(message);
    });
    return this;
  }

  int loads() {
    return loads;
  }

  @Override
  public String name() {
    return "scripted";
  }

  @Override
  public synchronized Loaded load() {
    loads++;
    Supplier<Loaded> step = steps.size() > 1 ? steps.removeFirst() : steps.getFirst();
    return step.get();
  }
}

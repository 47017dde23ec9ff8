package dev.lambdaproxy.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/** Keeps background work until the test runs it, so a test sees how many tasks there were. */
final class RecordingExecutor implements Executor {

  private final List<Runnable> tasks = new ArrayList<>();
  private int submitted;

  @Override
  public synchronized void execute(Runnable task) {
    tasks.add(task);
    submitted++;
  }

  synchronized int submitted() {
    return submitted;
  }

  void runAll() {
    List<Runnable> toRun;
    synchronized (this) {
      toRun = new ArrayList<>(tasks);
      tasks.clear();
    }
    toRun.forEach(Runnable::run);
  }
}

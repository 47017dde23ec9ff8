package dev.lambdaproxy.route;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the conf folder and calls back when one of its files changes. Editors save in bursts
 * (truncate, write, rename), so events are gathered until the folder is quiet for a moment and
 * then reported once.
 */
public final class ConfigWatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);
  /** Long enough for an editor's or a tool's truncate-write-rename to end, short enough that a save still feels immediate. */
  static final long QUIET_MILLIS = 300;

  private final WatchService watchService;
  private final Thread thread;

  private ConfigWatcher(WatchService watchService, Thread thread) {
    this.watchService = watchService;
    this.thread = thread;
  }

  /**
   * Starts watching {@code dir} for changes to the named files.
   *
   * @param onChange called on the watcher's own thread, once per burst of changes
   */
  public static ConfigWatcher start(Path dir, Set<String> fileNames, Runnable onChange) throws IOException {
    Objects.requireNonNull(onChange, "onChange");
    WatchService watchService = FileSystems.getDefault().newWatchService();
    dir.register(watchService, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
        StandardWatchEventKinds.ENTRY_DELETE);
    Thread thread = new Thread(() -> run(watchService, fileNames, onChange), "lambda-proxy-conf-watcher");
    thread.setDaemon(true);
    thread.start();
    return new ConfigWatcher(watchService, thread);
  }

  private static void run(WatchService watchService, Set<String> fileNames, Runnable onChange) {
    try {
      while (true) {
        WatchKey key = watchService.take();
        boolean relevant = drain(key, fileNames);
        // Wait for the burst to end: keep draining until nothing comes for QUIET_MILLIS.
        for (WatchKey more = watchService.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS); more != null;
            more = watchService.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS)) {
          relevant |= drain(more, fileNames);
        }
        if (relevant) {
          try {
            onChange.run();
          } catch (RuntimeException e) {
            LOG.warn("reloading after a change to the conf folder failed", e);
          }
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closed: stop watching
    }
  }

  private static boolean drain(WatchKey key, Set<String> fileNames) {
    boolean relevant = false;
    for (WatchEvent<?> event : key.pollEvents()) {
      // An overflow lost events: any of ours may have changed.
      relevant |= event.kind() == StandardWatchEventKinds.OVERFLOW
          || event.context() instanceof Path changed && fileNames.contains(changed.getFileName().toString());
    }
    key.reset();
    return relevant;
  }

  @Override
  public void close() {
    try {
      watchService.close();
    } catch (IOException e) {
      LOG.debug("closing the conf watcher", e);
    }
    thread.interrupt();
    try {
      // A container that stops a webapp checks for its threads right after; the watcher ends within a poll.
      if (Thread.currentThread() != thread) {
        thread.join(2_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

package dev.lambdaproxy.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watcher on a real folder: a burst of writes is one change, reported once the file has settled. */
class ConfigWatcherTest {

  @TempDir
  Path dir;

  @Test
  void aBurstOfWritesIsReportedOnceWithTheFileAsItSettled() throws Exception {
    Path file = dir.resolve(RouteTable.FILE_NAME);
    Files.writeString(file, "/a = start\n");
    List<String> seen = new CopyOnWriteArrayList<>();
    try (ConfigWatcher watcher = ConfigWatcher.start(dir, Set.of(RouteTable.FILE_NAME), () -> seen.add(read(file)))) {
      // An editor's save: truncate, then write in pieces, each well inside the settle time.
      Files.write(file, new byte[0]);
      for (int i = 1; i <= 5; i++) {
        Thread.sleep(ConfigWatcher.QUIET_MILLIS / 10);
        Files.writeString(file, "/a = piece" + i + "\n");
      }
      awaitSeen(seen, "/a = piece5\n");
      Files.writeString(file, "/a = later\n");
      awaitSeen(seen, "/a = later\n");
      assertEquals(List.of("/a = piece5\n", "/a = later\n"), seen, "one report per burst, none of a half-written file");
    }
  }

  private static void awaitSeen(List<String> seen, String content) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!seen.contains(content)) {
      if (System.nanoTime() > deadline) {
        fail("the watcher never reported '" + content.strip() + "'; it reported " + seen);
      }
      Thread.sleep(20);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

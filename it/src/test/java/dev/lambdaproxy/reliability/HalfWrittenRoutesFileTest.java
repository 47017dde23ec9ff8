package dev.lambdaproxy.reliability;

import static dev.lambdaproxy.reliability.Fixtures.KEY;
import static dev.lambdaproxy.reliability.Fixtures.SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ch.qos.logback.classic.Level;
import dev.lambdaproxy.testing.FakeLambda;
import dev.lambdaproxy.testing.Handlers;
import dev.lambdaproxy.testing.ProxyHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The watched routes file is emptied for a moment, as {@code : > routes.properties}, a non-atomic
 * editor or a config tool does: the proxy keeps the table it has instead of answering 404 to all.
 */
class HalfWrittenRoutesFileTest {

  @Test
  void aRoutesFileEmptiedForAMomentIsNotSwappedInByTheWatcher() throws Exception {
    try (FakeLambda lambda = FakeLambda.builder().credentials(KEY, SECRET).function("echo", Handlers.returning("\"one\"")).start();
        LogCapture logs = LogCapture.start(Level.INFO);
        ProxyHarness proxy = ProxyHarness.builder().lambda(lambda, KEY, SECRET).routes("/a = echo\n").watch().start()) {
      Path routes = proxy.confDir().resolve("routes.properties");
      Files.write(routes, new byte[0]);
      String refused = awaitLine(logs, "configuration not reloaded");
      assertTrue(refused.startsWith("WARN ") && refused.contains("routes.properties in " + proxy.confDir().toAbsolutePath().normalize()
          + " has no routes"), refused);
      assertEquals(200, proxy.get("/a").statusCode(), "the old table stays");

      Files.writeString(routes, "/a = echo\n/b = echo\n");
      awaitLine(logs, "configuration reloaded: 2 routes");
      assertEquals(200, proxy.get("/b").statusCode(), "the watcher goes on reloading");
    }
  }

  private static String awaitLine(LogCapture logs, String part) {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (true) {
      for (String line : logs.lines()) {
        if (line.contains(part)) {
          return line;
        }
      }
      if (System.nanoTime() > deadline) {
        fail("no log line with '" + part + "' in:\n" + logs.text());
      }
      Fixtures.sleep(20);
    }
  }
}

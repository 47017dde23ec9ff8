package dev.lambdaproxy.reliability;

import ch.qos.logback.classic.Level;
import dev.lambdaproxy.config.ServerOptions;
import dev.lambdaproxy.runtime.Telemetry;
import dev.lambdaproxy.testing.ProxyHarness;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@link BoundedAnswersContract} against the jar's servlet engine (embedded Jetty), with its access log. */
class BoundedAnswersJarIT extends BoundedAnswersContract {

  /** The jar's engine under test; the event-loop subclass says its own. */
  ServerOptions.Engine engine() {
    return ServerOptions.Engine.SERVLET;
  }

  @Override
  Running start(Path confDir, Path workDir) throws Exception {
    LogCapture log = LogCapture.start(Level.INFO);
    // The test configuration keeps access lines quiet; these tests read them.
    ch.qos.logback.classic.Logger access = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(Telemetry.ACCESS_LOGGER);
    Level accessLevel = access.getLevel();
    access.setLevel(Level.INFO);
    ProxyHarness harness = ProxyHarness.builder()
        .routes(Files.readString(confDir.resolve("routes.properties")))
        .settings(Files.readString(confDir.resolve("lambda-proxy.properties")))
        .env("AWS_ACCESS_KEY_ID", KEY)
        .env("AWS_SECRET_ACCESS_KEY", SECRET)
        .engine(engine())
        .start();
    return new Running() {
      @Override
      public URI uri(String pathAndQuery) {
        return harness.uri(pathAndQuery);
      }

      @Override
      public List<String> accessLog() {
        return log.lines().stream().filter(line -> line.contains(Telemetry.ACCESS_LOGGER)).toList();
      }

      @Override
      public void close() throws Exception {
        try {
          harness.close();
        } finally {
          log.close();
          access.setLevel(accessLevel);
        }
      }
    };
  }
}

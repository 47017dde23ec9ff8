package dev.lambdaproxy.war;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The built WAR deployed into a real container, for suites outside this package that run against
 * every front end: the same deployment {@link WarInTomcatIT} and {@link WarInJettyIT} make, with
 * the conf folder handed over by the context-param. Credentials come from the JVM's system
 * properties ({@code aws.accessKeyId}...), read when the webapp starts.
 */
public final class Wars {

  /** A deployed WAR. */
  public interface Deployed extends AutoCloseable {
    /** {@code http://127.0.0.1:PORT/lambda-proxy}: where route {@code /x} is served as {@code base + "/x"}. */
    URI base();

    @Override
    void close() throws Exception;
  }

  private Wars() {}

  public static Deployed inTomcat(Path confDir, Path workDir) throws Exception {
    return deploy(new WarInTomcatIT(), confDir, workDir);
  }

  public static Deployed inJetty(Path confDir, Path workDir) throws Exception {
    return deploy(new WarInJettyIT(), confDir, workDir);
  }

  private static Deployed deploy(DeployedWarContract container, Path confDir, Path workDir) throws Exception {
    // The WAR's own SLF4J binds while the container starts the webapp; the slf4j.provider that the
    // pom sets for the test classpath names a provider the WAR rightly lacks.
    String slf4jProvider = System.clearProperty("slf4j.provider");
    try {
      return wrap(container.deploy(warFile(), confDir, Files.createDirectories(workDir)));
    } finally {
      if (slf4jProvider != null) {
        System.setProperty("slf4j.provider", slf4jProvider);
      }
    }
  }

  private static Path warFile() {
    Path warFile = Path.of(System.getProperty("lambda-proxy.war", "target/lambda-proxy.war")).toAbsolutePath();
    if (!Files.isRegularFile(warFile)) {
      throw new IllegalStateException(warFile + " not found: run `mvn -B verify`, which builds the WAR before this test");
    }
    return warFile;
  }

  private static Deployed wrap(DeployedWarContract.DeployedWar war) {
    URI base = URI.create(war.serverRoot() + DeployedWarContract.CONTEXT_PATH);
    return new Deployed() {
      @Override
      public URI base() {
        return base;
      }

      @Override
      public void close() throws Exception {
        war.stop();
      }
    };
  }
}

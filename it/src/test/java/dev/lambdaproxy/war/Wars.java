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
    return wrap(DeployedWarContract.deploy(Container.TOMCAT, warFile(), confDir, workDir));
  }

  public static Deployed inJetty(Path confDir, Path workDir) throws Exception {
    return wrap(DeployedWarContract.deploy(Container.JETTY, warFile(), confDir, workDir));
  }

  private static Path warFile() {
    Path warFile = Path.of(System.getProperty("lambda-proxy.war", "target/lambda-proxy.war")).toAbsolutePath();
    if (!Files.isRegularFile(warFile)) {
      throw new IllegalStateException(warFile + " not found: run `mvn -B verify`, which builds the WAR before this test");
    }
    return warFile;
  }

  private static Deployed wrap(Container.Webapp war) {
    URI base = URI.create(war.serverRoot() + DeployedWarContract.CONTEXT_PATH);
    return new Deployed() {
      @Override
      public URI base() {
        return base;
      }

      @Override
      public void close() throws Exception {
        war.close();
      }
    };
  }
}

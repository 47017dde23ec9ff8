package dev.lambdaproxy.reliability;

import dev.lambdaproxy.war.Wars;
import java.nio.file.Path;

/** {@link BoundedAnswersContract} against the built WAR in Jetty. */
class BoundedAnswersJettyIT extends BoundedAnswersContract {

  @Override
  Running start(Path confDir, Path workDir) throws Exception {
    return war(() -> Wars.inJetty(confDir, workDir));
  }
}

package dev.lambdaproxy.reliability;

import dev.lambdaproxy.war.Wars;
import java.nio.file.Path;

/** {@link BoundedAnswersContract} against the built WAR in Tomcat. */
class BoundedAnswersTomcatIT extends BoundedAnswersContract {

  @Override
  Running start(Path confDir, Path workDir) throws Exception {
    return war(() -> Wars.inTomcat(confDir, workDir));
  }
}

package dev.lambdaproxy.reliability;

import dev.lambdaproxy.war.Wars;
import java.net.URI;
import java.nio.file.Path;

/** {@link BoundedAnswersContract} against the built WAR in Tomcat. */
class BoundedAnswersTomcatIT extends BoundedAnswersContract {

  @Override
  Running start(Path confDir, Path workDir) throws Exception {
    Wars.Deployed war = WarCredentials.deployed(() -> Wars.inTomcat(confDir, workDir), KEY, SECRET);
    return new Running() {
      @Override
      public URI uri(String pathAndQuery) {
        return URI.create(war.base() + pathAndQuery);
      }

      @Override
      public void close() throws Exception {
        war.close();
      }
    };
  }
}

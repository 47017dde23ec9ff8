package dev.lambdaproxy.reliability;

import dev.lambdaproxy.war.Wars;
import java.util.List;
import java.util.concurrent.Callable;

/** The WAR reads its credentials from system properties: set for as long as it is deployed, restored when it stops. */
final class WarCredentials {

  private static final List<String> PROPERTIES = List.of("aws.accessKeyId", "aws.secretAccessKey", "aws.sessionToken");

  private WarCredentials() {}

  static Wars.Deployed deployed(Callable<Wars.Deployed> deploy, String accessKeyId, String secret) throws Exception {
    String[] saved = new String[PROPERTIES.size()];
    for (int i = 0; i < saved.length; i++) {
      saved[i] = System.getProperty(PROPERTIES.get(i));
    }
    System.setProperty("aws.accessKeyId", accessKeyId);
    System.setProperty("aws.secretAccessKey", secret);
    System.clearProperty("aws.sessionToken");
    Wars.Deployed war;
    try {
      war = deploy.call();
    } catch (Exception | Error e) {
      restore(saved);
      throw e;
    }
    return new Wars.Deployed() {
      @Override
      public java.net.URI base() {
        return war.base();
      }

      @Override
      public void close() throws Exception {
        try {
          war.close();
        } finally {
          restore(saved);
        }
      }
    };
  }

  private static void restore(String[] saved) {
    for (int i = 0; i < saved.length; i++) {
      if (saved[i] == null) {
        System.clearProperty(PROPERTIES.get(i));
      } else {
        System.setProperty(PROPERTIES.get(i), saved[i]);
      }
    }
  }
}

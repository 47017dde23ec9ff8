package dev.lambdaproxy.reliability;

import dev.lambdaproxy.war.AwsCredentialProperties;
import dev.lambdaproxy.war.Wars;
import java.net.URI;
import java.util.concurrent.Callable;

/** The WAR reads its credentials from system properties: set for as long as it is deployed, restored when it stops. */
final class WarCredentials {

  private WarCredentials() {}

  static Wars.Deployed deployed(Callable<Wars.Deployed> deploy, String accessKeyId, String secret) throws Exception {
    AwsCredentialProperties credentials = AwsCredentialProperties.set(accessKeyId, secret);
    Wars.Deployed war;
    try {
      war = deploy.call();
    } catch (Exception | Error e) {
      credentials.close();
      throw e;
    }
    return new Wars.Deployed() {
      @Override
      public URI base() {
        return war.base();
      }

      @Override
      public void close() throws Exception {
        try {
          war.close();
        } finally {
          credentials.close();
        }
      }
    };
  }
}

package dev.lambdaproxy.war;

import java.util.List;

/**
 * The credentials a webapp reads from the JVM's system properties ({@code aws.accessKeyId}...) when
 * it starts: set until {@link #close()}, which restores what was there before.
 */
public final class AwsCredentialProperties implements AutoCloseable {

  private static final List<String> PROPERTIES = List.of("aws.accessKeyId", "aws.secretAccessKey", "aws.sessionToken");

  private final String[] saved = new String[PROPERTIES.size()];

  private AwsCredentialProperties(String accessKeyId, String secretAccessKey) {
    for (int i = 0; i < saved.length; i++) {
      saved[i] = System.getProperty(PROPERTIES.get(i));
    }
    System.setProperty("aws.accessKeyId", accessKeyId);
    System.setProperty("aws.secretAccessKey", secretAccessKey);
    System.clearProperty("aws.sessionToken");
  }

  public static AwsCredentialProperties set(String accessKeyId, String secretAccessKey) {
    return new AwsCredentialProperties(accessKeyId, secretAccessKey);
  }

  @Override
  public void close() {
    for (int i = 0; i < saved.length; i++) {
      if (saved[i] == null) {
        System.clearProperty(PROPERTIES.get(i));
      } else {
        System.setProperty(PROPERTIES.get(i), saved[i]);
      }
    }
  }
}

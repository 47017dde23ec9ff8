package dev.lambdaproxy.credentials;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Credentials from Java system properties ({@code aws.accessKeyId}, {@code aws.secretAccessKey},
 * {@code aws.sessionToken}), else from the environment ({@code AWS_ACCESS_KEY_ID},
 * {@code AWS_SECRET_ACCESS_KEY}, {@code AWS_SESSION_TOKEN}), in the order the AWS SDKs read them.
 * Both are fixed for the life of the process, so they are read once.
 */
public final class EnvironmentCredentialsProvider implements CredentialsProvider {

  private final AwsCredentials credentials;
  private final String problem;

  public EnvironmentCredentialsProvider(Map<String, String> env, Properties systemProperties) {
    AwsCredentials found = null;
    String why = null;
    String propertyKey = systemProperties.getProperty("aws.accessKeyId");
    String propertySecret = systemProperties.getProperty("aws.secretAccessKey");
    if (notBlank(propertyKey) && notBlank(propertySecret)) {
      found = new AwsCredentials(propertyKey.strip(), propertySecret.strip(), systemProperties.getProperty("aws.sessionToken"));
    } else {
      List<String> missing = new ArrayList<>();
      String key = env.get("AWS_ACCESS_KEY_ID");
      String secret = env.get("AWS_SECRET_ACCESS_KEY");
      if (!notBlank(key)) {
        missing.add("AWS_ACCESS_KEY_ID");
      }
      if (!notBlank(secret)) {
        missing.add("AWS_SECRET_ACCESS_KEY");
      }
      if (missing.isEmpty()) {
        found = new AwsCredentials(key.strip(), secret.strip(), trimmed(env.get("AWS_SESSION_TOKEN")));
      } else {
        why = "set the environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN"
            + " for temporary credentials); missing: " + String.join(", ", missing);
      }
    }
    this.credentials = found;
    this.problem = why;
  }

  public static EnvironmentCredentialsProvider fromSystem() {
    return new EnvironmentCredentialsProvider(System.getenv(), System.getProperties());
  }

  @Override
  public AwsCredentials resolve() {
    if (credentials == null) {
      throw new CredentialsUnavailableException(problem);
    }
    return credentials;
  }

  private static boolean notBlank(String value) {
    return value != null && !value.isBlank();
  }

  private static String trimmed(String value) {
    return value == null ? null : value.strip();
  }

  @Override
  public String toString() {
    return "EnvironmentCredentialsProvider[" + (credentials == null ? "none" : credentials.toString()) + "]";
  }
}

package dev.lambdaproxy.credentials;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * The environment variables and Java system properties the AWS SDKs read, from the maps we are
 * given rather than the process's: a system property wins over its variable, as in the SDK.
 */
final class AwsEnvironment {

  private final Map<String, String> env;
  private final Properties systemProperties;

  AwsEnvironment(Map<String, String> env, Properties systemProperties) {
    this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
    Properties copy = new Properties();
    copy.putAll(Objects.requireNonNull(systemProperties, "systemProperties"));
    this.systemProperties = copy;
  }

  Map<String, String> env() {
    return env;
  }

  Properties systemProperties() {
    return systemProperties;
  }

  /** The system property {@code property}, else the variable {@code variable}; null when neither is set. */
  String get(String property, String variable) {
    String value = property == null ? null : systemProperties.getProperty(property);
    if (isBlank(value) && variable != null) {
      value = env.get(variable);
    }
    return isBlank(value) ? null : value.strip();
  }

  boolean isTrue(String property, String variable) {
    return "true".equalsIgnoreCase(get(property, variable));
  }

  /** The home folder, as the SDK finds it: HOME, USERPROFILE, HOMEDRIVE+HOMEPATH, then user.home. */
  Path home() {
    String home = get(null, "HOME");
    if (home == null) {
      home = get(null, "USERPROFILE");
    }
    if (home == null && get(null, "HOMEDRIVE") != null && get(null, "HOMEPATH") != null) {
      home = get(null, "HOMEDRIVE") + get(null, "HOMEPATH");
    }
    if (home == null) {
      home = get("user.home", null);
    }
    return home == null ? null : Path.of(home);
  }

  /** {@code ~/.aws/credentials}, or AWS_SHARED_CREDENTIALS_FILE; null without a home folder. */
  Path credentialsFile() {
    return awsFile("aws.sharedCredentialsFile", "AWS_SHARED_CREDENTIALS_FILE", "credentials");
  }

  /** {@code ~/.aws/config}, or AWS_CONFIG_FILE; null without a home folder. */
  Path configFile() {
    return awsFile("aws.configFile", "AWS_CONFIG_FILE", "config");
  }

  private Path awsFile(String property, String variable, String defaultName) {
    String set = get(property, variable);
    Path home = home();
    if (set != null) {
      if ((set.equals("~") || set.startsWith("~/") || set.startsWith("~\\")) && home != null) {
        return set.length() == 1 ? home : home.resolve(set.substring(2));
      }
      return Path.of(set);
    }
    return home == null ? null : home.resolve(".aws").resolve(defaultName);
  }

  /** The endpoint URL set for {@code service} (e.g. {@code STS}), else for every service; null when none is. */
  String endpointUrl(String service) {
    String specific = get("aws.endpointUrl" + capitalized(service), "AWS_ENDPOINT_URL_" + service.toUpperCase(java.util.Locale.ROOT));
    return specific != null ? specific : get("aws.endpointUrl", "AWS_ENDPOINT_URL");
  }

  private static String capitalized(String service) {
    String lower = service.toLowerCase(java.util.Locale.ROOT);
    return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}

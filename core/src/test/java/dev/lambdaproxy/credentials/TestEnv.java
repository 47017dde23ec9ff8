package dev.lambdaproxy.credentials;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * An environment and system properties for {@link CredentialsProviders}, isolated from the
 * machine's: HOME is a test folder, and EC2 instance metadata is off unless a test points it at a
 * local server (nothing here may reach 169.254.169.254).
 */
final class TestEnv {

  private final Map<String, String> env = new HashMap<>();
  private final Properties properties = new Properties();

  static TestEnv isolated(Path home) {
    return new TestEnv().set("HOME", home.toString()).set("AWS_EC2_METADATA_DISABLED", "true");
  }

  TestEnv set(String name, String value) {
    if (value == null) {
      env.remove(name);
    } else {
      env.put(name, value);
    }
    return this;
  }

  TestEnv property(String name, String value) {
    properties.setProperty(name, value);
    return this;
  }

  /** Points EC2 instance metadata at {@code endpoint}, turning it on. */
  TestEnv imds(String endpoint) {
    return set("AWS_EC2_METADATA_DISABLED", null).set("AWS_EC2_METADATA_SERVICE_ENDPOINT", endpoint);
  }

  Map<String, String> env() {
    return env;
  }

  CredentialsProviders providers(CredentialSettings settings) {
    return CredentialsProviders.fromSettings(settings, env, properties);
  }

  CredentialsProviders providers(CredentialSettings settings, Clock clock) {
    return CredentialsProviders.fromSettings(settings, env, properties, clock);
  }

  CredentialsProviders providers(CredentialSettings settings, Clock clock, AwsSdkCredentialsProvider.Timing timing) {
    return new CredentialsProviders(settings, new AwsEnvironment(env, properties), clock, timing);
  }
}

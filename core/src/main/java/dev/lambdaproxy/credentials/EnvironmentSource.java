package dev.lambdaproxy.credentials;

import java.util.ArrayList;
import java.util.List;

/** Keys in the system properties {@code aws.accessKeyId}/... or the variables {@code AWS_ACCESS_KEY_ID}/.... */
final class EnvironmentSource implements CredentialSource {

  static final String NAME = "environment";

  private final AwsEnvironment environment;
  private final EnvironmentCredentialsProvider provider;

  EnvironmentSource(AwsEnvironment environment) {
    this.environment = environment;
    this.provider = new EnvironmentCredentialsProvider(environment.env(), environment.systemProperties());
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Loaded load() {
    try {
      boolean fromProperties = environment.get("aws.accessKeyId", null) != null
          && environment.get("aws.secretAccessKey", null) != null;
      return new Loaded(provider.resolve(), null,
          fromProperties ? "system properties aws.accessKeyId and aws.secretAccessKey" : "environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
    } catch (CredentialsUnavailableException e) {
      List<String> missing = new ArrayList<>();
      for (String variable : List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")) {
        if (environment.get(null, variable) == null) {
          missing.add(variable);
        }
      }
      throw new CredentialsUnavailableException(NAME + ": " + String.join(" and ", missing) + " not set");
    }
  }

  @Override
  public String toString() {
    return "EnvironmentSource";
  }
}

package dev.lambdaproxy.config;

/**
 * A configuration problem a person must fix, with a message that names where it is, e.g.
 * {@code routes.properties:7: unknown option 'evnt' (did you mean 'event'?)}.
 */
public final class ConfigException extends RuntimeException {

  public ConfigException(String message) {
    super(message, null, false, false);
  }

  /** A problem on one line of a file; {@code fileName} is the short name shown to the operator. */
  public static ConfigException at(String fileName, int line, String problem) {
    return new ConfigException(fileName + ":" + line + ": " + problem);
  }
}

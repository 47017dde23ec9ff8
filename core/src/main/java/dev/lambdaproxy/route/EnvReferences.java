package dev.lambdaproxy.route;

import dev.lambdaproxy.config.EnvExpansion;
import java.util.Map;

/** {@code ${NAME}} references to environment variables in configuration values, so no secret needs to live in a file. */
public final class EnvReferences {

  private EnvReferences() {}

  /**
   * Puts the reference back wherever {@code text} shows the value of a {@code ${NAME}} of {@code raw}
   * (values shorter than 3 characters are left alone: they cannot be told from other text).
   */
  static String redact(String text, String raw, Map<String, String> env) {
    String redacted = text;
    for (int start = raw.indexOf("${"); start >= 0; start = raw.indexOf("${", start + 2)) {
      int end = raw.indexOf('}', start + 2);
      if (end < 0) {
        break;
      }
      String name = raw.substring(start + 2, end);
      String value = env.get(name);
      if (value != null && value.length() >= 3) {
        redacted = redacted.replace(value, "${" + name + "}");
      }
    }
    return redacted;
  }

  /**
   * Replaces every {@code ${NAME}} in {@code value}.
   *
   * @throws IllegalArgumentException naming a variable that is not set, or a reference left open
   */
  public static String expand(String value, Map<String, String> env) {
    return EnvExpansion.expand(value, env);
  }
}

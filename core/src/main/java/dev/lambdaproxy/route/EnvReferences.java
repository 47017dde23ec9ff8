package dev.lambdaproxy.route;

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
    int start = value.indexOf("${");
    if (start < 0) {
      return value;
    }
    StringBuilder out = new StringBuilder(value.length());
    int from = 0;
    while (start >= 0) {
      int end = value.indexOf('}', start + 2);
      if (end < 0) {
        throw new IllegalArgumentException("'${' without a closing '}'");
      }
      String name = value.substring(start + 2, end);
      if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new IllegalArgumentException("'${" + name + "}' is not an environment variable name");
      }
      String replacement = env.get(name);
      if (replacement == null) {
        throw new IllegalArgumentException("environment variable " + name + " is not set");
      }
      out.append(value, from, start).append(replacement);
      from = end + 1;
      start = value.indexOf("${", from);
    }
    return out.append(value, from, value.length()).toString();
  }
}

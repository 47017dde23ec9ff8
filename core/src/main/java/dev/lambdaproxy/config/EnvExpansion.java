package dev.lambdaproxy.config;

import java.util.Map;

/**
 * {@code ${NAME}} in a configuration value, replaced by the environment variable {@code NAME}: so
 * that no secret (an API key) and nothing known only at deployment (a user pool's id) needs to be
 * written in a file.
 */
public final class EnvExpansion {

  private EnvExpansion() {}

  /**
   * Replaces every {@code ${NAME}} in {@code value}.
   *
   * @throws IllegalArgumentException naming a variable that is not set, or a reference left open
   */
  public static String expand(String value, Map<String, String> env) {
    return expand(value, env, true);
  }

  /**
   * Replaces each {@code ${NAME}} whose variable is set, and leaves the others as written: for
   * settings whose own reader says what an unset one means (an API key's value names it).
   */
  public static String expandSet(String value, Map<String, String> env) {
    return expand(value, env, false);
  }

  /** One scan for both rules: {@code strict} refuses what {@link #expandSet} leaves as written. */
  private static String expand(String value, Map<String, String> env, boolean strict) {
    int start = value.indexOf("${");
    if (start < 0) {
      return value;
    }
    StringBuilder out = new StringBuilder(value.length());
    int from = 0;
    while (start >= 0) {
      int end = value.indexOf('}', start + 2);
      if (end < 0) {
        if (strict) {
          throw new IllegalArgumentException("'${' without a closing '}'");
        }
        break;
      }
      String name = value.substring(start + 2, end);
      if (strict && !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new IllegalArgumentException("'${" + name + "}' is not an environment variable name");
      }
      String replacement = env.get(name);
      if (replacement == null && strict) {
        throw new IllegalArgumentException("environment variable " + name + " is not set");
      }
      out.append(value, from, start).append(replacement != null ? replacement : value.substring(start, end + 1));
      from = end + 1;
      start = value.indexOf("${", from);
    }
    return out.append(value, from, value.length()).toString();
  }
}

package dev.lambdaproxy.config;

import java.io.IOException;
import java.io.Reader;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The settings as given, merged in their order of precedence: command line, then environment,
 * then {@code lambda-proxy.properties}, then the default. Each value remembers where it came from,
 * so an error names the flag, the variable or the file and line.
 *
 * <p>Every setting {@code some-key} can be given as {@code --some-key VALUE}, as
 * {@code LAMBDA_PROXY_SOME_KEY}, or as {@code some-key = VALUE} in the file. A few also read the
 * AWS variables every AWS tool reads ({@link #AWS_ALIASES}), after the {@code LAMBDA_PROXY_} one.
 */
public final class ConfigValues {

  /** A value and where it came from: {@code --timeout-ms}, {@code LAMBDA_PROXY_TIMEOUT_MS} or {@code lambda-proxy.properties:3}. */
  public record Value(String key, String text, String origin) {}

  /** Environment variables of the AWS tools that set a setting, in their own order of precedence. */
  static final Map<String, List<String>> AWS_ALIASES = Map.of(
      "region", List.of("AWS_REGION", "AWS_DEFAULT_REGION"),
      "endpoint", List.of("AWS_ENDPOINT_URL_LAMBDA", "AWS_ENDPOINT_URL"),
      "profile", List.of("AWS_PROFILE"));

  /**
   * The front door's sections (issue 15): keys under these prefixes name things the operator
   * chooses ({@code authorizer.users.issuer}), so they are not in a fixed list; each section's
   * reader checks its own keys and names the line of one it does not know. In their values,
   * {@code ${NAME}} is the environment variable {@code NAME} when it is set.
   */
  public static final List<String> SECTIONS = List.of("cors.", "authorizer.", "usage-plan.", "api-key.", "tracing.");

  private final Map<String, Value> values;

  private ConfigValues(Map<String, Value> values) {
    this.values = Map.copyOf(values);
  }

  public static ConfigValues empty() {
    return new ConfigValues(Map.of());
  }

  /**
   * Merges the three sources.
   *
   * @param file the settings file, or null when there is none
   * @param env the environment
   * @param cli the settings given on the command line, by key
   * @param knownKeys every key a setting may have
   * @throws ConfigException for an unknown key or a key set twice in the file
   */
  public static ConfigValues load(String fileName, Reader file, Map<String, String> env, Map<String, String> cli,
      Set<String> knownKeys) throws IOException {
    Map<String, Value> merged = new HashMap<>();
    if (file != null) {
      Map<String, ConfigLine> seen = new LinkedHashMap<>();
      for (ConfigLine line : ConfigLine.read(fileName, file)) {
        String key = line.key().toLowerCase(Locale.ROOT);
        if (!knownKeys.contains(key) && section(key) == null) {
          throw line.error("unknown setting '" + line.key() + "'" + Suggestions.didYouMean(key, knownKeys));
        }
        ConfigLine first = seen.putIfAbsent(key, line);
        if (first != null) {
          throw line.error("setting '" + key + "' is already set on line " + first.number());
        }
        // As in routes.properties: a pool id known only once deployed, an API key's value, come from the environment;
        // one not set stays as written, for the section's reader to say what is wrong with it.
        String text = section(key) != null ? EnvExpansion.expandSet(line.value(), env) : line.value();
        merged.put(key, new Value(key, text, fileName + ":" + line.number()));
      }
    }
    for (String key : knownKeys) {
      List<String> aliases = AWS_ALIASES.getOrDefault(key, List.of());
      for (int i = aliases.size() - 1; i >= 0; i--) { // the first alias wins, so it goes in last
        putIfGiven(merged, key, env.get(aliases.get(i)), "environment " + aliases.get(i));
      }
      String name = environmentName(key);
      putIfGiven(merged, key, env.get(name), "environment " + name);
    }
    for (Map.Entry<String, String> flag : cli.entrySet()) {
      if (!knownKeys.contains(flag.getKey())) {
        throw new ConfigException("unknown option '--" + flag.getKey() + "'" + Suggestions.didYouMean(flag.getKey(), knownKeys)
            + "; see --help");
      }
      merged.put(flag.getKey(), new Value(flag.getKey(), flag.getValue(), "--" + flag.getKey()));
    }
    return new ConfigValues(merged);
  }

  /** The section a key belongs to ({@code "authorizer."}), or null. */
  static String section(String key) {
    for (String section : SECTIONS) {
      if (key.startsWith(section) && key.length() > section.length()) {
        return section;
      }
    }
    return null;
  }

  /** Every value whose key starts with {@code prefix} (one of {@link #SECTIONS}), by key, in key order. */
  public Map<String, Value> withPrefix(String prefix) {
    Map<String, Value> found = new java.util.TreeMap<>();
    values.forEach((key, value) -> {
      if (key.startsWith(prefix)) {
        found.put(key, value);
      }
    });
    return found;
  }

  private static void putIfGiven(Map<String, Value> merged, String key, String text, String origin) {
    if (text != null && !text.isBlank()) {
      merged.put(key, new Value(key, text.strip(), origin));
    }
  }

  /** {@code timeout-ms} is {@code LAMBDA_PROXY_TIMEOUT_MS}. */
  public static String environmentName(String key) {
    return "LAMBDA_PROXY_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  /**
   * The parsed value of a setting, or the fallback when none was given.
   *
   * @throws ConfigException naming where the bad value came from
   */
  public <T> T get(String key, Function<String, T> parser, T fallback) {
    Value value = values.get(key);
    if (value == null) {
      return fallback;
    }
    try {
      return parser.apply(value.text());
    } catch (IllegalArgumentException | ArithmeticException | ConfigException e) {
      throw new ConfigException(value.origin() + ": '" + key + "': " + e.getMessage());
    }
  }

  /** Where a setting came from, or null when it has its default. */
  public String origin(String key) {
    Value value = values.get(key);
    return value == null ? null : value.origin();
  }
}

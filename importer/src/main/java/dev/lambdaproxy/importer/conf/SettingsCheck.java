package dev.lambdaproxy.importer.conf;

import dev.lambdaproxy.authorizer.Authorizers;
import dev.lambdaproxy.config.ConfigException;
import dev.lambdaproxy.config.ConfigValues;
import dev.lambdaproxy.config.Settings;
import dev.lambdaproxy.frontdoor.ApiKeys;
import dev.lambdaproxy.frontdoor.CorsSettings;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks settings with the proxy's own readers before they are written, so that what the import
 * writes loads: each placeholder is given a stand-in value of the kind its place needs.
 */
final class SettingsCheck {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)\\}");

  private SettingsCheck() {}

  /** What the proxy says is wrong with CORS settings, or null. */
  static String cors(List<String> lines) {
    return check(lines, values -> CorsSettings.from(values));
  }

  /** What the proxy says is wrong with one authorizer's settings, or null. */
  static String authorizer(List<String> lines) {
    return check(lines, values -> Authorizers.from(values, Settings.from(values)));
  }

  /** What the proxy says is wrong with usage plans and API keys, or null. */
  static String apiKeys(List<String> lines) {
    Map<String, String> env = standIns(lines);
    return check(lines, values -> ApiKeys.from(values, env));
  }

  private interface Reader {
    void read(ConfigValues values);
  }

  private static String check(List<String> lines, Reader reader) {
    String text = String.join("\n", lines) + "\n";
    Map<String, String> env = standIns(lines);
    env.putIfAbsent("AWS_REGION", "us-east-1"); // the proxy's region, for authorizer functions named without an ARN
    try {
      reader.read(ConfigValues.load(Settings.FILE_NAME, new StringReader(text), env, Map.of(), Settings.allKeys()));
      return null;
    } catch (ConfigException e) {
      return e.getMessage().replaceFirst("^" + Pattern.quote(Settings.FILE_NAME) + ":\\d+: ", "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A value for each placeholder that fits where it stands: an issuer is https, an API key's value has API Gateway's 20 characters. */
  static Map<String, String> standIns(List<String> lines) {
    Map<String, String> env = new HashMap<>();
    for (String line : lines) {
      Matcher matcher = PLACEHOLDER.matcher(line);
      while (matcher.find()) {
        String name = matcher.group(1);
        String before = line.substring(0, matcher.start());
        String value;
        if (before.endsWith("issuer = ")) {
          value = "https://issuer.example.com";
        } else if (before.endsWith(".value = ")) {
          value = "stand-in-" + name.toLowerCase(Locale.ROOT) + "-0123456789";
        } else {
          value = ConfBuilder.standIn(name);
        }
        env.putIfAbsent(name, value);
      }
    }
    return env;
  }
}

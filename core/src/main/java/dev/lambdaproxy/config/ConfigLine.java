package dev.lambdaproxy.config;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code key = value} line of a configuration file, with its line number.
 *
 * <p>We read our files line by line instead of with {@link java.util.Properties} because every
 * error must name its line, and because Properties would treat the {@code :} of an ARN as a
 * separator and {@code \} as an escape.
 */
public record ConfigLine(String fileName, int number, String key, String value) {

  /**
   * Reads the key/value lines of a file: blank lines and lines starting with {@code #} or
   * {@code !} are skipped; the key ends at the first {@code =}; both sides are trimmed.
   */
  public static List<ConfigLine> read(String fileName, Reader reader) throws IOException {
    List<ConfigLine> lines = new ArrayList<>();
    BufferedReader in = new BufferedReader(reader);
    int number = 0;
    for (String text = in.readLine(); text != null; text = in.readLine()) {
      number++;
      if (number == 1 && !text.isEmpty() && text.charAt(0) == '\uFEFF') {
        text = text.substring(1); // a byte-order mark some editors write
      }
      String trimmed = text.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith("!")) {
        continue;
      }
      int equals = trimmed.indexOf('=');
      if (equals < 0) {
        throw ConfigException.at(fileName, number, "expected 'key = value', found '" + abbreviate(trimmed) + "'");
      }
      String key = trimmed.substring(0, equals).strip();
      if (key.isEmpty()) {
        throw ConfigException.at(fileName, number, "missing key before '='");
      }
      lines.add(new ConfigLine(fileName, number, key, trimmed.substring(equals + 1).strip()));
    }
    return lines;
  }

  public ConfigException error(String problem) {
    return ConfigException.at(fileName, number, problem);
  }

  static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 77) + "...";
  }
}

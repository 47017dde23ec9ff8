package dev.lambdaproxy.frontdoor;

import dev.lambdaproxy.config.ConfigException;
import dev.lambdaproxy.config.ConfigValues;
import dev.lambdaproxy.config.Suggestions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** Reading the front door's settings: lists, booleans, and errors that name the line. */
final class SettingsText {

  private SettingsText() {}

  /** {@code lambda-proxy.properties:3: unknown setting 'cors.alow-origins' (did you mean ...)}. */
  static ConfigException unknown(ConfigValues.Value value, Collection<String> known) {
    return new ConfigException(value.origin() + ": unknown setting '" + value.key() + "'" + Suggestions.didYouMean(value.key(), known));
  }

  /** {@code lambda-proxy.properties:3: 'cors.max-age': problem}. */
  static ConfigException bad(ConfigValues.Value value, String problem) {
    return new ConfigException(value.origin() + ": '" + value.key() + "': " + problem);
  }

  /** A comma-separated list, each item stripped, empty items dropped. */
  static List<String> list(String text) {
    List<String> items = new ArrayList<>();
    for (String item : text.split(",")) {
      if (!item.isBlank()) {
        items.add(item.strip());
      }
    }
    return items;
  }

  static boolean bool(ConfigValues.Value value) {
    return switch (value.text().strip().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw bad(value, "must be true or false, was '" + value.text() + "'");
    };
  }

  /** An HTTP token (RFC 9110 5.6.2): what a header or method name may be. */
  static boolean isToken(String text) {
    if (text.isEmpty()) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}

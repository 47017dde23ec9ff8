package dev.lambdaproxy.frontdoor;

import dev.lambdaproxy.config.ConfigValues;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.Map;

/** {@code lambda-proxy.properties} text as the settings readers get it. */
final class Settings {

  private Settings() {}

  static ConfigValues of(String text) {
    try {
      return ConfigValues.load("lambda-proxy.properties", new StringReader(text), Map.of(), Map.of(),
          dev.lambdaproxy.config.Settings.allKeys());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

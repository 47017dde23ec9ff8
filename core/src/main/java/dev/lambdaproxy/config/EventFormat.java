package dev.lambdaproxy.config;

import java.util.Locale;

/** What the function receives: the raw payload, or an API Gateway event of payload format 1.0 or 2.0. */
public enum EventFormat {
  RAW("raw"),
  APIGW_V1("apigw-v1"),
  APIGW_V2("apigw-v2");

  private final String configName;

  EventFormat(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  /** @throws IllegalArgumentException listing the valid names */
  public static EventFormat parse(String text) {
    String lower = text.strip().toLowerCase(Locale.ROOT);
    for (EventFormat format : values()) {
      if (format.configName.equals(lower)) {
        return format;
      }
    }
    throw new IllegalArgumentException("'" + text + "' is not raw, apigw-v1 or apigw-v2");
  }
}

package dev.lambdaproxy.frontdoor;

import dev.lambdaproxy.config.ConfigValues;
import java.util.Map;
import java.util.Set;

/**
 * The {@code tracing.*} settings: whether each Invoke call carries an {@code X-Amzn-Trace-Id}
 * (continuing the client's trace, or a new one), and how many new traces are sampled.
 *
 * @param enabled whether calls carry a trace header; default true
 * @param sampleRate the share of new traces marked {@code Sampled=1}, 0 to 1; default 0.05, X-Ray's default rate
 */
public record TracingSettings(boolean enabled, double sampleRate) {

  public static final TracingSettings DEFAULT = new TracingSettings(true, 0.05);

  static final String ENABLED = "tracing.enabled";
  static final String SAMPLE_RATE = "tracing.sample-rate";
  static final Set<String> KEYS = Set.of(ENABLED, SAMPLE_RATE);

  public TracingSettings {
    if (!(sampleRate >= 0 && sampleRate <= 1)) {
      throw new IllegalArgumentException("sampleRate must be from 0 to 1, was " + sampleRate);
    }
  }

  /**
   * Reads the {@code tracing.*} settings.
   *
   * @throws dev.lambdaproxy.config.ConfigException naming the line of an unknown key or a bad value
   */
  public static TracingSettings from(ConfigValues values) {
    Map<String, ConfigValues.Value> given = values.withPrefix("tracing.");
    if (given.isEmpty()) {
      return DEFAULT;
    }
    for (ConfigValues.Value value : given.values()) {
      if (!KEYS.contains(value.key())) {
        throw SettingsText.unknown(value, KEYS);
      }
    }
    boolean enabled = !given.containsKey(ENABLED) || SettingsText.bool(given.get(ENABLED));
    double rate = DEFAULT.sampleRate;
    ConfigValues.Value rateValue = given.get(SAMPLE_RATE);
    if (rateValue != null) {
      try {
        rate = Double.parseDouble(rateValue.text().strip());
      } catch (NumberFormatException e) {
        rate = Double.NaN;
      }
      if (!(rate >= 0 && rate <= 1)) {
        throw SettingsText.bad(rateValue, "must be a number from 0 (sample no new trace) to 1 (sample all), was '" + rateValue.text() + "'");
      }
    }
    return new TracingSettings(enabled, rate);
  }
}

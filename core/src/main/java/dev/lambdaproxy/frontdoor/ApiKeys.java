package dev.lambdaproxy.frontdoor;

import dev.lambdaproxy.config.ConfigException;
import dev.lambdaproxy.config.ConfigValues;
import dev.lambdaproxy.route.EnvReferences;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The API keys ({@code api-key.NAME.value}, {@code api-key.NAME.plan}) and their usage plans
 * ({@code usage-plan.NAME.rate}, {@code .burst}, {@code .quota}). A key's value comes from the
 * environment ({@code ${MOBILE_API_KEY}}) and is kept only as its SHA-256: it is never printed,
 * and looking a presented key up costs the same whatever it shares with a real one.
 */
public final class ApiKeys {

  /** A known key: its name (events' {@code identity.apiKeyId}, metrics, logs) and its plan. */
  public record Key(String name, UsagePlan plan) {}

  public static final ApiKeys NONE = new ApiKeys(Map.of(), Map.of());

  /** API Gateway's shortest API key. */
  static final int MIN_LENGTH = 20;

  static final Set<String> PLAN_FIELDS = Set.of("rate", "burst", "quota");
  static final Set<String> KEY_FIELDS = Set.of("value", "plan");

  private final Map<String, Key> byDigest;
  private final Map<String, UsagePlan> plans;

  private ApiKeys(Map<String, Key> byDigest, Map<String, UsagePlan> plans) {
    this.byDigest = Map.copyOf(byDigest);
    this.plans = java.util.Collections.unmodifiableMap(new TreeMap<>(plans)); // by name, for messages
  }

  /** Whether no key is defined: then no route may require one. */
  public boolean isEmpty() {
    return byDigest.isEmpty();
  }

  /** The key a client presented, or null when there is none such. */
  public Key find(String presented) {
    return presented == null || presented.isEmpty() ? null : byDigest.get(digest(presented));
  }

  /** The usage plans by name. */
  public Map<String, UsagePlan> plans() {
    return plans;
  }

  /** The keys' names, sorted. */
  public List<String> names() {
    return byDigest.values().stream().map(Key::name).sorted().toList();
  }

  /**
   * Reads the {@code usage-plan.*} and {@code api-key.*} settings.
   *
   * @param env where {@code ${NAME}} in a key's value is looked up
   * @throws ConfigException naming the line of an unknown key, a bad value, a plan that does not
   *     exist, or a key's variable that is not set
   */
  public static ApiKeys from(ConfigValues values, Map<String, String> env) {
    Map<String, Map<String, ConfigValues.Value>> planFields = byName(values.withPrefix("usage-plan."), "usage-plan.", PLAN_FIELDS);
    Map<String, Map<String, ConfigValues.Value>> keyFields = byName(values.withPrefix("api-key."), "api-key.", KEY_FIELDS);
    Map<String, UsagePlan> plans = new TreeMap<>();
    planFields.forEach((name, fields) -> plans.put(name, plan(name, fields)));
    Map<String, Key> byDigest = new HashMap<>();
    Map<String, String> nameByDigest = new HashMap<>();
    keyFields.forEach((name, fields) -> {
      ConfigValues.Value value = fields.get("value");
      ConfigValues.Value plan = fields.get("plan");
      ConfigValues.Value any = fields.values().iterator().next();
      if (value == null) {
        throw new ConfigException(any.origin() + ": API key '" + name + "' has no value: add api-key." + name + ".value = ${VARIABLE}");
      }
      if (plan == null) {
        throw new ConfigException(any.origin() + ": API key '" + name + "' belongs to no usage plan: add api-key." + name
            + ".plan = PLAN (API Gateway, too, accepts only keys of a usage plan)");
      }
      UsagePlan usagePlan = plans.get(plan.text().strip().toLowerCase(java.util.Locale.ROOT));
      if (usagePlan == null) {
        throw SettingsText.bad(plan, "no usage plan '" + plan.text().strip() + "' is defined (usage-plan." + plan.text().strip()
            + ".rate, .burst, .quota)" + (plans.isEmpty() ? "" : "; defined: " + String.join(", ", plans.keySet())));
      }
      String secret;
      try {
        secret = EnvReferences.expand(value.text().strip(), env);
      } catch (IllegalArgumentException e) {
        throw SettingsText.bad(value, e.getMessage());
      }
      if (secret.length() < MIN_LENGTH) {
        // The length only: the value itself is never shown.
        throw SettingsText.bad(value, "an API key must have at least " + MIN_LENGTH + " characters, as API Gateway's; this one has "
            + secret.length());
      }
      String digest = digest(secret);
      String other = nameByDigest.putIfAbsent(digest, name);
      if (other != null) {
        throw SettingsText.bad(value, "API keys '" + other + "' and '" + name + "' have the same value; each key must be its own");
      }
      byDigest.put(digest, new Key(name, usagePlan));
    });
    return byDigest.isEmpty() && plans.isEmpty() ? NONE : new ApiKeys(byDigest, plans);
  }

  /** {@code usage-plan.basic.rate} and friends, grouped by name ({@code basic}), in key order. */
  private static Map<String, Map<String, ConfigValues.Value>> byName(Map<String, ConfigValues.Value> given, String prefix,
      Set<String> fields) {
    Map<String, Map<String, ConfigValues.Value>> byName = new LinkedHashMap<>();
    for (ConfigValues.Value value : given.values()) {
      String rest = value.key().substring(prefix.length());
      int dot = rest.lastIndexOf('.');
      String name = dot > 0 ? rest.substring(0, dot) : "";
      String field = dot > 0 ? rest.substring(dot + 1) : rest;
      if (name.isEmpty() || !isName(name) || !fields.contains(field)) {
        List<String> known = new ArrayList<>();
        String shownName = name.isEmpty() || !isName(name) ? "NAME" : name;
        fields.forEach(f -> known.add(prefix + shownName + "." + f));
        throw new ConfigException(value.origin() + ": unknown setting '" + value.key() + "'"
            + dev.lambdaproxy.config.Suggestions.didYouMean(value.key(), known)
            + (name.isEmpty() || !isName(name) ? "; write " + prefix + "NAME." + String.join("|", new java.util.TreeSet<>(fields))
            + " with a NAME of letters, digits, '-' and '_'" : ""));
      }
      byName.computeIfAbsent(name, n -> new TreeMap<>()).put(field, value);
    }
    return byName;
  }

  private static boolean isName(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
        return false;
      }
    }
    return !name.isEmpty();
  }

  private static UsagePlan plan(String name, Map<String, ConfigValues.Value> fields) {
    ConfigValues.Value rateValue = fields.get("rate");
    ConfigValues.Value burstValue = fields.get("burst");
    ConfigValues.Value quotaValue = fields.get("quota");
    Double rate = null;
    if (rateValue != null) {
      try {
        rate = Double.parseDouble(rateValue.text().strip());
      } catch (NumberFormatException e) {
        rate = Double.NaN;
      }
      if (!(rate > 0) || rate.isInfinite()) {
        throw SettingsText.bad(rateValue, "must be a positive number of requests per second, was '" + rateValue.text() + "'");
      }
    }
    Integer burst = null;
    if (burstValue != null) {
      try {
        burst = Integer.parseInt(burstValue.text().strip());
      } catch (NumberFormatException e) {
        burst = 0;
      }
      if (burst < 1) {
        throw SettingsText.bad(burstValue, "must be a positive whole number, was '" + burstValue.text() + "'");
      }
      if (rate == null) {
        throw SettingsText.bad(burstValue, "needs usage-plan." + name + ".rate: a burst is the size of the rate's bucket");
      }
    }
    Quota quota = null;
    if (quotaValue != null) {
      try {
        quota = Quota.parse(quotaValue.text());
      } catch (IllegalArgumentException e) {
        throw SettingsText.bad(quotaValue, e.getMessage());
      }
    }
    return new UsagePlan(name, rate == null ? null : RateLimit.of(rate, burst), quota);
  }

  static String digest(String value) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  @Override
  public String toString() {
    // Names only: a key's value never reaches a log line.
    return "ApiKeys[keys " + names() + ", plans " + plans.keySet() + "]";
  }
}

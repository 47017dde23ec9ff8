package dev.lambdaproxy.frontdoor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lambdaproxy.config.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiKeysTest {

  private static final String MOBILE = "mobile-key-0123456789-abcdef";
  private static final String PARTNER = "partner-key-9876543210-zyxwvu";
  private static final Map<String, String> ENV = Map.of("MOBILE_API_KEY", MOBILE, "PARTNER_API_KEY", PARTNER, "SHORT", "short");

  private static final String PLANS = """
      usage-plan.basic.rate = 10
      usage-plan.basic.burst = 20
      usage-plan.basic.quota = 10000/DAY
      usage-plan.slow.rate = 0.5
      usage-plan.unlimited.quota = 5/month
      api-key.mobile.value = ${MOBILE_API_KEY}
      api-key.mobile.plan = basic
      api-key.partner.value = ${PARTNER_API_KEY}
      api-key.partner.plan = Unlimited
      """;

  @Test
  void keysAreFoundByTheirValueFromTheEnvironmentWithTheirPlans() {
    ApiKeys keys = ApiKeys.from(Settings.of(PLANS), ENV);
    ApiKeys.Key mobile = keys.find(MOBILE);
    assertEquals("mobile", mobile.name());
    assertEquals(new UsagePlan("basic", new RateLimit(10, 20), new Quota(10_000, Quota.Period.DAY)), mobile.plan());
    assertEquals(new UsagePlan("unlimited", null, new Quota(5, Quota.Period.MONTH)), keys.find(PARTNER).plan());
    assertEquals(new RateLimit(0.5, 1), keys.plans().get("slow").rate(), "a burst defaults to the rate rounded up, at least 1");
    assertNull(keys.find(MOBILE + "x"));
    assertNull(keys.find(MOBILE.substring(1)));
    assertNull(keys.find(""));
    assertNull(keys.find(null));
  }

  @Test
  void theirTextNamesKeysButNeverTheirValues() {
    String text = ApiKeys.from(Settings.of(PLANS), ENV).toString();
    assertEquals("ApiKeys[keys [mobile, partner], plans [basic, slow, unlimited]]", text);
    assertFalse(text.contains(MOBILE));
  }

  @Test
  void withoutKeysThereAreNone() {
    ApiKeys keys = ApiKeys.from(Settings.of("timeout-ms = 100\n"), ENV);
    assertTrue(keys.isEmpty());
    assertNull(keys.find(MOBILE));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "usage-plan.basic.rate = 1 ~ api-key.mobile.plan = basik ~ api-key.mobile.value = ${MOBILE_API_KEY}"
          + "|lambda-proxy.properties:2: 'api-key.mobile.plan': no usage plan 'basik' is defined (usage-plan.basik.rate, .burst, .quota); defined: basic",
      "usage-plan.basic.rate = 1 ~ api-key.mobile.value = ${MOBILE_API_KEY}"
          + "|lambda-proxy.properties:2: API key 'mobile' belongs to no usage plan",
      "usage-plan.basic.rate = 1 ~ api-key.mobile.plan = basic"
          + "|lambda-proxy.properties:2: API key 'mobile' has no value",
      "usage-plan.basic.rate = 1 ~ api-key.mobile.plan = basic ~ api-key.mobile.value = ${NOT_SET}"
          + "|lambda-proxy.properties:3: 'api-key.mobile.value': environment variable NOT_SET is not set",
      "usage-plan.basic.rate = 1 ~ api-key.mobile.plan = basic ~ api-key.mobile.value = ${SHORT}"
          + "|lambda-proxy.properties:3: 'api-key.mobile.value': an API key must have at least 20 characters, as API Gateway's; this one has 5",
      "usage-plan.basic.rate = 1 ~ api-key.a.plan = basic ~ api-key.a.value = ${MOBILE_API_KEY} ~ api-key.b.plan = basic ~ api-key.b.value = ${MOBILE_API_KEY}"
          + "|lambda-proxy.properties:5: 'api-key.b.value': API keys 'a' and 'b' have the same value",
      "usage-plan.basic.rat = 1|lambda-proxy.properties:1: unknown setting 'usage-plan.basic.rat' (did you mean 'usage-plan.basic.rate'?)",
      "api-key.mobile.vaule = x|lambda-proxy.properties:1: unknown setting 'api-key.mobile.vaule' (did you mean 'api-key.mobile.value'?)",
      "usage-plan.rate = 1|lambda-proxy.properties:1: unknown setting 'usage-plan.rate'",
      "usage-plan.a.b.rate = 1|lambda-proxy.properties:1: unknown setting 'usage-plan.a.b.rate'",
      "usage-plan.basic.burst = 5|lambda-proxy.properties:1: 'usage-plan.basic.burst': needs usage-plan.basic.rate",
      "usage-plan.basic.rate = fast|lambda-proxy.properties:1: 'usage-plan.basic.rate': must be a positive number",
      "usage-plan.basic.rate = 0|lambda-proxy.properties:1: 'usage-plan.basic.rate': must be a positive number",
      "usage-plan.basic.rate = 1 ~ usage-plan.basic.burst = 0|lambda-proxy.properties:2: 'usage-plan.basic.burst': must be a positive whole number",
      "usage-plan.basic.quota = 100/YEAR|lambda-proxy.properties:1: 'usage-plan.basic.quota': '100/YEAR': the period must be DAY, WEEK or MONTH",
      "usage-plan.basic.quota = 0/DAY|lambda-proxy.properties:1: 'usage-plan.basic.quota': '0/DAY': the number of requests must be",
      "usage-plan.basic.quota = 100|lambda-proxy.properties:1: 'usage-plan.basic.quota': '100' is not a quota"})
  void aBadSettingStopsTheStartNamingItsLine(String text, String message) {
    ConfigException e = assertThrows(ConfigException.class, () -> ApiKeys.from(Settings.of(text.replace(" ~ ", "\n") + "\n"), ENV));
    assertTrue(e.getMessage().startsWith(message), e.getMessage());
    assertFalse(e.getMessage().contains(MOBILE), "never the key's value");
  }
}

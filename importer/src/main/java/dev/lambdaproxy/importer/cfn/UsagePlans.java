package dev.lambdaproxy.importer.cfn;

import dev.lambdaproxy.importer.api.ApiKeyDef;
import dev.lambdaproxy.importer.api.Finding;
import dev.lambdaproxy.importer.api.Throttle;
import dev.lambdaproxy.importer.api.UsagePlanDef;
import dev.lambdaproxy.importer.openapi.IntegrationReader;
import dev.lambdaproxy.importer.source.Location;
import dev.lambdaproxy.importer.source.Src;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code AWS::ApiGateway::UsagePlan}, {@code ApiKey} and {@code UsagePlanKey}: plans with their limits, keys with their plans. */
final class UsagePlans {

  private UsagePlans() {}

  static void read(Template template, Intrinsics resolver, TemplateApis out) {
    for (Template.Resource plan : template.ofType("AWS::ApiGateway::UsagePlan")) {
      Src properties = plan.properties();
      List<Finding> leftovers = new ArrayList<>();
      for (Src stage : properties.get("ApiStages").elements()) {
        Src throttle = stage.get("Throttle");
        if (throttle.isObject() && !throttle.fields().isEmpty()) {
          leftovers.add(new Finding(throttle.location(), "per-method throttling of usage plan " + plan.id() + " ("
              + String.join(", ", throttle.fields().keySet()) + ") is not carried: the plan's own limits apply to every route"));
        }
      }
      String name = resolver.text(properties.get("UsagePlanName"));
      out.plans().add(plan(plan.id(), name != null ? name : plan.id(), properties.get("Throttle"), properties.get("Quota"),
          leftovers, resolver, plan.definition().location()));
    }
    Map<String, ApiKeyDef> keys = new LinkedHashMap<>();
    for (Template.Resource key : template.ofType("AWS::ApiGateway::ApiKey")) {
      Src properties = key.properties();
      String name = resolver.text(properties.get("Name"));
      boolean enabled = "true".equalsIgnoreCase(String.valueOf(resolver.text(properties.get("Enabled"))));
      keys.put(key.id(), new ApiKeyDef(key.id(), settingsName(name != null ? name : key.id()), List.of(), enabled,
          key.definition().location()));
    }
    for (Template.Resource link : template.ofType("AWS::ApiGateway::UsagePlanKey")) {
      String keyId = resolver.logicalId(link.properties().get("KeyId"));
      String planId = resolver.logicalId(link.properties().get("UsagePlanId"));
      ApiKeyDef key = keys.get(keyId);
      if (key != null && planId != null) {
        keys.put(keyId, key.withPlan(planId));
      }
    }
    out.keys().addAll(keys.values());
  }

  /** A plan from its {@code Throttle} ({@code RateLimit}, {@code BurstLimit}) and {@code Quota} ({@code Limit}, {@code Period}, {@code Offset}). */
  static UsagePlanDef plan(String id, String name, Src throttle, Src quota, List<Finding> leftovers, Intrinsics resolver,
      Location location) {
    List<Finding> all = new ArrayList<>(leftovers);
    String rate = resolver.text(throttle.get("RateLimit"));
    Throttle limits = new Throttle(IntegrationReader.decimalOf(rate),
        IntegrationReader.integerOf(resolver.text(throttle.get("BurstLimit"))), throttle.location());
    Integer limit = IntegrationReader.integerOf(resolver.text(quota.get("Limit")));
    String period = resolver.text(quota.get("Period"));
    Integer offset = IntegrationReader.integerOf(resolver.text(quota.get("Offset")));
    if (offset != null && offset != 0) {
      all.add(new Finding(quota.get("Offset").location(), "the quota offset of usage plan " + name
          + " is not carried: periods start at midnight UTC"));
    }
    return new UsagePlanDef(id, settingsName(name), limits.isEmpty() ? null : limits, limit == null ? null : limit.longValue(),
        period == null ? null : period.toUpperCase(Locale.ROOT), all, location);
  }

  /** A name a settings key can carry: letters, digits, '-' and '_'. */
  static String settingsName(String name) {
    String clean = name.replaceAll("[^A-Za-z0-9_-]+", "-").replaceAll("^-+|-+$", "");
    return clean.isEmpty() ? "unnamed" : clean;
  }
}

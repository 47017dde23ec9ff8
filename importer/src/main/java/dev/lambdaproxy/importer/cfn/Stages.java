package dev.lambdaproxy.importer.cfn;

import dev.lambdaproxy.importer.api.ApiDef;
import dev.lambdaproxy.importer.api.Finding;
import dev.lambdaproxy.importer.api.Throttle;
import dev.lambdaproxy.importer.openapi.IntegrationReader;
import dev.lambdaproxy.importer.source.Src;
import java.util.Locale;

/** A stage's method settings: its throttling becomes rate= and burst=; its caching is left out. */
final class Stages {

  private Stages() {}

  /**
   * One {@code MethodSettings} entry: {@code ResourcePath} {@code /*} and {@code HttpMethod} {@code *}
   * for every route, else one route ({@code /~1pets~1{id}} is {@code /pets/{id}}).
   */
  static void methodSetting(Src setting, ApiDef api, Intrinsics resolver) {
    String path = resolver.text(setting.get("ResourcePath"));
    String method = resolver.text(setting.get("HttpMethod"));
    String rate = resolver.text(setting.get("ThrottlingRateLimit"));
    Throttle throttle = new Throttle(IntegrationReader.decimalOf(rate),
        IntegrationReader.integerOf(resolver.text(setting.get("ThrottlingBurstLimit"))), setting.location());
    if ("true".equalsIgnoreCase(resolver.text(setting.get("CachingEnabled")))) {
      api.leftovers().add(new Finding(setting.get("CachingEnabled").location(),
          "API Gateway's cache is not carried (see cache= in routes.properties)"));
    }
    if (throttle.isEmpty()) {
      return;
    }
    boolean allPaths = path == null || path.equals("/*");
    String decoded = allPaths || path.equals("/") ? path : path.substring(1).replace("~1", "/");
    boolean allMethods = method == null || method.equals("*");
    if (allPaths && allMethods) {
      api.defaultThrottle(throttle);
    } else if (!allPaths && !allMethods) {
      api.routeThrottles().put(method.toUpperCase(Locale.ROOT) + " " + decoded, throttle);
    } else {
      api.leftovers().add(new Finding(setting.location(), "throttling of " + (allPaths ? "every path" : decoded)
          + " for " + (allMethods ? "every method" : method) + " is not carried (rate= and burst= are set per route)"));
    }
  }
}

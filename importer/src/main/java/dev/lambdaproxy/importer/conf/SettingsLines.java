package dev.lambdaproxy.importer.conf;

import dev.lambdaproxy.importer.api.ApiKeyDef;
import dev.lambdaproxy.importer.api.ApiKind;
import dev.lambdaproxy.importer.api.AuthorizerDef;
import dev.lambdaproxy.importer.api.CorsDef;
import dev.lambdaproxy.importer.api.Report;
import dev.lambdaproxy.importer.api.UsagePlanDef;
import dev.lambdaproxy.importer.source.Location;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The settings an import writes to {@code lambda-proxy.properties}, section by section, each with
 * a comment saying where it came from. The front door's names are issue 15's contract.
 */
public final class SettingsLines {

  private final List<String> lines = new ArrayList<>();
  private int settings;

  /** The lines, comments included. */
  public List<String> lines() {
    return lines;
  }

  /** How many settings (not comments) there are. */
  public int count() {
    return settings;
  }

  private void section(String comment) {
    if (!lines.isEmpty()) {
      lines.add("");
    }
    lines.add("# " + comment);
  }

  private void set(String key, String value) {
    lines.add((key + " = " + value).stripTrailing());
    settings++;
  }

  private static String from(Location location) {
    return location.toString();
  }

  void timeout(int millis, List<ApiKind> kinds) {
    if (kinds.isEmpty()) {
      return;
    }
    section("API Gateway waits " + millis / 1000 + " s for an integration" + (kinds.size() > 1
        ? " (HTTP APIs; REST API routes say 29 s of their own)" : kinds.get(0) == ApiKind.REST ? " (REST APIs)" : " (HTTP APIs)")
        + "; routes without timeout-ms= wait as long here");
    set("timeout-ms", Integer.toString(millis));
  }

  void cors(CorsDef cors, Report report) {
    section("CORS, from " + from(cors.location()) + "; routes with cors=false are left to their functions");
    set("cors.allow-origins", String.join(", ", cors.allowOrigins()));
    if (!cors.allowMethods().isEmpty()) {
      set("cors.allow-methods", String.join(", ", cors.allowMethods()));
    }
    if (!cors.allowHeaders().isEmpty()) {
      set("cors.allow-headers", String.join(", ", cors.allowHeaders()));
    }
    if (!cors.exposeHeaders().isEmpty()) {
      set("cors.expose-headers", String.join(", ", cors.exposeHeaders()));
    }
    if (cors.maxAge() != null) {
      set("cors.max-age", Integer.toString(cors.maxAge()));
    }
    if (cors.allowCredentials() != null) {
      if (cors.allowCredentials() && cors.allowOrigins().contains("*")) {
        report.leftOut(cors.location(), "credentials with the origin * are not carried (browsers refuse them, and so does the proxy)");
      } else {
        set("cors.allow-credentials", Boolean.toString(cors.allowCredentials()));
      }
    }
  }

  void authorizer(String name, AuthorizerDef authorizer) {
    String prefix = "authorizer." + name + ".";
    section("authorizer " + authorizer.name() + ", from " + from(authorizer.location()));
    switch (authorizer.kind()) {
      case JWT -> {
        set(prefix + "type", "jwt");
        set(prefix + "issuer", authorizer.issuer());
        if (!authorizer.audience().isEmpty()) {
          set(prefix + "audience", String.join(", ", authorizer.audience()));
        }
        List<String> sources = authorizer.identitySources();
        if (!sources.isEmpty() && !(sources.size() == 1 && sources.get(0).equalsIgnoreCase("$request.header.Authorization"))) {
          set(prefix + "identity-source", String.join(", ", sources));
        }
      }
      case TOKEN, REQUEST -> {
        String type = authorizer.kind() == AuthorizerDef.Kind.TOKEN ? "token"
            : "2.0".equals(authorizer.payloadFormatVersion()) ? "request" : "request-v1";
        set(prefix + "type", type);
        set(prefix + "function", authorizer.function());
        // Empty: no identity source, as the API had (the proxy's default would be the Authorization header).
        set(prefix + "identity-source", String.join(", ", authorizer.identitySources()));
        set(prefix + "ttl", (authorizer.ttlSeconds() != null ? authorizer.ttlSeconds() : 300) + "s");
        if (type.equals("request")) {
          set(prefix + "simple-responses", Boolean.toString(Boolean.TRUE.equals(authorizer.simpleResponses())));
        }
      }
      default -> throw new IllegalStateException("not written: " + authorizer.kind());
    }
  }

  void usagePlan(UsagePlanDef plan) {
    String prefix = "usage-plan." + plan.name() + ".";
    section("usage plan " + plan.name() + ", from " + from(plan.location()) + " (per API key)");
    if (plan.throttle() != null && plan.throttle().rate() != null) {
      set(prefix + "rate", ConfBuilder.number(plan.throttle().rate()));
    }
    if (plan.throttle() != null && plan.throttle().burst() != null && plan.throttle().rate() != null) {
      set(prefix + "burst", Integer.toString(plan.throttle().burst())); // a burst is the size of the rate's bucket
    }
    if (plan.quotaLimit() != null && plan.quotaPeriod() != null) {
      set(prefix + "quota", plan.quotaLimit() + "/" + plan.quotaPeriod().toUpperCase(Locale.ROOT));
    }
  }

  void apiKey(ApiKeyDef key, String placeholder, String plan) {
    String prefix = "api-key." + key.name() + ".";
    section("API key " + key.name() + ", from " + from(key.location()) + ": its value never goes in a file");
    set(prefix + "value", placeholder);
    set(prefix + "plan", plan);
  }

  void missingApiKeys() {
    section("Routes need an API key, but the input defines none (they are commented out in routes.properties): add keys and a"
        + " usage plan, e.g.");
    lines.add("# usage-plan.basic.rate = 10");
    lines.add("# api-key.client.value = ${CLIENT_API_KEY}");
    lines.add("# api-key.client.plan = basic");
  }
}

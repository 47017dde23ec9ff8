package dev.lambdaproxy.frontdoor;

import dev.lambdaproxy.config.ConfigException;
import dev.lambdaproxy.config.ConfigValues;
import dev.lambdaproxy.http.ClientAnswer;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code cors.*} settings, with the semantics of API Gateway's HTTP APIs and Function URLs:
 * which origins may call (a list, {@code *}, or {@code https://*} and {@code http://*} for any
 * origin of that scheme), with which methods and headers, which answer headers they may read, how
 * long a preflight may be cached, and whether credentials go along. CORS applies to every route
 * (but {@code cors=false} ones) once {@code cors.allow-origins} is set.
 *
 * @param allowOrigins the origins as written, lower-cased; empty when CORS is off
 * @param allowMethods upper-cased methods, or {@code *}; empty: no {@code Access-Control-Allow-Methods}
 * @param allowHeaders lower-cased header names, or {@code *}; empty: no {@code Access-Control-Allow-Headers}
 * @param exposeHeaders header names a script may read, or {@code *}
 * @param maxAgeSeconds how long a browser may keep a preflight's answer, or null to say nothing
 * @param allowCredentials whether {@code Access-Control-Allow-Credentials: true} is sent
 */
public record CorsSettings(List<String> allowOrigins, List<String> allowMethods, List<String> allowHeaders, List<String> exposeHeaders,
    Long maxAgeSeconds, boolean allowCredentials) {

  public static final CorsSettings NONE = new CorsSettings(List.of(), List.of(), List.of(), List.of(), null, false);

  static final String ORIGINS = "cors.allow-origins";
  static final String METHODS = "cors.allow-methods";
  static final String HEADERS = "cors.allow-headers";
  static final String EXPOSE = "cors.expose-headers";
  static final String MAX_AGE = "cors.max-age";
  static final String CREDENTIALS = "cors.allow-credentials";
  static final Set<String> KEYS = Set.of(ORIGINS, METHODS, HEADERS, EXPOSE, MAX_AGE, CREDENTIALS);

  /** API Gateway's upper bound for an HTTP API's maxAge: a day. */
  static final long MAX_AGE_LIMIT = 86_400;

  public CorsSettings {
    allowOrigins = List.copyOf(allowOrigins);
    allowMethods = List.copyOf(allowMethods);
    allowHeaders = List.copyOf(allowHeaders);
    exposeHeaders = List.copyOf(exposeHeaders);
    if (allowCredentials && allowOrigins.contains("*")) {
      throw new IllegalArgumentException("'*' origins cannot go with credentials");
    }
  }

  /** Whether CORS is on: {@code cors.allow-origins} is set. */
  public boolean enabled() {
    return !allowOrigins.isEmpty();
  }

  /** Whether every origin may call: {@code Access-Control-Allow-Origin: *}, the same for everyone. */
  public boolean anyOrigin() {
    return allowOrigins.size() == 1 && allowOrigins.get(0).equals("*");
  }

  /** Whether a response header is a CORS one: a function's are dropped on a CORS route. */
  public static boolean isCorsHeader(String name) {
    return name.regionMatches(true, 0, "access-control-", 0, 15);
  }

  /** The {@code Access-Control-Allow-Origin} for a request from {@code origin}, or null when it may not call. */
  public String allowedOrigin(String origin) {
    if (origin == null || !enabled()) {
      return null;
    }
    if (anyOrigin()) {
      return "*";
    }
    String lower = origin.strip().toLowerCase(Locale.ROOT);
    for (String allowed : allowOrigins) {
      if (allowed.equals(lower) || allowed.endsWith("://*") && lower.startsWith(allowed.substring(0, allowed.length() - 1))) {
        return origin.strip();
      }
    }
    return null;
  }

  /**
   * The CORS headers of an answer (not a preflight's): {@code Vary: Origin} unless every origin
   * gets the same, and for an allowed origin the origin, the credentials and the exposed headers.
   */
  public void addAnswerHeaders(List<ClientAnswer.Header> headers, String origin) {
    if (!anyOrigin()) {
      headers.add(new ClientAnswer.Header("Vary", "Origin"));
    }
    String allowed = allowedOrigin(origin);
    if (allowed == null) {
      return;
    }
    headers.add(new ClientAnswer.Header("Access-Control-Allow-Origin", allowed));
    if (allowCredentials) {
      headers.add(new ClientAnswer.Header("Access-Control-Allow-Credentials", "true"));
    }
    if (!exposeHeaders.isEmpty()) {
      headers.add(new ClientAnswer.Header("Access-Control-Expose-Headers", String.join(", ", exposeHeaders)));
    }
  }

  /**
   * The headers of a preflight's answer. A {@code *} for methods or headers is sent as {@code *}
   * without credentials; with them, browsers read {@code *} literally, so the method and headers
   * the preflight asked for are named back instead.
   *
   * @param requestMethod the preflight's {@code Access-Control-Request-Method}
   * @param requestHeaders its {@code Access-Control-Request-Headers}, or null
   */
  public void addPreflightHeaders(List<ClientAnswer.Header> headers, String origin, String requestMethod, String requestHeaders) {
    List<String> vary = new ArrayList<>(3);
    if (!anyOrigin()) {
      vary.add("Origin");
    }
    boolean echoMethod = allowCredentials && allowMethods.contains("*");
    boolean echoHeaders = allowCredentials && allowHeaders.contains("*");
    if (echoMethod) {
      vary.add("Access-Control-Request-Method");
    }
    if (echoHeaders) {
      vary.add("Access-Control-Request-Headers");
    }
    if (!vary.isEmpty()) {
      headers.add(new ClientAnswer.Header("Vary", String.join(", ", vary)));
    }
    String allowed = allowedOrigin(origin);
    if (allowed == null) {
      return;
    }
    headers.add(new ClientAnswer.Header("Access-Control-Allow-Origin", allowed));
    if (allowCredentials) {
      headers.add(new ClientAnswer.Header("Access-Control-Allow-Credentials", "true"));
    }
    if (echoMethod) {
      headers.add(new ClientAnswer.Header("Access-Control-Allow-Methods", requestMethod.strip()));
    } else if (!allowMethods.isEmpty()) {
      headers.add(new ClientAnswer.Header("Access-Control-Allow-Methods", String.join(", ", allowMethods)));
    }
    if (echoHeaders) {
      if (requestHeaders != null && !requestHeaders.isBlank()) {
        headers.add(new ClientAnswer.Header("Access-Control-Allow-Headers", requestHeaders.strip()));
      }
    } else if (!allowHeaders.isEmpty()) {
      headers.add(new ClientAnswer.Header("Access-Control-Allow-Headers", String.join(", ", allowHeaders)));
    }
    if (maxAgeSeconds != null) {
      headers.add(new ClientAnswer.Header("Access-Control-Max-Age", Long.toString(maxAgeSeconds)));
    }
  }

  /**
   * Reads the {@code cors.*} settings.
   *
   * @throws ConfigException naming the line of an unknown key or a bad value, or of
   *     {@code cors.allow-credentials = true} beside {@code *} origins
   */
  public static CorsSettings from(ConfigValues values) {
    Map<String, ConfigValues.Value> given = values.withPrefix("cors.");
    if (given.isEmpty()) {
      return NONE;
    }
    for (ConfigValues.Value value : given.values()) {
      if (!KEYS.contains(value.key())) {
        throw SettingsText.unknown(value, KEYS);
      }
    }
    ConfigValues.Value origins = given.get(ORIGINS);
    if (origins == null) {
      ConfigValues.Value first = given.values().iterator().next();
      throw new ConfigException(first.origin() + ": '" + first.key() + "' is set but " + ORIGINS
          + " is not: CORS applies once the allowed origins are listed");
    }
    List<String> allowOrigins = origins(origins);
    List<String> allowMethods = given.containsKey(METHODS) ? tokens(given.get(METHODS), true) : List.of();
    List<String> allowHeaders = given.containsKey(HEADERS) ? tokens(given.get(HEADERS), false) : List.of();
    List<String> exposeHeaders = given.containsKey(EXPOSE) ? tokens(given.get(EXPOSE), null) : List.of();
    Long maxAge = given.containsKey(MAX_AGE) ? maxAge(given.get(MAX_AGE)) : null;
    boolean credentials = given.containsKey(CREDENTIALS) && SettingsText.bool(given.get(CREDENTIALS));
    if (credentials && allowOrigins.contains("*")) {
      ConfigValues.Value line = given.get(CREDENTIALS);
      throw new ConfigException(line.origin() + ": '" + CREDENTIALS + " = true' cannot go with " + ORIGINS + " = * ("
          + origins.origin() + "): browsers send no credentials to every origin; list the origins instead");
    }
    return new CorsSettings(allowOrigins, allowMethods, allowHeaders, exposeHeaders, maxAge, credentials);
  }

  private static List<String> origins(ConfigValues.Value value) {
    List<String> origins = new ArrayList<>();
    for (String item : SettingsText.list(value.text())) {
      String origin = item.toLowerCase(Locale.ROOT);
      if (!origin.equals("*") && !origin.equals("https://*") && !origin.equals("http://*") && !isOrigin(origin)) {
        throw SettingsText.bad(value, "'" + item + "' is not an origin: write scheme://host[:port] with no path"
            + " (https://app.example.com), https://* or http://* for any origin of that scheme, or * for every origin");
      }
      origins.add(origin);
    }
    if (origins.isEmpty()) {
      throw SettingsText.bad(value, "lists no origin");
    }
    if (origins.contains("*") && origins.size() > 1) {
      throw SettingsText.bad(value, "'*' already allows every origin; list no other beside it");
    }
    return origins;
  }

  private static boolean isOrigin(String text) {
    try {
      URI uri = new URI(text);
      return uri.getScheme() != null && uri.getHost() != null && uri.getRawUserInfo() == null && uri.getRawPath().isEmpty()
          && uri.getRawQuery() == null && uri.getRawFragment() == null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /** @param upper true to upper-case (methods), false to lower-case (request headers), null to keep as written */
  private static List<String> tokens(ConfigValues.Value value, Boolean upper) {
    List<String> tokens = new ArrayList<>();
    for (String item : SettingsText.list(value.text())) {
      if (!SettingsText.isToken(item)) {
        throw SettingsText.bad(value, "'" + item + "' is not a " + (Boolean.TRUE.equals(upper) ? "method" : "header name"));
      }
      tokens.add(upper == null ? item : upper ? item.toUpperCase(Locale.ROOT) : item.toLowerCase(Locale.ROOT));
    }
    if (tokens.contains("*") && tokens.size() > 1) {
      throw SettingsText.bad(value, "'*' already allows every one; list no other beside it");
    }
    return tokens;
  }

  private static long maxAge(ConfigValues.Value value) {
    String text = value.text().strip().toLowerCase(Locale.ROOT);
    long factor = 1;
    if (text.endsWith("s")) {
      text = text.substring(0, text.length() - 1);
    } else if (text.endsWith("m")) {
      factor = 60;
      text = text.substring(0, text.length() - 1);
    } else if (text.endsWith("h")) {
      factor = 3600;
      text = text.substring(0, text.length() - 1);
    }
    long seconds;
    try {
      seconds = Math.multiplyExact(Long.parseLong(text.strip()), factor);
    } catch (NumberFormatException | ArithmeticException e) {
      seconds = -1;
    }
    if (seconds < 0 || seconds > MAX_AGE_LIMIT) {
      throw SettingsText.bad(value, "'" + value.text() + "' is not a max age: write seconds from 0 to " + MAX_AGE_LIMIT
          + " (600), or with a unit (600s, 10m, 1h)");
    }
    return seconds;
  }

  @Override
  public String toString() {
    return enabled() ? "CorsSettings[origins " + allowOrigins + ", credentials " + allowCredentials + "]" : "CorsSettings[off]";
  }
}

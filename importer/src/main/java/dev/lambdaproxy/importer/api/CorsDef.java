package dev.lambdaproxy.importer.api;

import dev.lambdaproxy.importer.source.Location;
import java.util.List;
import java.util.Objects;

/**
 * An API's CORS configuration, in the terms of HTTP APIs ({@code x-amazon-apigateway-cors}).
 *
 * @param allowOrigins origins, or {@code *}
 * @param maxAge seconds, or null
 * @param allowCredentials null when not said
 */
public record CorsDef(
    List<String> allowOrigins,
    List<String> allowMethods,
    List<String> allowHeaders,
    List<String> exposeHeaders,
    Integer maxAge,
    Boolean allowCredentials,
    Location location) {

  public CorsDef {
    allowOrigins = List.copyOf(allowOrigins);
    allowMethods = List.copyOf(allowMethods);
    allowHeaders = List.copyOf(allowHeaders);
    exposeHeaders = List.copyOf(exposeHeaders);
    Objects.requireNonNull(location, "location");
  }

  /** Whether two configurations answer browsers alike (where each was written does not count). */
  public boolean sameAs(CorsDef other) {
    return allowOrigins.equals(other.allowOrigins) && allowMethods.equals(other.allowMethods)
        && allowHeaders.equals(other.allowHeaders) && exposeHeaders.equals(other.exposeHeaders)
        && Objects.equals(maxAge, other.maxAge) && Objects.equals(allowCredentials, other.allowCredentials);
  }
}

package dev.lambdaproxy.route;

import java.util.List;
import java.util.Objects;

/**
 * What a route asks of the front door (issue 15), as written in {@code routes.properties}:
 * {@code authorizer=NAME}, {@code scopes=a,b}, {@code cors=false}, {@code require-api-key=true},
 * {@code rate=N}, {@code burst=N}, {@code max-concurrency=N}. Names are checked against
 * {@code lambda-proxy.properties} when the configuration loads, not here.
 *
 * @param authorizer the authorizer's name, or null for none
 * @param scopes scopes of which a JWT must carry one (any-of); empty for none
 * @param cors false when the route opts out of the proxy-wide CORS settings
 * @param requireApiKey whether a known {@code x-api-key} is required
 * @param rate the route's token-bucket refill in requests per second, or null for no route limit
 * @param burst the route's bucket size, or null (then the rate, rounded up, at least 1)
 * @param maxConcurrency the most invocations of this route in flight, or null for no cap
 */
public record FrontDoorOptions(String authorizer, List<String> scopes, boolean cors, boolean requireApiKey, Double rate,
    Integer burst, Integer maxConcurrency) {

  public static final FrontDoorOptions NONE = new FrontDoorOptions(null, List.of(), true, false, null, null, null);

  public FrontDoorOptions {
    scopes = List.copyOf(Objects.requireNonNull(scopes, "scopes"));
  }
}

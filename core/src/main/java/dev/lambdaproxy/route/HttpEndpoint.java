package dev.lambdaproxy.route;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A function reached over HTTP: an API Gateway invoke URL or a Lambda Function URL.
 *
 * @param uri the base URL; the rest of the path of a prefix or greedy route is appended to it, unless
 *     its path names the greedy variable; each {@code {name}} of the route's path written in it is
 *     held as {@code %7Bname%7D} and replaced per request

 * @param displayUri the URL as the routes file writes it, each {@code ${NAME}} left unexpanded: what logs and /routes show
 * @param auth how the proxy authenticates to it
 * @param apiKey the {@code x-api-key} sent with {@link Auth#APIKEY}, else null
 * @param service the SigV4 service name with {@link Auth#IAM} ({@code execute-api} or {@code lambda}), else null
 * @param region the SigV4 region with {@link Auth#IAM}, else null
 * @param forwardAuth whether the client's own Authorization and x-api-key headers are forwarded
 * @param pathVariables the route's path variables the URL's path names, as API Gateway's integration URIs do ({@code /pets/{petId}})
 */
public record HttpEndpoint(URI uri, String displayUri, Auth auth, Secret apiKey, String service, String region, boolean forwardAuth,
    Set<String> pathVariables) implements RouteTarget {

  /** How a {@code {name}} of the route's path is held in {@link #uri()}'s raw path. */
  public static final String VARIABLE_OPEN = "%7B";
  public static final String VARIABLE_CLOSE = "%7D";

  /** How the proxy authenticates to an HTTP endpoint. */
  public enum Auth {
    NONE, APIKEY, IAM;

    static Auth parse(String text) {
      try {
        return valueOf(text.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("'" + text + "' is not none, apikey or iam");
      }
    }
  }

  public HttpEndpoint {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(displayUri, "displayUri");
    Objects.requireNonNull(auth, "auth");
    pathVariables = Set.copyOf(new LinkedHashSet<>(pathVariables));
    if (auth == Auth.APIKEY && apiKey == null) {
      throw new IllegalArgumentException("auth=apikey needs api-key=${ENV_NAME}");
    }
    if (auth == Auth.IAM && (service == null || region == null)) {
      throw new IllegalArgumentException("auth=iam needs a service and a region");
    }
  }

  /** The URL with each {@code ${NAME}} shown as written: an API key or internal host put in the URL never prints. */
  @Override
  public String display() {
    return displayUri;
  }

  @Override
  public String toString() {
    return "HttpEndpoint[" + displayUri + ", auth=" + auth + ", apiKey=" + apiKey + ", service=" + service + ", region=" + region
        + ", forwardAuth=" + forwardAuth + "]";
  }

  /**
   * The SigV4 service and region an AWS host implies: {@code ID.execute-api.REGION.amazonaws.com}
   * is {@code execute-api}, {@code ID.lambda-url.REGION.on.aws} is {@code lambda}; null parts
   * when the host says nothing.
   */
  static String[] inferServiceAndRegion(String host) {
    String[] labels = host.toLowerCase(Locale.ROOT).split("\\.");
    for (int i = 0; i + 1 < labels.length; i++) {
      if (labels[i].equals("execute-api")) {
        return new String[] {"execute-api", labels[i + 1]};
      }
      if (labels[i].equals("lambda-url")) {
        return new String[] {"lambda", labels[i + 1]};
      }
    }
    return new String[] {null, null};
  }
}

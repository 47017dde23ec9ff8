package dev.lambdaproxy.invoke;

import dev.lambdaproxy.config.Settings;
import dev.lambdaproxy.route.FunctionRef;
import dev.lambdaproxy.sigv4.UriEncoder;
import java.net.URI;
import java.util.Objects;

/**
 * Where the Invoke call for one route goes and how it is signed, worked out once at start-up so
 * that a request only copies these strings.
 *
 * @param uri the full Invoke URL
 * @param hostHeader the Host header as sent (and signed): host, plus the port when not the default
 * @param encodedPath the path as sent on the wire, the function a single percent-encoded segment
 * @param rawQuery the query as sent ({@code Qualifier=...}), or null
 * @param signingRegion the region in the credential scope
 */
public record InvokeTarget(URI uri, String hostHeader, String encodedPath, String rawQuery, String signingRegion) {

  public static final String SERVICE = "lambda";

  public InvokeTarget {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(hostHeader, "hostHeader");
    Objects.requireNonNull(encodedPath, "encodedPath");
    Objects.requireNonNull(signingRegion, "signingRegion");
  }

  /**
   * The Invoke call for a function: a full ARN's region wins over the configured region, for the
   * endpoint (unless the operator set one) and for the signature.
   */
  public static InvokeTarget of(FunctionRef function, Settings settings) {
    return of(function, settings, false);
  }

  /**
   * The Invoke call, or with {@code streaming} the InvokeWithResponseStream call
   * ({@code POST /2021-11-15/functions/NAME/response-streaming-invocations}).
   */
  public static InvokeTarget of(FunctionRef function, Settings settings, boolean streaming) {
    String region = function.region() != null ? function.region() : settings.region();
    if (region == null) {
      throw new IllegalArgumentException("no region for " + function.display());
    }
    URI endpoint = settings.endpointFor(region);
    String basePath = endpoint.getRawPath() == null ? "" : endpoint.getRawPath();
    String encodedPath = basePath + (streaming
        ? "/2021-11-15/functions/" + encodeSegment(function.reference()) + "/response-streaming-invocations"
        : "/2015-03-31/functions/" + encodeSegment(function.reference()) + "/invocations");
    String rawQuery = function.qualifier() == null ? null : "Qualifier=" + encodeSegment(function.qualifier());
    String authority = endpoint.getRawAuthority();
    URI uri = URI.create(endpoint.getScheme() + "://" + authority + encodedPath + (rawQuery == null ? "" : "?" + rawQuery));
    return new InvokeTarget(uri, hostHeader(endpoint), encodedPath, rawQuery, region);
  }

  /** The Host header Jetty's client sends for this endpoint: the port only when not the scheme's default. */
  public static String hostHeader(URI endpoint) {
    String host = endpoint.getHost();
    int port = endpoint.getPort();
    boolean defaultPort = port == -1
        || (port == 443 && "https".equalsIgnoreCase(endpoint.getScheme()))
        || (port == 80 && "http".equalsIgnoreCase(endpoint.getScheme()));
    return defaultPort ? host : host + ":" + port;
  }

  /** Percent-encodes everything but RFC 3986's unreserved characters, so ':' becomes %3A. */
  static String encodeSegment(String value) {
    return UriEncoder.encode(value);
  }
}

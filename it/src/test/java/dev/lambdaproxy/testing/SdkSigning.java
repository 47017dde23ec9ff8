package dev.lambdaproxy.testing;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * Signs a request the way a correct client does, with the AWS SDK v2 signer (never the product's
 * SigV4 code), so tests can send well-signed and deliberately broken requests.
 *
 * <p>{@link Builder#sign()} returns every header to send: the ones given to {@link Builder#header},
 * plus Host, X-Amz-Date, x-amz-content-sha256 (unless turned off), X-Amz-Security-Token and
 * Authorization. {@code java.net.http.HttpClient} refuses to set Host itself; it sends the same
 * value, so drop it with {@code headers.without("Host")} there.
 */
public final class SdkSigning {

  private SdkSigning() {}

  /**
   * Signs as the AWS SDK's Lambda client does, for the "lambda" service.
   *
   * @param sessionToken null for long-term keys
   */
  public static Headers sign(String method, URI uri, byte[] body, String accessKeyId, String secretAccessKey,
      String sessionToken, String region, Clock clock) {
    Builder builder = request(method, uri).body(body).region(region).clock(clock);
    return (sessionToken == null
        ? builder.credentials(accessKeyId, secretAccessKey)
        : builder.credentials(accessKeyId, secretAccessKey, sessionToken)).sign();
  }

  public static Builder request(String method, URI uri) {
    return new Builder(method, uri);
  }

  /** One request to sign. Only {@link #credentials} and {@link #region} are required. */
  public static final class Builder {
    private final String method;
    private final URI uri;
    private final Headers.Builder headers = Headers.builder();
    private byte[] body = new byte[0];
    private String accessKeyId;
    private String secretAccessKey;
    private String sessionToken;
    private String region;
    private String service = "lambda";
    private Clock clock = Clock.systemUTC();
    private boolean signContentSha256 = true;

    private Builder(String method, URI uri) {
      this.method = Objects.requireNonNull(method, "method");
      this.uri = Objects.requireNonNull(uri, "uri");
      if (uri.getHost() == null || uri.getRawPath() == null) {
        throw new IllegalArgumentException("uri needs a host and a path, got " + uri);
      }
    }

    public Builder body(byte[] body) {
      this.body = Objects.requireNonNull(body, "body").clone();
      return this;
    }

    public Builder body(String body) {
      return body(body.getBytes(StandardCharsets.UTF_8));
    }

    /** A header to send and sign; a Host given here is signed instead of the URI's authority. */
    public Builder header(String name, String value) {
      headers.add(name, value);
      return this;
    }

    public Builder credentials(String accessKeyId, String secretAccessKey) {
      this.accessKeyId = Objects.requireNonNull(accessKeyId, "accessKeyId");
      this.secretAccessKey = Objects.requireNonNull(secretAccessKey, "secretAccessKey");
      this.sessionToken = null;
      return this;
    }

    public Builder credentials(String accessKeyId, String secretAccessKey, String sessionToken) {
      credentials(accessKeyId, secretAccessKey);
      this.sessionToken = Objects.requireNonNull(sessionToken, "sessionToken");
      return this;
    }

    public Builder region(String region) {
      this.region = Objects.requireNonNull(region, "region");
      return this;
    }

    /** The service in the credential scope (default "lambda"). */
    public Builder service(String service) {
      this.service = Objects.requireNonNull(service, "service");
      return this;
    }

    /** Where the signing time comes from (default the system clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Whether to send and sign {@code x-amz-content-sha256} (default true, as the SDK's public
     * signer always does). Lambda does not require it; false signs like botocore and most
     * hand-written signers, using the SDK's request signer.
     */
    public Builder signContentSha256(boolean signContentSha256) {
      this.signContentSha256 = signContentSha256;
      return this;
    }

    /** The headers to send, Authorization included. */
    public Headers sign() {
      if (accessKeyId == null) {
        throw new IllegalStateException("credentials(...) not set");
      }
      if (region == null) {
        throw new IllegalStateException("region(...) not set");
      }
      Instant now = clock.instant();
      Headers given = headers.build();
      SdkHttpFullRequest.Builder request =
          SdkV4.request(method, uri.getScheme(), authority(), uri.getRawPath(), uri.getRawQuery());
      given.fields().forEach(field -> request.appendHeader(
          field.getKey().equalsIgnoreCase("Host") ? "Host" : field.getKey(), field.getValue()));

      if (signContentSha256) {
        AwsCredentialsIdentity identity = sessionToken == null
            ? AwsCredentialsIdentity.create(accessKeyId, secretAccessKey)
            : AwsSessionCredentialsIdentity.create(accessKeyId, secretAccessKey, sessionToken);
        SdkV4.Signature signature = SdkV4.signWithHttpSigner(request.build(), body, identity, region, service, now);
        return toHeaders(signature.signedRequest());
      }
      // What V4RequestSigner.header adds before signing, minus the content hash.
      if (!given.contains("Host")) {
        request.putHeader("Host", authority());
      }
      request.putHeader("X-Amz-Date", SigV4Verifier.AMZ_DATE.format(now));
      if (sessionToken != null) {
        request.putHeader("X-Amz-Security-Token", sessionToken);
      }
      SdkV4.Signature signature = SdkV4.signExactHeaders(request, body,
          AwsCredentialsIdentity.create(accessKeyId, secretAccessKey), region, service, now);
      return toHeaders(request.build()).toBuilder().set("Authorization", signature.authorization()).build();
    }

    private String authority() {
      int port = uri.getPort();
      boolean standard = port == -1 || port == 80 && "http".equals(uri.getScheme())
          || port == 443 && "https".equals(uri.getScheme());
      return standard ? uri.getHost() : uri.getHost() + ":" + port;
    }

    private static Headers toHeaders(SdkHttpRequest request) {
      Headers.Builder headers = Headers.builder();
      for (Map.Entry<String, List<String>> header : request.headers().entrySet()) {
        header.getValue().forEach(value -> headers.add(header.getKey(), value));
      }
      return headers.build();
    }

    @Override
    public String toString() {
      return "SdkSigning.Builder[" + method + " " + uri + ", key=" + accessKeyId + ", region=" + region + "]";
    }
  }
}

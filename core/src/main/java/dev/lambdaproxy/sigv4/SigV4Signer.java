package dev.lambdaproxy.sigv4;

import dev.lambdaproxy.credentials.AwsCredentials;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * Signs requests with AWS Signature Version 4 in the Authorization header: canonical request
 * ({@link CanonicalRequest}), string to sign ({@link StringToSign}), signing key
 * ({@link SigningKey}, cached per day by a {@link SigningKeyCache}) and signature. Thread-safe.
 *
 * <p>The signing time comes from the injected {@link Clock} only.
 *
 * @see <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html">
 *     Create a signed AWS API request</a>
 */
public final class SigV4Signer {

  private static final SigningKeyCache SHARED_CACHE = new SigningKeyCache();

  private final Clock clock;
  private final SigningKeyCache cache;
  private final boolean normalizePath;
  // Many requests share a second: formatting the date once per second spares two strings each.
  private volatile TimeMemo lastTime;

  /** A signer on {@code clock} with the process-wide key cache. */
  public SigV4Signer(Clock clock) {
    this(clock, SHARED_CACHE);
  }

  /** A signer on {@code clock} with its own key {@code cache}; paths are signed as sent. */
  public SigV4Signer(Clock clock, SigningKeyCache cache) {
    this(clock, cache, false);
  }

  /**
   * A signer on {@code clock} with {@code cache}; {@code normalizePath} removes dot segments and
   * repeated slashes from the path before encoding it (see {@link CanonicalUri#normalize}), which
   * only a request whose path is sent normalized may use.
   */
  public SigV4Signer(Clock clock, SigningKeyCache cache, boolean normalizePath) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.cache = Objects.requireNonNull(cache, "cache");
    this.normalizePath = normalizePath;
  }

  /**
   * Signs every header of {@code request} (but {@link CanonicalHeaders#UNSIGNED_HEADERS}) plus
   * {@code x-amz-date} and, when {@code credentials.sessionToken()} is not null,
   * {@code x-amz-security-token}; returns the headers the caller must set.
   */
  public SigV4Result sign(
      SignableRequest request, AwsCredentials credentials, String region, String service) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(service, "service");
    SigningTime time = signingTime(clock.instant());
    String token = credentials.sessionToken();
    SigningKey key = cache.get(credentials.secretAccessKey(), time.date(), region, service);
    CanonicalHeaders headers = CanonicalHeaders.of(request.headers(), time.amzDate(), token);

    Scratch scratch = Scratch.current();
    Utf8Sink text = scratch.sink();
    CanonicalRequest.appendTo(text, request, headers, normalizePath);
    byte[] canonicalRequestHash = scratch.sha256(text);

    text.setLength(0);
    StringToSign.appendTo(text, time.amzDate(), key.scopeValue(), canonicalRequestHash);
    byte[] signature = scratch.hmacSha256(key, text);

    text.setLength(0);
    text.utf8(StringToSign.ALGORITHM).utf8(" Credential=").utf8(credentials.accessKeyId()).ascii('/')
        .utf8(key.scopeValue()).utf8(", SignedHeaders=");
    headers.appendSignedHeaders(text).utf8(", Signature=").hex(signature, 0, Scratch.SHA256_LENGTH);
    return new SigV4Result(time.amzDate(), token, text.toString());
  }

  @Override
  public String toString() {
    return "SigV4Signer[clock=" + clock + ", normalizePath=" + normalizePath + "]";
  }

  private SigningTime signingTime(Instant now) {
    long second = now.getEpochSecond();
    TimeMemo last = lastTime;
    if (last != null && last.epochSecond == second) {
      return last.time;
    }
    SigningTime time = SigningTime.of(now);
    lastTime = new TimeMemo(second, time);
    return time;
  }

  private record TimeMemo(long epochSecond, SigningTime time) {
  }
}

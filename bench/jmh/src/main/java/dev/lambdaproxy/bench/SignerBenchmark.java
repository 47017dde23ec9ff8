package dev.lambdaproxy.bench;

import dev.lambdaproxy.credentials.AwsCredentials;
import dev.lambdaproxy.sigv4.Header;
import dev.lambdaproxy.sigv4.PayloadHash;
import dev.lambdaproxy.sigv4.SigV4Result;
import dev.lambdaproxy.sigv4.SigV4Signer;
import dev.lambdaproxy.sigv4.SignableRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Signing one Lambda Invoke call ({@code POST /2015-03-31/functions/hello/invocations}, body
 * {@code {}}, Host signed): the proxy's {@link SigV4Signer} against the AWS SDK v2
 * {@link AwsV4HttpSigner}, both on the system clock with long-term keys.
 *
 * <p>{@code ours} is the call the proxy makes, the payload hash already known (the proxy hashes
 * the body as it reads it); {@code oursHashingPayload} also hashes the body, as the SDK signer must.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
public class SignerBenchmark {

  private static final String REGION = "us-east-1";
  private static final String SERVICE = "lambda";
  private static final String HOST = "lambda.us-east-1.amazonaws.com";
  private static final String PATH = "/2015-03-31/functions/hello/invocations";
  private static final String ACCESS_KEY_ID = "AKIDEXAMPLE";
  private static final String SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  private static final byte[] BODY = "{}".getBytes(StandardCharsets.UTF_8);

  private final SigV4Signer signer = new SigV4Signer(Clock.systemUTC());
  private final AwsCredentials credentials = AwsCredentials.of(ACCESS_KEY_ID, SECRET_ACCESS_KEY);
  private final String payloadSha256Hex = PayloadHash.sha256Hex(BODY);

  private final AwsV4HttpSigner sdkSigner = AwsV4HttpSigner.create();
  private final AwsCredentialsIdentity identity = AwsCredentialsIdentity.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY);
  private final SdkHttpFullRequest sdkRequest = SdkHttpFullRequest.builder()
      .method(SdkHttpMethod.POST)
      .protocol("https")
      .host(HOST)
      .encodedPath(PATH)
      .putHeader("Host", HOST)
      .build();
  private final ContentStreamProvider sdkPayload = ContentStreamProvider.fromByteArrayUnsafe(BODY);

  @Benchmark
  public SigV4Result ours() {
    SignableRequest request = new SignableRequest(
        "POST", PATH, null, List.of(new Header("host", HOST)), payloadSha256Hex);
    return signer.sign(request, credentials, REGION, SERVICE);
  }

  @Benchmark
  public SigV4Result oursHashingPayload() {
    SignableRequest request = new SignableRequest(
        "POST", PATH, null, List.of(new Header("host", HOST)), PayloadHash.sha256Hex(BODY));
    return signer.sign(request, credentials, REGION, SERVICE);
  }

  @Benchmark
  public SignedRequest sdk() {
    return sdkSigner.sign(sign -> sign
        .identity(identity)
        .request(sdkRequest)
        .payload(sdkPayload)
        .putProperty(AwsV4HttpSigner.REGION_NAME, REGION)
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SERVICE));
  }
}

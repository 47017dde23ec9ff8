package dev.lambdaproxy.sigv4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lambdaproxy.credentials.AwsCredentials;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * Random requests signed by our signer and by the AWS SDK v2 ({@link AwsV4HttpSigner}); the
 * Authorization headers must be identical. Both sides get the same inputs: the SDK the path as
 * sent and the query parameters decoded (it re-encodes them), ours the raw path and raw query.
 */
class SigV4DifferentialTest {

  private static final long SEED = 0x5EED_516_4L;
  private static final int REQUESTS = 2_000;
  private static final int MAX_REPORTED = 3;

  // The SDK signer always adds and signs this header (its checksummer runs for every signed
  // request), so our side signs it too; sdkAlwaysSignsTheContentSha256Header pins that down.
  private static final String CONTENT_SHA256 = "X-Amz-Content-Sha256";

  private static final List<String> METHODS =
      List.of("GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS");
  private static final List<String> REGIONS =
      List.of("us-east-1", "eu-west-3", "ap-southeast-2", "us-gov-west-1", "cn-north-1", "il-central-1");
  private static final List<String> SERVICES = List.of("lambda", "execute-api", "sts", "dynamodb");
  private static final List<String> HEADER_NAMES = List.of(
      "Content-Type", "Content-Length", "X-Amz-Invocation-Type", "X-Amz-Log-Type",
      "X-Amz-Client-Context", "Accept", "Accept-Encoding", "X-Forwarded-For", "User-Agent",
      "X-Amzn-Trace-Id", "Connection", "Expect", "Transfer-Encoding", "X-Custom-Header", "My-Header1");
  private static final String SUB_DELIMS = "!$'()*,;:@/?";
  private static final String[] TEXT_PIECES = {
      "a", "Z", "0", "9", "-", ".", "_", "~", " ", "!", "\"", "#", "$", "%", "&", "'", "(", ")", "*",
      "+", ",", "/", ":", ";", "<", "=", ">", "?", "@", "[", "\\", "]", "^", "`", "{", "|", "}",
      "é", "ß", "\u00a0", "ሴ", "\uD83D\uDE00", "abc", "value", "%41"};
  private static final String[] WHITESPACE = {" ", "  ", "\t", " \t ", "\n ", "\r\n\t", "\u000b", "\f"};

  private final AwsV4HttpSigner sdkSigner = AwsV4HttpSigner.create();

  @Test
  void randomRequestsGetTheSameAuthorizationAsFromTheAwsSdkV2Signer() {
    Random random = new Random(SEED);
    SigningKeyCache cache = new SigningKeyCache();
    List<AwsCredentials> usedCredentials = new ArrayList<>();
    List<String> mismatches = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      RandomCase randomCase = RandomCase.next(random, usedCredentials);
      SigV4Result ours = new SigV4Signer(Clock.fixed(randomCase.instant, ZoneOffset.UTC), cache)
          .sign(randomCase.ours(), randomCase.credentials, randomCase.region, randomCase.service);
      SdkHttpRequest theirs = signWithSdk(randomCase);
      String theirAuthorization = theirs.firstMatchingHeader(SigV4Result.AUTHORIZATION).orElse(null);
      boolean same = ours.authorization().equals(theirAuthorization)
          && ours.amzDate().equals(theirs.firstMatchingHeader(SigV4Result.X_AMZ_DATE).orElse(null))
          && String.valueOf(ours.securityToken()).equals(
              String.valueOf(theirs.firstMatchingHeader(SigV4Result.X_AMZ_SECURITY_TOKEN).orElse(null)));
      if (!same) {
        mismatches.add("request " + i + ": " + randomCase + "\n  ours:   " + ours.authorization()
            + "\n  theirs: " + theirAuthorization + "\n  our canonical request:\n"
            + CanonicalRequest.of(randomCase.ours(), ours.amzDate(), ours.securityToken(), false));
      }
    }
    assertTrue(mismatches.isEmpty(), () -> "seed " + SEED + ": " + mismatches.size() + " of " + REQUESTS
        + " requests signed differently; first ones:\n"
        + String.join("\n", mismatches.subList(0, Math.min(MAX_REPORTED, mismatches.size()))));
  }

  @Test
  void sdkAlwaysSignsTheContentSha256Header() {
    RandomCase randomCase = RandomCase.next(new Random(SEED), new ArrayList<>());
    SdkHttpRequest signed = signWithSdk(randomCase);
    String authorization = signed.firstMatchingHeader(SigV4Result.AUTHORIZATION).orElseThrow();
    assertTrue(authorization.contains("x-amz-content-sha256"), authorization);
    assertEquals(PayloadHash.sha256Hex(randomCase.body),
        signed.firstMatchingHeader(CONTENT_SHA256).orElseThrow());
  }

  private SdkHttpRequest signWithSdk(RandomCase randomCase) {
    SdkHttpFullRequest.Builder request = SdkHttpFullRequest.builder()
        .method(SdkHttpMethod.fromValue(randomCase.method))
        .protocol("https")
        .host(randomCase.host)
        .encodedPath(randomCase.path);
    for (String[] parameter : randomCase.parameters) {
      request.appendRawQueryParameter(parameter[0], parameter[1]);
    }
    for (Header header : randomCase.headers) {
      request.appendHeader(header.name(), header.value());
    }
    AwsCredentials credentials = randomCase.credentials;
    AwsCredentialsIdentity identity = credentials.sessionToken() == null
        ? AwsCredentialsIdentity.create(credentials.accessKeyId(), credentials.secretAccessKey())
        : AwsSessionCredentialsIdentity.create(
            credentials.accessKeyId(), credentials.secretAccessKey(), credentials.sessionToken());
    byte[] body = randomCase.body;
    return sdkSigner.sign(sign -> sign
        .identity(identity)
        .request(request.build())
        .payload(() -> new ByteArrayInputStream(body))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, randomCase.service)
        .putProperty(AwsV4HttpSigner.REGION_NAME, randomCase.region)
        .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, true)
        .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true)
        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(randomCase.instant, ZoneOffset.UTC)))
        .request();
  }

  /** One random request: what each side is given, and how it was drawn. */
  private static final class RandomCase {

    String method;
    String host;
    String path;
    String rawQuery;
    /** Decoded (name, value) pairs, value null for a parameter without '='. */
    final List<String[]> parameters = new ArrayList<>();
    final List<Header> headers = new ArrayList<>();
    byte[] body;
    AwsCredentials credentials;
    String region;
    String service;
    Instant instant;

    static RandomCase next(Random random, List<AwsCredentials> usedCredentials) {
      RandomCase c = new RandomCase();
      c.method = pick(random, METHODS);
      c.region = random.nextInt(4) == 0 ? randomRegion(random) : pick(random, REGIONS);
      c.service = random.nextInt(4) == 0 ? randomWord(random, 3, 12) : pick(random, SERVICES);
      c.host = c.service + "." + c.region + ".amazonaws.com";
      c.path = random.nextBoolean() ? lambdaPath(random) : randomPath(random);
      c.rawQuery = randomQuery(random, c.parameters);
      c.body = new byte[random.nextInt(4) == 0 ? 0 : random.nextInt(200)];
      random.nextBytes(c.body);
      c.credentials = !usedCredentials.isEmpty() && random.nextInt(3) == 0
          ? pick(random, usedCredentials) : randomCredentials(random);
      usedCredentials.add(c.credentials);
      // Days in 2000-2099, several requests on some of the same days.
      long day = 10_957 + (random.nextInt(3) == 0 ? random.nextInt(3) : random.nextInt(36_524));
      c.instant = Instant.ofEpochSecond(day * 86_400 + random.nextInt(86_400), random.nextInt(1_000_000_000));
      c.headers.add(new Header(randomCase(random, "Host"), c.host));
      int headerCount = random.nextInt(7);
      for (int i = 0; i < headerCount; i++) {
        String name = random.nextInt(5) == 0 && !c.headers.isEmpty()
            ? c.headers.get(random.nextInt(c.headers.size())).name()
            : pick(random, HEADER_NAMES);
        c.headers.add(new Header(randomCase(random, name), randomHeaderValue(random)));
      }
      return c;
    }

    /** Our side: the SDK's extra x-amz-content-sha256 added so both sign the same header set. */
    SignableRequest ours() {
      String payloadHash = PayloadHash.sha256Hex(body);
      List<Header> signed = new ArrayList<>(headers);
      signed.add(new Header(CONTENT_SHA256, payloadHash));
      return new SignableRequest(method, path, rawQuery, signed, payloadHash);
    }

    @Override
    public String toString() {
      return method + " " + path + (rawQuery.isEmpty() ? "" : "?" + rawQuery) + " headers=" + headers
          + " body=" + body.length + "B region=" + region + " service=" + service + " at " + instant
          + (credentials.sessionToken() == null ? "" : " with session token");
    }

    private static String lambdaPath(Random random) {
      String function = randomWord(random, 1, 20) + (random.nextBoolean() ? "" : "-" + randomWord(random, 1, 8));
      String name;
      switch (random.nextInt(4)) {
        case 0 -> name = function;
        case 1 -> name = function + ":" + (random.nextBoolean() ? "PROD" : "$LATEST");
        case 2 -> name = "123456789012:function:" + function;
        default -> name = "arn:aws:lambda:us-east-1:123456789012:function:" + function
            + (random.nextBoolean() ? "" : ":" + random.nextInt(100));
      }
      return "/2015-03-31/functions/" + percentEncode(name, random, true) + "/invocations";
    }

    private static String randomPath(Random random) {
      StringBuilder path = new StringBuilder();
      int segments = 1 + random.nextInt(5);
      for (int i = 0; i < segments; i++) {
        path.append('/');
        int kind = random.nextInt(6);
        if (kind == 0) {
          continue;
        }
        String text = randomText(random, 1, 10);
        path.append(kind == 1 ? text.replace("/", "").replace("?", "").replace("#", "")
            : percentEncode(text, random, kind == 2));
      }
      if (random.nextInt(4) == 0) {
        path.append('/');
      }
      return path.toString();
    }

    private static String randomQuery(Random random, List<String[]> parameters) {
      if (random.nextInt(3) == 0) {
        return "";
      }
      StringBuilder raw = new StringBuilder();
      int count = 1 + random.nextInt(4);
      for (int i = 0; i < count; i++) {
        String name;
        int kind = random.nextInt(8);
        if (kind == 0 && !parameters.isEmpty()) {
          name = parameters.get(random.nextInt(parameters.size()))[0];
        } else if (kind == 1) {
          name = "Qualifier";
        } else if (kind == 2 && random.nextInt(4) == 0) {
          name = "";
        } else {
          name = randomText(random, 1, 8);
        }
        String value = switch (random.nextInt(6)) {
          case 0 -> null;
          case 1 -> "";
          default -> randomText(random, 1, 12);
        };
        parameters.add(new String[] {name, value});
        if (raw.length() > 0 || random.nextInt(10) == 0) {
          raw.append(random.nextInt(10) == 0 ? "&&" : "&");
        }
        raw.append(wireEncode(name, random));
        if (value != null) {
          raw.append('=').append(wireEncode(value, random));
        }
      }
      return raw.toString();
    }

    /** Encodes as a client might: reserved characters always, others only sometimes. */
    private static String wireEncode(String text, Random random) {
      StringBuilder out = new StringBuilder();
      text.codePoints().forEach(cp -> {
        String s = new String(Character.toChars(cp));
        boolean plain = cp < 0x80 && UriEncoder.isUnreserved((char) cp);
        boolean optional = SUB_DELIMS.indexOf(cp) >= 0 || cp >= 0x80;
        if ((plain && random.nextInt(10) != 0) || (optional && random.nextBoolean())) {
          out.append(s);
        } else {
          appendEscaped(out, s, random);
        }
      });
      return out.toString();
    }

    /** Strict encoding of every byte but the unreserved ones, hex in random case. */
    private static String percentEncode(String text, Random random, boolean lowerHexSometimes) {
      StringBuilder out = new StringBuilder();
      text.codePoints().forEach(cp -> {
        if (cp < 0x80 && UriEncoder.isUnreserved((char) cp)) {
          out.appendCodePoint(cp);
        } else {
          appendEscaped(out, new String(Character.toChars(cp)), lowerHexSometimes ? random : null);
        }
      });
      return out.toString();
    }

    private static void appendEscaped(StringBuilder out, String s, Random random) {
      for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
        String hex = String.format("%02X", b & 0xFF);
        out.append('%').append(random != null && random.nextBoolean() ? hex.toLowerCase(Locale.ROOT) : hex);
      }
    }

    private static String randomHeaderValue(Random random) {
      StringBuilder value = new StringBuilder();
      if (random.nextInt(3) == 0) {
        value.append(pick(random, List.of(WHITESPACE)));
      }
      int words = random.nextInt(4);
      for (int i = 0; i < words; i++) {
        if (i > 0) {
          value.append(random.nextBoolean() ? " " : pick(random, List.of(WHITESPACE)));
        }
        value.append(randomText(random, 1, 10));
      }
      if (random.nextInt(3) == 0) {
        value.append(pick(random, List.of(WHITESPACE)));
      }
      return value.toString();
    }

    private static String randomText(Random random, int min, int max) {
      StringBuilder text = new StringBuilder();
      int length = min + random.nextInt(max - min + 1);
      for (int i = 0; i < length; i++) {
        text.append(TEXT_PIECES[random.nextInt(TEXT_PIECES.length)]);
      }
      return text.toString();
    }

    private static String randomWord(Random random, int min, int max) {
      StringBuilder word = new StringBuilder();
      int length = min + random.nextInt(max - min + 1);
      for (int i = 0; i < length; i++) {
        word.append((char) ('a' + random.nextInt(26)));
      }
      return word.toString();
    }

    private static String randomRegion(Random random) {
      return randomWord(random, 2, 2) + "-" + randomWord(random, 4, 9) + "-" + (1 + random.nextInt(9));
    }

    private static AwsCredentials randomCredentials(Random random) {
      String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
      StringBuilder accessKey = new StringBuilder("AKIA");
      for (int i = 0; i < 16; i++) {
        accessKey.append(alphabet.charAt(random.nextInt(26)));
      }
      StringBuilder secret = new StringBuilder();
      for (int i = 0; i < 40; i++) {
        secret.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String token = null;
      if (random.nextBoolean()) {
        StringBuilder t = new StringBuilder();
        int length = 100 + random.nextInt(300);
        for (int i = 0; i < length; i++) {
          t.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        token = t.append("==").toString();
      }
      return new AwsCredentials(accessKey.toString(), secret.toString(), token);
    }

    private static String randomCase(Random random, String name) {
      return switch (random.nextInt(4)) {
        case 0 -> name.toLowerCase(Locale.ROOT);
        case 1 -> name.toUpperCase(Locale.ROOT);
        default -> name;
      };
    }

    private static <T> T pick(Random random, List<T> list) {
      return list.get(random.nextInt(list.size()));
    }
  }
}

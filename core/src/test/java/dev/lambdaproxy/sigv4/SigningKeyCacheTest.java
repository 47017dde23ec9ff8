package dev.lambdaproxy.sigv4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SigningKeyCacheTest {

  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

  @Test
  void derivedKeyMatchesTheAwsDocumentationExample() {
    SigningKey key = SigningKey.derive(SECRET, new CredentialScope("20150830", "us-east-1", "iam"));
    assertArrayEquals(
        HexFormat.of().parseHex("c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9"),
        key.encoded());
    String stringToSign = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\n"
        + "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59";
    assertEquals("5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
        key.signature(stringToSign));
  }

  @Test
  void sameSecretDayRegionAndServiceReuseTheSameKeyObject() {
    SigningKeyCache cache = new SigningKeyCache();
    SigningKey first = cache.get(SECRET, "20150830", "us-east-1", "lambda");
    assertSame(first, cache.get(SECRET, "20150830", "us-east-1", "lambda"));
    // An equal secret in another String object takes the hashed path, and still finds the key.
    assertSame(first, cache.get(new String(SECRET.toCharArray()), "20150830", "us-east-1", "lambda"));
    assertEquals(1, cache.size());
  }

  @ParameterizedTest(name = "{0}/{1}/{2} with secret {3} differs from 20150830/us-east-1/lambda")
  @CsvSource(delimiter = '|', textBlock = """
      20150831 | us-east-1 | lambda | wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY
      20150830 | eu-west-1 | lambda | wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY
      20150830 | us-east-1 | sts    | wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY
      20150830 | us-east-1 | lambda | anotherSecretAccessKeyEXAMPLEKEY
      """)
  void anotherDayRegionServiceOrSecretGetsAnotherKey(
      String date, String region, String service, String secret) {
    SigningKeyCache cache = new SigningKeyCache();
    SigningKey base = cache.get(SECRET, "20150830", "us-east-1", "lambda");
    SigningKey other = cache.get(secret, date, region, service);
    assertNotSame(base, other);
    assertTrue(!java.util.Arrays.equals(base.encoded(), other.encoded()), "key bytes differ");
    assertEquals(new CredentialScope(date, region, service), other.scope());
    assertSame(base, cache.get(SECRET, "20150830", "us-east-1", "lambda"));
  }

  @Test
  void cacheStaysWithinItsBound() {
    SigningKeyCache cache = new SigningKeyCache(4);
    for (int day = 1; day <= 20; day++) {
      cache.get(SECRET, String.format("201508%02d", day), "us-east-1", "lambda");
      assertTrue(cache.size() <= 4, "size " + cache.size());
    }
  }

  @Test
  void invalidBoundIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> new SigningKeyCache(0));
  }

  @Test
  void concurrentCallersGetEqualKeys() throws Exception {
    SigningKeyCache cache = new SigningKeyCache();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<SigningKey>> keys = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        String region = i % 2 == 0 ? "us-east-1" : "eu-west-1";
        keys.add(pool.submit(() -> cache.get(SECRET, "20150830", region, "lambda")));
      }
      for (Future<SigningKey> key : keys) {
        SigningKey expected = SigningKey.derive(SECRET, key.get().scope());
        assertArrayEquals(expected.encoded(), key.get().encoded());
      }
      assertEquals(2, cache.size());
    } finally {
      pool.shutdownNow();
    }
  }
}

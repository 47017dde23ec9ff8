package dev.lambdaproxy.sigv4;

import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signing keys by (secret access key, day, region, service): deriving one takes four HMACs, and a
 * key stays valid all day. Thread-safe.
 *
 * <p>Entries are keyed on a salted SHA-256 of the secret, never the secret itself. When
 * {@link #maxEntries()} is reached the cache empties and refills on demand: only a pathological
 * mix of credentials, regions and services fills it, and re-deriving is cheap. Neither
 * {@link #toString()} nor any exception message shows a secret.
 */
public final class SigningKeyCache {

  /** Enough for every region and a few credential rotations a day. */
  public static final int DEFAULT_MAX_ENTRIES = 256;

  private static final int SALT_LENGTH = 16;

  private final int maxEntries;
  private final byte[] salt = new byte[SALT_LENGTH];
  private final ConcurrentHashMap<Key, SigningKey> keys = new ConcurrentHashMap<>();
  // The last key handed out, found by the identity of the secret String: a request usually signs
  // with the same credentials object as the one before, and this spares hashing the secret.
  private volatile Recent recent;

  public SigningKeyCache() {
    this(DEFAULT_MAX_ENTRIES);
  }

  public SigningKeyCache(int maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be at least 1: " + maxEntries);
    }
    this.maxEntries = maxEntries;
    new SecureRandom().nextBytes(salt);
  }

  /**
   * The signing key of {@code secretAccessKey} for {@code date} ({@code yyyyMMdd}),
   * {@code region} and {@code service}: the same object for as long as it stays cached.
   */
  public SigningKey get(String secretAccessKey, String date, String region, String service) {
    Objects.requireNonNull(secretAccessKey, "secretAccessKey");
    Objects.requireNonNull(date, "date");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(service, "service");
    Recent last = recent;
    if (last != null && last.secret.get() == secretAccessKey && last.matches(date, region, service)) {
      return last.key;
    }
    SigningKey key = lookup(secretAccessKey, date, region, service);
    recent = new Recent(new WeakReference<>(secretAccessKey), key);
    return key;
  }

  /** The signing key of {@code secretAccessKey} for {@code scope}. */
  public SigningKey get(String secretAccessKey, CredentialScope scope) {
    return get(secretAccessKey, scope.date(), scope.region(), scope.service());
  }

  /** How many keys are cached now. */
  public int size() {
    return keys.size();
  }

  public int maxEntries() {
    return maxEntries;
  }

  @Override
  public String toString() {
    return "SigningKeyCache[size=" + keys.size() + ", maxEntries=" + maxEntries + "]";
  }

  private SigningKey lookup(String secretAccessKey, String date, String region, String service) {
    byte[] fingerprint = fingerprint(secretAccessKey);
    Key cacheKey = new Key(Hex.toHex(fingerprint, 0, Scratch.SHA256_LENGTH), date, region, service);
    SigningKey key = keys.get(cacheKey);
    if (key != null) {
      return key;
    }
    if (keys.size() >= maxEntries) {
      keys.clear();
    }
    return keys.computeIfAbsent(cacheKey,
        k -> SigningKey.derive(secretAccessKey, new CredentialScope(date, region, service)));
  }

  private byte[] fingerprint(String secretAccessKey) {
    byte[] secret = secretAccessKey.getBytes(StandardCharsets.UTF_8);
    byte[] salted = new byte[salt.length + secret.length];
    System.arraycopy(salt, 0, salted, 0, salt.length);
    System.arraycopy(secret, 0, salted, salt.length, secret.length);
    try {
      return Scratch.current().sha256(salted, 0, salted.length);
    } finally {
      Arrays.fill(secret, (byte) 0);
      Arrays.fill(salted, (byte) 0);
    }
  }

  private record Key(String secretFingerprint, String date, String region, String service) {
    @Override
    public String toString() {
      return "Key[" + date + "/" + region + "/" + service + "]";
    }
  }

  private record Recent(WeakReference<String> secret, SigningKey key) {
    boolean matches(String date, String region, String service) {
      CredentialScope scope = key.scope();
      return scope.date().equals(date) && scope.region().equals(region)
          && scope.service().equals(service);
    }
  }
}

package dev.lambdaproxy.sigv4;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Step 3 of SigV4: the signing key derived from the secret access key for one credential scope,
 * and the signature it makes of a string to sign.
 * <pre>
 * kDate = HMAC("AWS4" + secret, date); kRegion = HMAC(kDate, region);
 * kService = HMAC(kRegion, service); kSigning = HMAC(kService, "aws4_request")
 * signature = Hex(HMAC(kSigning, StringToSign))
 * </pre>
 *
 * <p>A key is valid for its whole day, which is why {@link SigningKeyCache} keeps it.
 * {@link #toString()} names the scope only.
 *
 * @see <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#derive-signing-key">
 *     Derive a signing key</a>
 * @see <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#calculate-signature">
 *     Calculate the signature</a>
 */
public final class SigningKey {

  private static final String ALGORITHM = "HmacSHA256";
  private static final byte[] SECRET_PREFIX = "AWS4".getBytes(StandardCharsets.US_ASCII);

  private final CredentialScope scope;
  // Written into every string to sign and Authorization header: built once, not per request.
  private final String scopeValue;
  private final SecretKeySpec key;

  private SigningKey(CredentialScope scope, byte[] key) {
    this.scope = scope;
    this.scopeValue = scope.value();
    this.key = new SecretKeySpec(key, ALGORITHM);
  }

  /** Derives the signing key of {@code secretAccessKey} for {@code scope}. */
  public static SigningKey derive(String secretAccessKey, CredentialScope scope) {
    Objects.requireNonNull(secretAccessKey, "secretAccessKey");
    Objects.requireNonNull(scope, "scope");
    byte[] secret = secretAccessKey.getBytes(StandardCharsets.UTF_8);
    byte[] kSecret = new byte[SECRET_PREFIX.length + secret.length];
    System.arraycopy(SECRET_PREFIX, 0, kSecret, 0, SECRET_PREFIX.length);
    System.arraycopy(secret, 0, kSecret, SECRET_PREFIX.length, secret.length);
    Mac mac = Scratch.newHmacSha256();
    try {
      byte[] kDate = hmac(mac, kSecret, scope.date());
      byte[] kRegion = hmac(mac, kDate, scope.region());
      byte[] kService = hmac(mac, kRegion, scope.service());
      byte[] kSigning = hmac(mac, kService, CredentialScope.TERMINATOR);
      SigningKey signingKey = new SigningKey(scope, kSigning);
      Arrays.fill(kDate, (byte) 0);
      Arrays.fill(kRegion, (byte) 0);
      Arrays.fill(kService, (byte) 0);
      Arrays.fill(kSigning, (byte) 0);
      return signingKey;
    } finally {
      // Copies of the secret should not outlive the derivation in the heap.
      Arrays.fill(secret, (byte) 0);
      Arrays.fill(kSecret, (byte) 0);
    }
  }

  /** The credential scope this key signs for. */
  public CredentialScope scope() {
    return scope;
  }

  /** The hex signature of {@code stringToSign}. */
  public String signature(String stringToSign) {
    Objects.requireNonNull(stringToSign, "stringToSign");
    Scratch scratch = Scratch.current();
    byte[] signature = scratch.hmacSha256(this, scratch.sink().utf8(stringToSign));
    return Hex.toHex(signature, 0, Scratch.SHA256_LENGTH);
  }

  String scopeValue() {
    return scopeValue;
  }

  SecretKeySpec secretKey() {
    return key;
  }

  // The raw key, for tests against published derivation examples.
  byte[] encoded() {
    return key.getEncoded();
  }

  @Override
  public String toString() {
    return "SigningKey[scope=" + scope + "]";
  }

  private static byte[] hmac(Mac mac, byte[] key, String data) {
    try {
      mac.init(new SecretKeySpec(key, ALGORITHM));
    } catch (InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 rejected a signing key", e);
    }
    return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
  }
}

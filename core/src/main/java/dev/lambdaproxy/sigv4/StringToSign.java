package dev.lambdaproxy.sigv4;

import java.util.Objects;

/**
 * Step 2 of SigV4, the string to sign:
 * <pre>
 * AWS4-HMAC-SHA256 \n RequestDateTime \n CredentialScope \n Hex(SHA256(CanonicalRequest))
 * </pre>
 *
 * @see <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#create-string-to-sign">
 *     Create a string to sign</a>
 */
public final class StringToSign {

  /** The signing algorithm, first line of the string to sign and first word of Authorization. */
  public static final String ALGORITHM = "AWS4-HMAC-SHA256";

  private StringToSign() {
  }

  /** The string to sign for {@code canonicalRequest}, signed at {@code amzDate} in {@code scope}. */
  public static String of(String amzDate, CredentialScope scope, String canonicalRequest) {
    Objects.requireNonNull(amzDate, "amzDate");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(canonicalRequest, "canonicalRequest");
    Scratch scratch = Scratch.current();
    byte[] hash = scratch.sha256(scratch.sink().utf8(canonicalRequest));
    return appendTo(new Utf8Sink(128), amzDate, scope.value(), hash).toString();
  }

  // Appends the string to sign, given the SHA-256 of the canonical request, to out.
  static Utf8Sink appendTo(Utf8Sink out, String amzDate, String scope, byte[] canonicalRequestSha256) {
    out.utf8(ALGORITHM).ascii('\n').utf8(amzDate).ascii('\n').utf8(scope).ascii('\n');
    return out.hex(canonicalRequestSha256, 0, Scratch.SHA256_LENGTH);
  }
}

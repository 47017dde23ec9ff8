package dev.lambdaproxy.sigv4;

import java.util.Objects;

/**
 * The credential scope {@code yyyyMMdd/region/service/aws4_request}: it binds a signature, and the
 * signing key derived for it, to one day, one region and one service.
 *
 * <p>{@link #toString()} is the scope string itself; it holds nothing secret.
 *
 * @see <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#create-string-to-sign">
 *     Create a string to sign (CredentialScope)</a>
 */
public record CredentialScope(String date, String region, String service) {

  /** The last element of every SigV4 scope. */
  public static final String TERMINATOR = "aws4_request";

  private static final int DATE_LENGTH = 8;

  public CredentialScope {
    Objects.requireNonNull(date, "date");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(service, "service");
    if (!isDate(date)) {
      throw new IllegalArgumentException("date must be yyyyMMdd: '" + date + "'");
    }
    requireScopeElement("region", region);
    requireScopeElement("service", service);
  }

  /** {@code date/region/service/aws4_request}. */
  public String value() {
    return date + '/' + region + '/' + service + '/' + TERMINATOR;
  }

  @Override
  public String toString() {
    return value();
  }

  private static boolean isDate(String date) {
    if (date.length() != DATE_LENGTH) {
      return false;
    }
    for (int i = 0; i < DATE_LENGTH; i++) {
      if (date.charAt(i) < '0' || date.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  // The scope travels inside the Authorization header, where '/', ',' and spaces are separators.
  private static void requireScopeElement(String what, String value) {
    if (value.isEmpty()) {
      throw new IllegalArgumentException(what + " is empty");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= ' ' || c >= 0x7F || c == '/' || c == ',' || c == ';' || c == '=') {
        throw new IllegalArgumentException(
            what + " must be printable ASCII without '/', ',', ';', '=' or spaces: '" + value + "'");
      }
    }
  }
}

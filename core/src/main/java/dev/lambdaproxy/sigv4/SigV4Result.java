package dev.lambdaproxy.sigv4;

import java.util.Objects;

/**
 * The headers a signed request must carry: {@code X-Amz-Date}, {@code X-Amz-Security-Token} (only
 * when {@link #securityToken()} is not null) and {@code Authorization}.
 *
 * <p>{@link #toString()} shows neither the token nor the signature.
 */
public record SigV4Result(String amzDate, String securityToken, String authorization) {

  public static final String X_AMZ_DATE = "X-Amz-Date";
  public static final String X_AMZ_SECURITY_TOKEN = "X-Amz-Security-Token";
  public static final String AUTHORIZATION = "Authorization";

  private static final String SIGNATURE_PREFIX = "Signature=";

  public SigV4Result {
    Objects.requireNonNull(amzDate, "amzDate");
    Objects.requireNonNull(authorization, "authorization");
    if (!authorization.startsWith(StringToSign.ALGORITHM + " ")) {
      throw new IllegalArgumentException("authorization must start with " + StringToSign.ALGORITHM);
    }
  }

  @Override
  public String toString() {
    // The signature alone lets anyone replay this request for minutes, so it stays out of logs too.
    int signature = authorization.lastIndexOf(SIGNATURE_PREFIX);
    String shown = signature < 0
        ? StringToSign.ALGORITHM + " ***"
        : authorization.substring(0, signature + SIGNATURE_PREFIX.length()) + "***";
    return "SigV4Result[amzDate=" + amzDate
        + (securityToken == null ? "" : ", securityToken=***")
        + ", authorization=" + shown + "]";
  }
}

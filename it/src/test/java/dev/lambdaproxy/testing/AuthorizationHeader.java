package dev.lambdaproxy.testing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of a SigV4 {@code Authorization} header:
 * {@code AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/SERVICE/aws4_request, SignedHeaders=a;b,
 * Signature=hex}. See https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-signing-elements.html.
 */
record AuthorizationHeader(
    String accessKeyId,
    String scopeDate,
    String scopeRegion,
    String scopeService,
    String scopeTerminator,
    String signedHeaders,
    String signature) {

  static final String ALGORITHM = "AWS4-HMAC-SHA256";

  /** The lower-case header names the client says it signed, in its order. */
  List<String> signedHeaderNames() {
    return List.of(signedHeaders.split(";", -1));
  }

  /**
   * Parses {@code value}.
   *
   * @throws IllegalArgumentException with AWS's IncompleteSignatureException wording
   */
  static AuthorizationHeader parse(String value) {
    String trimmed = value.strip();
    int space = trimmed.indexOf(' ');
    String algorithm = space < 0 ? trimmed : trimmed.substring(0, space);
    if (!algorithm.equals(ALGORITHM)) {
      throw new IllegalArgumentException("Unsupported AWS 'algorithm': '" + algorithm + "'.");
    }
    Map<String, String> parameters = new HashMap<>();
    for (String part : trimmed.substring(space + 1).split(",")) {
      int equals = part.indexOf('=');
      if (equals > 0) {
        parameters.putIfAbsent(part.substring(0, equals).strip(), part.substring(equals + 1).strip());
      }
    }
    StringBuilder missing = new StringBuilder();
    for (String required : List.of("Credential", "Signature", "SignedHeaders")) {
      if (parameters.getOrDefault(required, "").isEmpty()) {
        missing.append("Authorization header requires '").append(required).append("' parameter. ");
      }
    }
    if (missing.length() > 0) {
      throw new IllegalArgumentException(missing.toString().strip());
    }
    String[] scope = parameters.get("Credential").split("/", -1);
    if (scope.length != 5) {
      throw new IllegalArgumentException("Credential should have 5 slash-separated parts:"
          + " ACCESS_KEY_ID/YYYYMMDD/REGION/SERVICE/aws4_request, got " + scope.length + ".");
    }
    return new AuthorizationHeader(scope[0], scope[1], scope[2], scope[3], scope[4],
        parameters.get("SignedHeaders"), parameters.get("Signature"));
  }
}

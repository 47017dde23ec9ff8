package dev.lambdaproxy.testing;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code FunctionName} of an Invoke call, decoded: a name, a partial ARN or a full ARN, each
 * with an optional {@code :qualifier}. Region, account and qualifier are null when the caller
 * left them out.
 *
 * <p>Follows the constraint published for Invoke's FunctionName in the Lambda API reference
 * (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html).
 */
record FunctionName(String name, String region, String accountId, String qualifier) {

  /** AWS's pattern for FunctionName, as quoted in its ValidationException messages. */
  static final String AWS_PATTERN =
      "(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?"
          + "([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?";

  private static final Pattern PATTERN = Pattern.compile(AWS_PATTERN);
  private static final int MAX_LENGTH = 170;

  /** Parses an already percent-decoded FunctionName; empty when AWS would reject it. */
  static Optional<FunctionName> parse(String decoded) {
    if (decoded == null || decoded.isEmpty() || decoded.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    Matcher matcher = PATTERN.matcher(decoded);
    if (!matcher.matches()) {
      return Optional.empty();
    }
    return Optional.of(new FunctionName(
        matcher.group(7),
        stripColon(matcher.group(3)),
        stripColon(matcher.group(5)),
        matcher.group(9)));
  }

  private static String stripColon(String part) {
    return part == null ? null : part.substring(0, part.length() - 1);
  }
}

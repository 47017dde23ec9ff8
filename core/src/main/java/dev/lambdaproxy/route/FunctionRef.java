package dev.lambdaproxy.route;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A function as a route names it: a name, a partial ARN ({@code 123456789012:function:name}) or a
 * full ARN, each with an optional {@code :alias} or {@code :version}.
 *
 * @param reference what goes into the Invoke path: the name or ARN, without the qualifier
 * @param name the function's name alone, for messages
 * @param region the region of a full ARN, else null
 * @param partition the partition of a full ARN ({@code aws}, {@code aws-cn}...), else null
 * @param qualifier the alias or version suffix, else null
 */
public record FunctionRef(String reference, String name, String region, String partition, String qualifier) {

  // The FunctionName pattern of the Invoke API reference, split into groups we can use.
  private static final Pattern FUNCTION = Pattern.compile(
      "(?:arn:(?<partition>aws[a-zA-Z-]*):lambda:(?<region>[a-z]{2}(?:-[a-z]+)+-\\d{1,2}):)?"
          + "(?:(?<account>\\d{12}):)?"
          + "(?:function:)?"
          + "(?<name>[a-zA-Z0-9_-]{1,64})"
          + "(?::(?<qualifier>\\$LATEST|[a-zA-Z0-9_-]{1,128}))?");
  private static final Pattern QUALIFIER = Pattern.compile("\\$LATEST|[a-zA-Z0-9_-]{1,128}");

  public FunctionRef {
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(name, "name");
  }

  /**
   * Parses what a route names.
   *
   * @throws IllegalArgumentException with a message saying what is wrong
   */
  public static FunctionRef parse(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("empty function name");
    }
    Matcher m = FUNCTION.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a Lambda function name, partial ARN"
          + " (123456789012:function:name) or ARN (arn:aws:lambda:REGION:ACCOUNT:function:name),"
          + " with an optional :alias or :version");
    }
    // "function:" goes with the account id: ACCOUNT:function:NAME, alone or inside an ARN.
    if ((m.group("account") != null) != text.contains("function:")) {
      throw new IllegalArgumentException("'" + text + "': an ARN or partial ARN is"
          + " [arn:aws:lambda:REGION:]ACCOUNT:function:NAME");
    }
    String qualifier = m.group("qualifier");
    String reference = qualifier == null ? text : text.substring(0, text.length() - qualifier.length() - 1);
    if (reference.length() > 140) {
      throw new IllegalArgumentException("'" + text + "' is longer than the 140 characters Lambda allows");
    }
    return new FunctionRef(reference, m.group("name"), m.group("region"), m.group("partition"), qualifier);
  }

  static boolean isValidQualifier(String qualifier) {
    return QUALIFIER.matcher(qualifier).matches();
  }

  public FunctionRef withQualifier(String newQualifier) {
    return new FunctionRef(reference, name, region, partition, newQualifier);
  }

  /** The name or ARN with its qualifier, as an operator wrote it: for messages and logs. */
  public String display() {
    return qualifier == null ? reference : reference + ":" + qualifier;
  }
}

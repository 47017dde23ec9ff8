package dev.lambdaproxy.importer.api;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The function an integration or authorizer URI invokes, named as a route names it. */
public final class LambdaUri {

  private static final Pattern INVOCATIONS =
      Pattern.compile("^arn:[^:]*:apigateway:[^:]*:lambda:path/[^/]+/functions/(.+?)/invocations/?$");
  private static final Pattern FUNCTION_ARN = Pattern.compile("^arn:[^:]+:lambda:[^:]+:[^:]+:function:.+$");
  /** A function of the stack's own region and account: its name is enough (the proxy's region and credentials are those). */
  private static final Pattern OWN_FUNCTION =
      Pattern.compile("^arn:(?:aws[a-z-]*|\\$\\{AWS_PARTITION\\}):lambda:\\$\\{AWS_REGION\\}:\\$\\{AWS_ACCOUNT_ID\\}:function:(.+)$");

  private LambdaUri() {}

  /**
   * The function of {@code arn:aws:apigateway:REGION:lambda:path/2015-03-31/functions/FUNCTION/invocations}
   * (REST and HTTP APIs) or of a bare function ARN (HTTP APIs); null when the URI invokes no function.
   */
  public static String function(String uri) {
    if (uri == null) {
      return null;
    }
    String text = uri.strip();
    Matcher invocations = INVOCATIONS.matcher(text);
    String function;
    if (invocations.matches()) {
      function = invocations.group(1);
    } else if (FUNCTION_ARN.matcher(text).matches()) {
      function = text;
    } else {
      return null;
    }
    return simplify(function);
  }

  /** Whether a URI names an AWS service action other than Lambda's Invoke ({@code arn:aws:apigateway:REGION:sqs:...}). */
  public static boolean isServiceAction(String uri) {
    return uri != null && uri.startsWith("arn:") && uri.contains(":apigateway:") && function(uri) == null;
  }

  /** The name (with its qualifier) of a function in the stack's own region and account; any other reference as it is. */
  public static String simplify(String function) {
    Matcher own = OWN_FUNCTION.matcher(function);
    return own.matches() ? own.group(1) : function;
  }
}

package dev.lambdaproxy.importer.openapi;

import dev.lambdaproxy.importer.api.Report;
import dev.lambdaproxy.importer.source.Src;
import java.util.Map;

/**
 * The resolver of an export: API Gateway replaces {@code ${AWS::Region}}, {@code ${AWS::AccountId}}
 * and {@code ${AWS::Partition}} when it imports a definition; here they become the placeholders a
 * template's pseudo parameters become.
 */
public final class ImportVariables implements Resolver {

  /** CloudFormation's pseudo parameters (and API Gateway's import variables) as placeholders or values. */
  public static final Map<String, String> PSEUDO_ENV = Map.of(
      "AWS::Region", "AWS_REGION",
      "AWS::AccountId", "AWS_ACCOUNT_ID",
      "AWS::Partition", "AWS_PARTITION",
      "AWS::StackName", "AWS_STACK_NAME",
      "AWS::StackId", "AWS_STACK_ID",
      "AWS::NotificationARNs", "AWS_NOTIFICATION_ARNS");

  private final Report report;

  public ImportVariables(Report report) {
    this.report = report;
  }

  /** The placeholder (or value) of a pseudo parameter, recorded; null when the name is not one. */
  public static String pseudo(String name, Report report, Src where) {
    if (name.equals("AWS::URLSuffix")) {
      return "amazonaws.com";
    }
    String env = PSEUDO_ENV.get(name);
    if (env == null) {
      return null;
    }
    return report.placeholder(env, meaning(name), where.location());
  }

  private static String meaning(String name) {
    return switch (name) {
      case "AWS::Region" -> "the region of the stack (also where the proxy looks for functions named without an ARN)";
      case "AWS::AccountId" -> "the account of the stack";
      case "AWS::Partition" -> "the partition of the stack: aws (aws-cn in China, aws-us-gov in GovCloud)";
      case "AWS::StackName" -> "the name of the stack the template was deployed as";
      default -> name + " of the stack";
    };
  }

  @Override
  public Src resolve(Src value) {
    String text = value.isText() ? value.text() : null;
    if (text == null || !text.contains("${AWS::")) {
      return value;
    }
    StringBuilder out = new StringBuilder();
    int from = 0;
    for (int start = text.indexOf("${AWS::"); start >= 0; start = text.indexOf("${AWS::", from)) {
      int end = text.indexOf('}', start);
      if (end < 0) {
        break;
      }
      String replacement = pseudo(text.substring(start + 2, end), report, value);
      out.append(text, from, start).append(replacement != null ? replacement : text.substring(start, end + 1));
      from = end + 1;
    }
    out.append(text.substring(from));
    return value.with(new com.fasterxml.jackson.databind.node.TextNode(out.toString()));
  }
}

package dev.lambdaproxy.importer.openapi;

import dev.lambdaproxy.importer.api.Report;
import dev.lambdaproxy.importer.source.Location;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code ${stageVariables.NAME}} in a URI becomes {@code ${NAME}}: the value comes from the environment, as a stage's did. */
public final class StageVariables {

  private static final Pattern REFERENCE = Pattern.compile("\\$\\{stageVariables\\.([A-Za-z0-9_]+)\\}");

  private StageVariables() {}

  public static String toEnv(String text, Report report, Location where) {
    if (text == null || !text.contains("${stageVariables.")) {
      return text;
    }
    Matcher matcher = REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String name = matcher.group(1);
      String env = Character.isDigit(name.charAt(0)) ? "V_" + name : name;
      matcher.appendReplacement(out, Matcher.quoteReplacement(
          report.placeholder(env, "the stage variable " + name + " (set it as the stage did)", where)));
    }
    matcher.appendTail(out);
    return out.toString();
  }
}

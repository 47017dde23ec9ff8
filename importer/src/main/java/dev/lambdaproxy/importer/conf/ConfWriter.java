package dev.lambdaproxy.importer.conf;

import dev.lambdaproxy.importer.api.Finding;
import dev.lambdaproxy.importer.api.Report;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of both files: each starts with a comment naming its sources; routes.properties also
 * lists what was not carried, the environment variables to set and the choices made, so that the
 * file says what it lacks wherever it goes.
 */
public final class ConfWriter {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)\\}");

  private ConfWriter() {}

  public static Conf write(List<String> sources, ConfBuilder.ConfLines lines, Report report) {
    List<String> routeTexts = new ArrayList<>();
    for (RouteLine line : lines.routes()) {
      routeTexts.add(line.render());
    }
    Map<String, Report.Placeholder> used = placeholders(report, routeTexts, lines.settings().lines());

    StringBuilder routes = new StringBuilder();
    header(routes, "routes.properties", sources);
    block(routes, "Not carried over (" + report.leftOut().size() + "): the API did this, the proxy as configured here does not",
        report.leftOut());
    if (!used.isEmpty()) {
      routes.append("#\n# Environment variables to set (the routes and settings name them as ${NAME}):\n");
      for (Report.Placeholder placeholder : used.values()) {
        routes.append("#   ").append(placeholder.name()).append(": ").append(oneLine(placeholder.meaning())).append('\n');
      }
    }
    block(routes, "Notes (" + report.notes().size() + ")", report.notes());
    if (lines.routes().isEmpty() && lines.disabled().isEmpty()) {
      routes.append("\n# No route could be carried.\n");
    }
    for (RouteLine line : lines.routes()) {
      routes.append("\n# ").append(String.join("; ", line.sources())).append('\n');
      routes.append(line.render()).append('\n');
    }
    if (!lines.disabled().isEmpty()) {
      routes.append("\n# These need an API key, and the input defines none: add one to lambda-proxy.properties, then uncomment them.\n");
      for (RouteLine line : lines.disabled()) {
        routes.append("# ").append(String.join("; ", line.sources())).append('\n');
        routes.append("# ").append(line.render()).append('\n');
      }
    }

    StringBuilder settings = new StringBuilder();
    header(settings, "lambda-proxy.properties", sources);
    settings.append("# What was not carried and the environment variables to set are listed at the top of routes.properties.\n");
    if (mentionsRegion(routeTexts)) {
      settings.append("# Functions named without an ARN are looked up in the proxy's region: set region here or AWS_REGION.\n");
    }
    if (!lines.settings().lines().isEmpty()) {
      settings.append('\n');
      for (String line : lines.settings().lines()) {
        settings.append(line).append('\n');
      }
    }
    return new Conf(routes.toString(), settings.toString(), routeTexts.size(), routeTexts);
  }

  private static void header(StringBuilder out, String file, List<String> sources) {
    out.append("# ").append(file).append(" written by `lambda-proxy import` from:\n");
    for (String source : sources) {
      out.append("#   ").append(source).append('\n');
    }
  }

  private static void block(StringBuilder out, String title, List<Finding> findings) {
    if (findings.isEmpty()) {
      return;
    }
    out.append("#\n# ").append(title).append(":\n");
    for (Finding finding : findings) {
      out.append("#   ").append(oneLine(finding.toString())).append('\n');
    }
  }

  private static String oneLine(String text) {
    return text.replaceAll("\\s*\\R\\s*", " ");
  }

  /** The placeholders the files name, in the order first recorded. */
  public static Map<String, Report.Placeholder> placeholders(Report report, List<String> routeTexts, List<String> settingLines) {
    java.util.Set<String> names = new java.util.HashSet<>();
    for (String text : routeTexts) {
      collect(text, names);
    }
    for (String text : settingLines) {
      if (!text.startsWith("#")) {
        collect(text, names);
      }
    }
    Map<String, Report.Placeholder> used = new LinkedHashMap<>();
    for (Report.Placeholder placeholder : report.placeholders().values()) {
      if (names.remove(placeholder.name())) {
        used.put(placeholder.name(), placeholder);
      }
    }
    for (String name : names) {
      used.put(name, new Report.Placeholder(name, "(named in the input)", null));
    }
    return used;
  }

  private static void collect(String text, java.util.Set<String> names) {
    Matcher matcher = PLACEHOLDER.matcher(text);
    while (matcher.find()) {
      names.add(matcher.group(1));
    }
  }

  /** Whether a route names a function by name or partial ARN, which needs the proxy's region. */
  private static boolean mentionsRegion(List<String> routeTexts) {
    for (String text : routeTexts) {
      String target = text.substring(text.indexOf('=') + 1).split(";")[0].strip();
      if (!target.startsWith("http://") && !target.startsWith("https://") && !target.startsWith("arn:")) {
        return true;
      }
    }
    return false;
  }
}

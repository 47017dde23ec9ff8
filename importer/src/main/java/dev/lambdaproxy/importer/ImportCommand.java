package dev.lambdaproxy.importer;

import dev.lambdaproxy.importer.api.Finding;
import dev.lambdaproxy.importer.api.Report;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar lambda-proxy.jar import [--out DIR] [--strict] [--force] FILE...}: exit 0 when
 * written, 1 with {@code --strict} when something could not be carried (nothing is written then),
 * 2 for a bad command line, an input that is not an API, or files that exist without {@code --force}.
 */
public final class ImportCommand {

  public static final String USAGE = """
      Usage: java -jar lambda-proxy.jar import [--out DIR] [--strict] [--force] FILE...

      Reads API Gateway exports (OpenAPI 3 or Swagger 2 with x-amazon-apigateway-* extensions, JSON
      or YAML) and SAM / CloudFormation templates, and writes routes.properties and
      lambda-proxy.properties that reproduce their APIs. What cannot be carried is listed on stderr
      and at the top of routes.properties, each with its file and JSON pointer.

      Options:
        --out DIR    where to write the two files (default ./conf)
        --strict     exit 1, writing nothing, when anything could not be carried
        --force      overwrite routes.properties and lambda-proxy.properties if they exist
        --help       print this help and exit
      """;

  static final String ROUTES = "routes.properties";
  static final String SETTINGS = "lambda-proxy.properties";

  private ImportCommand() {}

  /**
   * Runs the command.
   *
   * @param args the arguments after {@code import}
   * @param workingDirectory against which relative paths are taken
   */
  public static int run(String[] args, Path workingDirectory, PrintStream out, PrintStream err) {
    Path outDir = workingDirectory.resolve("conf");
    boolean strict = false;
    boolean force = false;
    List<Importer.Input> inputs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--help", "-h" -> {
          out.print(USAGE);
          return 0;
        }
        case "--strict" -> strict = true;
        case "--force" -> force = true;
        case "--out" -> {
          if (i + 1 >= args.length) {
            err.println("lambda-proxy import: --out needs a folder");
            return 2;
          }
          outDir = workingDirectory.resolve(args[++i]);
        }
        default -> {
          if (arg.startsWith("--out=")) {
            outDir = workingDirectory.resolve(arg.substring("--out=".length()));
          } else if (arg.startsWith("-") && !arg.equals("-")) {
            err.println("lambda-proxy import: unknown option '" + arg + "'; see import --help");
            return 2;
          } else {
            inputs.add(new Importer.Input(workingDirectory.resolve(arg), arg));
          }
        }
      }
    }
    if (inputs.isEmpty()) {
      err.println("lambda-proxy import: name at least one export or template; see import --help");
      return 2;
    }
    Path routes = outDir.resolve(ROUTES);
    Path settings = outDir.resolve(SETTINGS);
    if (!force) {
      for (Path existing : List.of(routes, settings)) {
        if (Files.exists(existing)) {
          err.println("lambda-proxy import: " + existing + " exists; pass --force to overwrite it, or --out to write elsewhere");
          return 2;
        }
      }
    }
    ImportResult result;
    try {
      result = Importer.run(inputs);
    } catch (ImportException e) {
      err.println("lambda-proxy import: " + e.getMessage());
      return 2;
    } catch (RuntimeException e) {
      err.println("lambda-proxy import: internal error, nothing written: " + e);
      return 2;
    }
    print(result, err);
    List<Finding> leftOut = result.report().leftOut();
    if (strict && !leftOut.isEmpty()) {
      err.println("lambda-proxy import: --strict: " + leftOut.size() + (leftOut.size() == 1 ? " thing" : " things")
          + " could not be carried (listed above); nothing written");
      return 1;
    }
    try {
      Files.createDirectories(outDir);
      write(routes, result.conf().routes(), force);
      write(settings, result.conf().settings(), force);
    } catch (FileAlreadyExistsException e) {
      err.println("lambda-proxy import: " + e.getFile() + " exists; pass --force to overwrite it");
      return 2;
    } catch (IOException e) {
      err.println("lambda-proxy import: cannot write to " + outDir + ": " + e.getMessage());
      return 2;
    }
    err.println("lambda-proxy import: wrote " + routes + " (" + result.conf().routeLines()
        + (result.conf().routeLines() == 1 ? " route" : " routes") + ") and " + settings
        + (leftOut.isEmpty() ? "" : "; " + leftOut.size() + " not carried, listed above and in " + ROUTES));
    return 0;
  }

  private static void write(Path file, String text, boolean force) throws IOException {
    if (force) {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } else {
      Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }
  }

  /** The report on stderr: what each input was, what was not carried, what to set, and the choices made. */
  static void print(ImportResult result, PrintStream err) {
    for (String summary : result.summaries()) {
      err.println("lambda-proxy import: " + summary);
    }
    Report report = result.report();
    section(err, "not carried", report.leftOut());
    Map<String, Report.Placeholder> placeholders = placeholdersIn(result);
    if (!placeholders.isEmpty()) {
      err.println("environment variables to set (" + placeholders.size() + "):");
      for (Report.Placeholder placeholder : placeholders.values()) {
        err.println("  " + placeholder.name() + ": " + placeholder.meaning());
      }
    }
    section(err, "notes", report.notes());
  }

  private static Map<String, Report.Placeholder> placeholdersIn(ImportResult result) {
    List<String> settings = List.of(result.conf().settings().split("\n"));
    return dev.lambdaproxy.importer.conf.ConfWriter.placeholders(result.report(), result.conf().routeTexts(), settings);
  }

  private static void section(PrintStream err, String title, List<Finding> findings) {
    if (findings.isEmpty()) {
      return;
    }
    err.println(title + " (" + findings.size() + "):");
    for (Finding finding : findings) {
      err.println("  " + finding);
    }
  }
}

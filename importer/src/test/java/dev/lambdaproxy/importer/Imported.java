package dev.lambdaproxy.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lambdaproxy.importer.api.Finding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An import of files a test writes (or of corpus files), and what it made, for assertions. */
final class Imported {

  private final ImportResult result;

  private Imported(ImportResult result) {
    this.result = result;
  }

  /** Imports one document written to a temporary folder under the given name. */
  static Imported of(String name, String text) {
    return files(Map.of(name, text));
  }

  /** Imports several documents, in the order given. */
  static Imported files(Map<String, String> documents) {
    try {
      Path dir = Files.createTempDirectory("import-test");
      List<Importer.Input> inputs = new ArrayList<>();
      for (Map.Entry<String, String> document : documents.entrySet()) {
        Path file = dir.resolve(document.getKey());
        Files.createDirectories(file.getParent());
        Files.writeString(file, document.getValue());
        inputs.add(new Importer.Input(file, document.getKey()));
      }
      return new Imported(Importer.run(inputs));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Imports files that exist (the corpus), named as given. */
  static Imported paths(List<Path> paths) {
    List<Importer.Input> inputs = new ArrayList<>();
    for (Path path : paths) {
      inputs.add(new Importer.Input(path, path.getFileName().toString()));
    }
    return new Imported(Importer.run(inputs));
  }

  ImportResult result() {
    return result;
  }

  /** The route lines as written, without comments. */
  List<String> routes() {
    return result.conf().routeTexts();
  }

  /** The one route line for a path ({@code /pets = ...}); fails when there is none or more. */
  String route(String path) {
    List<String> found = routes().stream().filter(line -> line.startsWith(path + " = ")).toList();
    if (found.size() != 1) {
      fail("expected one route for " + path + ", found " + found + " in " + routes());
    }
    return found.get(0);
  }

  /** The settings written, by key. */
  Map<String, String> settings() {
    Map<String, String> settings = new LinkedHashMap<>();
    for (String line : result.conf().settings().split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        int equals = line.indexOf('=');
        settings.put(line.substring(0, equals).strip(), line.substring(equals + 1).strip());
      }
    }
    return settings;
  }

  List<String> leftOut() {
    return result.report().leftOut().stream().map(Finding::toString).toList();
  }

  List<String> notes() {
    return result.report().notes().stream().map(Finding::toString).toList();
  }

  /** The placeholders the written files name, by name. */
  Map<String, String> placeholders() {
    Map<String, String> placeholders = new LinkedHashMap<>();
    List<String> settingLines = List.of(result.conf().settings().split("\n"));
    dev.lambdaproxy.importer.conf.ConfWriter.placeholders(result.report(), routes(), settingLines)
        .forEach((name, placeholder) -> placeholders.put(name, placeholder.meaning()));
    return placeholders;
  }

  /** Asserts that exactly one left-out finding contains every fragment, and returns it. */
  String leftOutWith(String... fragments) {
    return one("left out", leftOut(), fragments);
  }

  String noteWith(String... fragments) {
    return one("note", notes(), fragments);
  }

  private static String one(String kind, List<String> findings, String... fragments) {
    List<String> matching = findings.stream().filter(finding -> {
      for (String fragment : fragments) {
        if (!finding.contains(fragment)) {
          return false;
        }
      }
      return true;
    }).toList();
    assertEquals(1, matching.size(), () -> "one " + kind + " with " + List.of(fragments) + " expected among " + findings);
    return matching.get(0);
  }

  void nothingLeftOut() {
    assertTrue(leftOut().isEmpty(), () -> "nothing left out expected, found " + leftOut());
  }
}

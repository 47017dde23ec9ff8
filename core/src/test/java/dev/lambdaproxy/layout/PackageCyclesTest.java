package dev.lambdaproxy.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Packages are layers: no package of core reaches, through the classes it names, a package that
 * reaches it back. Read from the sources, so a cycle fails the build where it is written.
 */
class PackageCyclesTest {

  private static final Pattern NAMED = Pattern.compile("dev\\.lambdaproxy\\.([a-z0-9.]+?)\\.[A-Z]");
  private static final Path SOURCES = Path.of("src/main/java/dev/lambdaproxy");

  @Test
  void noPackageOfCoreDependsOnItselfThroughAnother() throws IOException {
    Map<String, Set<String>> uses = dependencies();
    assertTrue(uses.size() >= 8, "read the packages of " + SOURCES.toAbsolutePath() + ": " + uses.keySet());
    List<String> cycles = new ArrayList<>();
    for (String start : uses.keySet()) {
      findCycle(start, start, uses, new ArrayList<>(List.of(start)), new TreeSet<>(), cycles);
    }
    assertEquals(List.of(), cycles, "package dependencies: " + uses);
  }

  private static void findCycle(String start, String at, Map<String, Set<String>> uses, List<String> path, Set<String> seen,
      List<String> cycles) {
    for (String next : uses.getOrDefault(at, Set.of())) {
      if (next.equals(start)) {
        cycles.add(String.join(" -> ", path) + " -> " + start);
      } else if (seen.add(next)) {
        path.add(next);
        findCycle(start, next, uses, path, seen, cycles);
        path.remove(path.size() - 1);
      }
    }
  }

  private static Map<String, Set<String>> dependencies() throws IOException {
    Map<String, Set<String>> uses = new TreeMap<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
        String pkg = SOURCES.relativize(file.getParent()).toString().replace('/', '.');
        Set<String> named = uses.computeIfAbsent(pkg, p -> new TreeSet<>());
        Matcher matcher = NAMED.matcher(Files.readString(file));
        while (matcher.find()) {
          if (!matcher.group(1).equals(pkg)) {
            named.add(matcher.group(1));
          }
        }
      }
    }
    return uses;
  }
}

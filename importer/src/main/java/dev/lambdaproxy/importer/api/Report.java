package dev.lambdaproxy.importer.api;

import dev.lambdaproxy.importer.source.Location;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What an import could not carry, what it chose, and the {@code ${ENV}} placeholders it wrote for
 * values a template leaves to deploy time: collected while reading, printed and written at the end.
 */
public final class Report {

  /** A placeholder: the environment variable the written files name, and what its value must be. */
  public record Placeholder(String name, String meaning, Location where) {}

  private final List<String> files = new ArrayList<>();
  private final Set<Finding> leftOut = new LinkedHashSet<>();
  private final Set<Finding> notes = new LinkedHashSet<>();
  private final Map<String, Placeholder> placeholders = new LinkedHashMap<>();

  /** Something the written configuration does not do that the API did: {@code --strict} fails on it. */
  public void leftOut(Location where, String text) {
    leftOut.add(new Finding(where, text));
  }

  public void leftOut(Finding finding) {
    leftOut.add(finding);
  }

  /** A choice made for the user, or something they should know. */
  public void note(Location where, String text) {
    notes.add(new Finding(where, text));
  }

  /**
   * Records a placeholder and returns its {@code ${NAME}}; the first meaning given for a name is kept.
   *
   * @param name an environment variable name
   */
  public String placeholder(String name, String meaning, Location where) {
    placeholders.putIfAbsent(name, new Placeholder(name, meaning, where));
    return "${" + name + "}";
  }

  /** The inputs in the order given: findings are listed file by file in that order, then by line. */
  public void files(List<String> names) {
    files.clear();
    files.addAll(names);
  }

  public List<Finding> leftOut() {
    return sorted(leftOut);
  }

  public List<Finding> notes() {
    return sorted(notes);
  }

  private List<Finding> sorted(Set<Finding> findings) {
    List<Finding> list = new ArrayList<>(findings);
    list.sort(java.util.Comparator.comparingInt((Finding finding) -> {
      int index = files.indexOf(finding.where().file());
      return index < 0 ? files.size() : index;
    }).thenComparingInt(finding -> finding.where().line()));
    return list;
  }

  /** Every placeholder recorded, used or not; the writer lists those its files name. */
  public Map<String, Placeholder> placeholders() {
    return placeholders;
  }

  /** {@code rUserPool} to {@code R_USER_POOL}, {@code Outputs.Issuer} to {@code OUTPUTS_ISSUER}: an environment variable name. */
  public static String envName(String... parts) {
    StringBuilder name = new StringBuilder();
    for (String part : parts) {
      if (part == null || part.isEmpty()) {
        continue;
      }
      if (name.length() > 0 && name.charAt(name.length() - 1) != '_') {
        name.append('_');
      }
      for (int i = 0; i < part.length(); i++) {
        char c = part.charAt(i);
        if (Character.isLetterOrDigit(c) && c < 128) {
          boolean wordStart = Character.isUpperCase(c) && i > 0
              && (Character.isLowerCase(part.charAt(i - 1)) || Character.isDigit(part.charAt(i - 1))
                  || (i + 1 < part.length() && Character.isLowerCase(part.charAt(i + 1)) && Character.isUpperCase(part.charAt(i - 1))));
          if (wordStart && name.length() > 0 && name.charAt(name.length() - 1) != '_') {
            name.append('_');
          }
          name.append(Character.toUpperCase(c));
        } else if (name.length() > 0 && name.charAt(name.length() - 1) != '_') {
          name.append('_');
        }
      }
    }
    while (name.length() > 0 && name.charAt(name.length() - 1) == '_') {
      name.setLength(name.length() - 1);
    }
    if (name.length() == 0 || Character.isDigit(name.charAt(0))) {
      name.insert(0, "V_");
    }
    return name.toString().toUpperCase(Locale.ROOT);
  }
}

package dev.lambdaproxy.config;

import java.util.Collection;

/** "Did you mean" hints for misspelt option and setting names. */
public final class Suggestions {

  private Suggestions() {}

  /** Returns {@code " (did you mean 'x'?)"} for the closest known name, or an empty string. */
  public static String didYouMean(String unknown, Collection<String> known) {
    String lower = unknown.toLowerCase(java.util.Locale.ROOT);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known) {
      if (!lower.isEmpty() && candidate.startsWith(lower)) {
        return " (did you mean '" + candidate + "'?)"; // a shortened name: timeout for timeout-ms
      }
      int distance = distance(lower, candidate);
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    // More than a third of the letters wrong is a different word, not a typo.
    return best != null && bestDistance <= Math.max(1, unknown.length() / 3)
        ? " (did you mean '" + best + "'?)"
        : "";
  }

  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}

package dev.lambdaproxy.importer.api;

import dev.lambdaproxy.importer.source.Location;
import java.util.Objects;

/**
 * Something found in an input that the written configuration does not carry, or a choice made for
 * the user, and where it is.
 */
public record Finding(Location where, String text) {

  public Finding {
    Objects.requireNonNull(where, "where");
    Objects.requireNonNull(text, "text");
  }

  @Override
  public String toString() {
    return where + ": " + text;
  }
}

package dev.lambdaproxy.importer.source;

import java.util.Objects;

/**
 * Where something is in an input file: the file, its JSON pointer (RFC 6901) and, when known, its line.
 *
 * @param file the file as it was named on the command line
 * @param pointer the JSON pointer of the value, {@code ""} for the whole document
 * @param line the 1-based line the value starts on, or 0 when unknown
 */
public record Location(String file, String pointer, int line) {

  public Location {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(pointer, "pointer");
  }

  /** {@code file:line /pointer}, or {@code file /pointer} when the line is not known. */
  @Override
  public String toString() {
    return file + (line > 0 ? ":" + line : "") + " " + (pointer.isEmpty() ? "/" : pointer);
  }
}

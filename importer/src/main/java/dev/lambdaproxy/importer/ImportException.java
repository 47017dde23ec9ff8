package dev.lambdaproxy.importer;

/** Input the importer cannot read at all (unparseable, or not an API): one line naming the file. */
public final class ImportException extends RuntimeException {

  public ImportException(String message) {
    super(message);
  }
}

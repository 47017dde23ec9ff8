package dev.lambdaproxy.credentials;

/** One line saying why a source failed, from an exception: no stack trace, bounded length. */
final class Reasons {

  private static final int MAX_LENGTH = 400;
  private static final int MAX_CAUSES = 3;

  private Reasons() {}

  /** The messages of {@code failure} and its causes, joined with ": ", each said once. */
  static String of(Throwable failure) {
    if (failure instanceof CredentialsUnavailableException) {
      return failure.getMessage();
    }
    StringBuilder text = new StringBuilder();
    Throwable current = failure;
    for (int i = 0; current != null && i < MAX_CAUSES; i++, current = current.getCause()) {
      String message = current.getMessage();
      // A JSON parser's message quotes what it could not read, which may be a secret: say no more.
      boolean json = current.getClass().getName().contains(".jackson.") || message != null && message.contains(".jackson.");
      if (json) {
        message = "not valid JSON";
      }
      if (message == null || message.isBlank()) {
        message = current.getClass().getSimpleName();
      }
      message = oneLine(message);
      // The SDK often repeats a cause's message in its wrapper's.
      if (text.indexOf(message) >= 0) {
        continue;
      }
      if (text.length() > 0) {
        text.append(": ");
      }
      text.append(message);
      if (json) {
        break;
      }
    }
    return text.length() <= MAX_LENGTH ? text.toString() : text.substring(0, MAX_LENGTH - 3) + "...";
  }

  private static String oneLine(String message) {
    String stripped = message.strip();
    int newline = stripped.indexOf('\n');
    String first = newline < 0 ? stripped : stripped.substring(0, newline).strip();
    return first.endsWith(".") ? first.substring(0, first.length() - 1) : first;
  }
}

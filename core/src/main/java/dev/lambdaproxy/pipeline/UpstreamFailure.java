package dev.lambdaproxy.pipeline;

import java.io.IOException;
import java.util.Objects;

/**
 * Why a call got no usable answer, in the upstream's words translated to the pipeline's: each
 * {@link Upstream} maps its own exceptions to a {@link Kind}, and {@link Failures} maps kinds to
 * statuses, once for every engine.
 */
public final class UpstreamFailure extends IOException {

  /** What went wrong, as the client's message and the status care. */
  public enum Kind {
    REFUSED("connection refused"),
    UNKNOWN_HOST("unknown host"),
    TLS("TLS handshake failed"),
    INVALID_HTTP("its answer is not valid HTTP"),
    BROKEN("the connection broke before the answer was complete"),
    TIMEOUT("no answer in time"),
    TOO_LARGE("the answer is too large"),
    INFORMATIONAL("an informational status where a final one was due"),
    OTHER("the connection failed");

    final String reason;

    Kind(String reason) {
      this.reason = reason;
    }
  }

  private final Kind kind;
  private final String detail;
  private final int status;

  /**
   * @param kind what went wrong
   * @param detail a few words more for the message (a parser's reason, an exception's simple name), or null
   * @param status the upstream's status for {@link Kind#INFORMATIONAL}, else 0
   */
  public UpstreamFailure(Kind kind, String detail, int status, Throwable cause) {
    super(kind.reason + (detail == null ? "" : " (" + detail + ")"), cause);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.detail = detail;
    this.status = status;
  }

  public UpstreamFailure(Kind kind, String detail, Throwable cause) {
    this(kind, detail, 0, cause);
  }

  public Kind kind() {
    return kind;
  }

  public String detail() {
    return detail;
  }

  public int status() {
    return status;
  }

  /** The reason for the client's message: {@code connection refused}, {@code its answer is not valid HTTP (Unknown Version)}. */
  public String reason() {
    return getMessage();
  }
}

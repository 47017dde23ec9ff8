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

  /** What an upstream knows of its own client library's exceptions; the rest is {@link #translate}'s. */
  public interface EngineKinds {

    /** Whether the library's own exception somewhere in {@code failure} is a timeout (asked before "refused"). */
    boolean isTimeout(Throwable failure);

    /** The failure for a library's own exception (an invalid answer, say), or null; asked after TLS. */
    UpstreamFailure classify(Throwable failure, Throwable root);

    /** Whether {@code root} means the connection broke (EOF, a reset, a broken pipe), as the library reports it. */
    boolean isBroken(Throwable failure, Throwable root);
  }

  /**
   * An upstream's failure in the pipeline's words, the rule every engine shares: an
   * {@code UpstreamFailure} anywhere in the chain (or a cancellation) is kept as it is; otherwise
   * the root cause decides, in this order: timeout, refused, unknown host, TLS, the engine's own
   * kinds, broken, other.
   */
  public static Throwable translate(Throwable failure, EngineKinds engine) {
    if (failure instanceof UpstreamFailure || failure instanceof java.util.concurrent.CancellationException) {
      return failure;
    }
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      if (root instanceof UpstreamFailure) {
        return root;
      }
      root = root.getCause();
    }
    if (root instanceof UpstreamFailure) {
      return root;
    }
    if (failure instanceof java.util.concurrent.TimeoutException || root instanceof java.util.concurrent.TimeoutException
        || engine.isTimeout(failure)) {
      return new UpstreamFailure(Kind.TIMEOUT, null, failure);
    }
    if (root instanceof java.net.ConnectException || root instanceof java.net.NoRouteToHostException) {
      return new UpstreamFailure(Kind.REFUSED, null, failure);
    }
    if (root instanceof java.net.UnknownHostException || root instanceof java.nio.channels.UnresolvedAddressException) {
      return new UpstreamFailure(Kind.UNKNOWN_HOST, null, failure);
    }
    if (root instanceof javax.net.ssl.SSLException || causeOfType(failure, javax.net.ssl.SSLException.class)) {
      // e.g. SunCertPathBuilderException: not trusted
      return new UpstreamFailure(Kind.TLS, root.getClass().getSimpleName(), failure);
    }
    UpstreamFailure own = engine.classify(failure, root);
    if (own != null) {
      return own;
    }
    if (engine.isBroken(failure, root)) {
      return new UpstreamFailure(Kind.BROKEN, null, failure);
    }
    return new UpstreamFailure(Kind.OTHER, root.getClass().getSimpleName(), failure);
  }

  /** Whether {@code failure} or any of its causes is a {@code type}. */
  public static boolean causeOfType(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (type.isInstance(cause)) {
        return true;
      }
    }
    return false;
  }
}

package dev.lambdaproxy.pipeline;

import dev.lambdaproxy.config.EventFormat;
import dev.lambdaproxy.credentials.CredentialsUnavailableException;
import dev.lambdaproxy.http.ProxyError;
import dev.lambdaproxy.invoke.stream.EventStreamException;
import dev.lambdaproxy.route.FunctionTarget;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a failure becomes a status: whatever a stage threw or a call failed with, the
 * client gets the {@link ProxyError} made here. Upstream failures name the route's function or,
 * for an HTTP endpoint, the route (never the endpoint's URL: it may hold a secret, and it tells
 * anonymous clients about internal hosts).
 */
public final class Failures {

  private static final Logger LOG = LoggerFactory.getLogger(Failures.class);

  private Failures() {}

  /** A failure raised on purpose by a stage: the error it chose. */
  public static final class Refusal extends RuntimeException {
    final ProxyError error;

    public Refusal(ProxyError error) {
      super(error.message(), null, false, false);
      this.error = error;
    }

    public ProxyError error() {
      return error;
    }
  }

  /** A response-streaming function ended its stream with an error. */
  public static final class StreamedFunctionError extends java.io.IOException {
    final String errorType;
    final String errorMessage;

    public StreamedFunctionError(String errorType, String errorMessage) {
      super("the function's stream ended in error " + errorType, null);
      this.errorType = errorType;
      this.errorMessage = errorMessage;
    }
  }

  /** A function's header block is past {@link dev.lambdaproxy.http.ClientAnswer#MAX_FUNCTION_HEADER_BYTES}. */
  public static final class FunctionHeadersTooLarge extends java.io.IOException {
    final long bytes;

    public FunctionHeadersTooLarge(long bytes) {
      super("the function's headers take " + bytes + " bytes", null);
      this.bytes = bytes;
    }
  }

  /**
   * The error for the client.
   *
   * @param routed the request's route, or null when it failed before it had one
   */
  public static ProxyError toError(Routed routed, Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof Refusal refusal) {
      return refusal.error;
    }
    if (cause instanceof CredentialsUnavailableException missing) {
      return ProxyError.noCredentials(missing.getMessage());
    }
    if (routed == null) {
      return ProxyError.internal();
    }
    String target = routed.targetName();
    String endpointRoute = routed.endpoint() != null ? routed.route().pattern() : null;
    FunctionTarget function = routed.function();
    if (cause instanceof StreamedFunctionError streamed) {
      return function.event() == EventFormat.RAW
          ? ProxyError.functionError(function.functionErrorStatus(), streamed.errorType, streamed.errorMessage)
          : ProxyError.apiGatewayInternalError("function_error", function.functionErrorStatus());
    }
    if (cause instanceof FunctionHeadersTooLarge tooLarge) {
      return ProxyError.functionHeadersTooLarge(target, tooLarge.bytes);
    }
    if (cause instanceof EventStreamException corrupt) {
      return ProxyError.badFunctionAnswer(target, "the response stream is broken (" + corrupt.getMessage() + ")");
    }
    if (cause instanceof UpstreamFailure upstream) {
      return switch (upstream.kind()) {
        case TIMEOUT -> endpointRoute != null
            ? ProxyError.endpointTimeout(endpointRoute, routed.timeout().toMillis())
            : ProxyError.timeout(target, routed.timeout().toMillis());
        case TOO_LARGE -> endpointRoute != null
            ? ProxyError.endpointResponseTooLarge(endpointRoute, Upstream.MAX_BUFFERED_ANSWER_BYTES)
            : ProxyError.responseTooLarge(target, Upstream.MAX_BUFFERED_ANSWER_BYTES);
        case INFORMATIONAL -> ProxyError.informationalStatus(
            endpointRoute != null ? "the endpoint of route " + endpointRoute : target, upstream.status());
        default -> endpointRoute != null
            ? ProxyError.endpointUnreachable(endpointRoute, upstream.reason())
            : ProxyError.unreachable(target, upstream.reason());
      };
    }
    if (cause instanceof RuntimeException || cause instanceof Error) {
      // A bug of ours (or a provider's): the client gets the JSON 500, the log the stack.
      LOG.error("{}: internal error", routed.route().pattern(), cause);
    }
    return ProxyError.internal();
  }

  static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  static boolean isCancellation(Throwable failure) {
    return unwrap(failure) instanceof CancellationException;
  }
}

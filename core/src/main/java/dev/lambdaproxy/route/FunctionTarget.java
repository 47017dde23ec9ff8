package dev.lambdaproxy.route;

import dev.lambdaproxy.cache.CachePolicy;
import dev.lambdaproxy.config.EventFormat;
import java.util.Objects;

/**
 * A route's Lambda function and how it is invoked.
 *
 * @param function the function, with its qualifier
 * @param event what the function receives
 * @param invocation synchronous, asynchronous (202 at once) or a dry run (204)
 * @param contentType the Content-Type of a plain string result (raw mode)
 * @param functionErrorStatus the status a function error gets (502 unless the route says)
 * @param logTail whether to ask for the log tail and write it to the proxy's debug log
 * @param clientContext the base64 {@code X-Amz-Client-Context} to send, or null
 * @param stream whether the function is called with InvokeWithResponseStream and its output streamed to the client
 * @param cache how GET and HEAD answers are cached; null when they are not
 * @param roleArn a role to assume for this function's calls (another account's function); null for the proxy's own credentials
 */
public record FunctionTarget(
    FunctionRef function,
    EventFormat event,
    InvocationType invocation,
    String contentType,
    int functionErrorStatus,
    boolean logTail,
    String clientContext,
    boolean stream,
    CachePolicy cache,
    String roleArn) implements RouteTarget {

  public static final String DEFAULT_CONTENT_TYPE = "text/plain; charset=utf-8";
  public static final int DEFAULT_FUNCTION_ERROR_STATUS = 502;

  public FunctionTarget {
    Objects.requireNonNull(function, "function");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(invocation, "invocation");
    Objects.requireNonNull(contentType, "contentType");
    if (cache != null && (stream || invocation != InvocationType.REQUEST_RESPONSE)) {
      throw new IllegalArgumentException("cache= needs a synchronous call whose answer is buffered: not stream=true or invocation=" + invocation.headerValue());
    }
    if (stream && invocation != InvocationType.REQUEST_RESPONSE) {
      throw new IllegalArgumentException("stream=true needs invocation=RequestResponse: only a synchronous call has output to stream");
    }
    if (functionErrorStatus < 400 || functionErrorStatus > 599) {
      throw new IllegalArgumentException("functionErrorStatus must be 4xx or 5xx, was " + functionErrorStatus);
    }
  }

  /** A synchronous raw-mode call with every default. */
  public static FunctionTarget of(FunctionRef function) {
    return new FunctionTarget(function, EventFormat.RAW, InvocationType.REQUEST_RESPONSE, DEFAULT_CONTENT_TYPE,
        DEFAULT_FUNCTION_ERROR_STATUS, false, null, false, null, null);
  }

  @Override
  public String display() {
    return function.display();
  }
}

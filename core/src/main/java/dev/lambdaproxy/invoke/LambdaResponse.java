package dev.lambdaproxy.invoke;

/**
 * What the Invoke API answered, reduced to what the proxy reads of it.
 *
 * @param status the Invoke API's HTTP status
 * @param functionError {@code X-Amz-Function-Error} (Handled, Unhandled), or null
 * @param errorType {@code x-amzn-ErrorType} of an API error, or null
 * @param retryAfter {@code Retry-After}, or null
 * @param requestId {@code x-amzn-RequestId}, or null
 * @param body the payload bytes
 */
public record LambdaResponse(int status, String functionError, String errorType, String retryAfter, String requestId, byte[] body) {

  @Override
  public String toString() {
    return "LambdaResponse[status=" + status + ", functionError=" + functionError + ", errorType=" + errorType
        + ", requestId=" + requestId + ", " + (body == null ? 0 : body.length) + " bytes]";
  }
}

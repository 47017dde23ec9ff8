package dev.lambdaproxy.pipeline;

import dev.lambdaproxy.invoke.LambdaResponse;

/**
 * The one place that knows the Invoke API's wire headers: which say a function failed, which
 * name an API error, the log tail, the request id and Lambda's Retry-After.
 */
final class LambdaWire {

  static final String FUNCTION_ERROR = "X-Amz-Function-Error";
  static final String ERROR_TYPE = "x-amzn-ErrorType";
  static final String LOG_RESULT = "X-Amz-Log-Result";
  static final String REQUEST_ID = "x-amzn-RequestId";
  static final String RETRY_AFTER = "Retry-After";
  static final String CONTENT_TYPE = "Content-Type";

  private LambdaWire() {}

  static LambdaResponse response(ServerResponse serverResponse) {
    return new LambdaResponse(serverResponse.status(), serverResponse.header(FUNCTION_ERROR), serverResponse.header(ERROR_TYPE),
        serverResponse.header(RETRY_AFTER), serverResponse.header(REQUEST_ID), serverResponse.body());
  }
}

package dev.lambdaproxy.testing;

/**
 * The {@code x-amzn-ErrorType} names and messages the Lambda endpoint answers with, so tests can
 * assert on the same strings the fixture sends.
 */
public final class AwsErrors {

  public static final String MISSING_AUTHENTICATION_TOKEN = "MissingAuthenticationTokenException";
  public static final String INCOMPLETE_SIGNATURE = "IncompleteSignatureException";
  public static final String INVALID_SIGNATURE = "InvalidSignatureException";
  public static final String UNRECOGNIZED_CLIENT = "UnrecognizedClientException";
  public static final String ACCESS_DENIED = "AccessDeniedException";
  public static final String RESOURCE_NOT_FOUND = "ResourceNotFoundException";
  public static final String UNKNOWN_OPERATION = "UnknownOperationException";
  public static final String VALIDATION = "ValidationException";
  public static final String INVALID_PARAMETER_VALUE = "InvalidParameterValueException";
  public static final String INVALID_REQUEST_CONTENT = "InvalidRequestContentException";
  public static final String REQUEST_TOO_LARGE = "RequestTooLargeException";
  public static final String TOO_MANY_REQUESTS = "TooManyRequestsException";
  public static final String SERVICE = "ServiceException";

  public static final String SIGNATURE_MISMATCH_MESSAGE =
      "The request signature we calculated does not match the signature you provided. Check your"
          + " AWS Secret Access Key and signing method. Consult the service documentation for details.";
  public static final String INVALID_TOKEN_MESSAGE = "The security token included in the request is invalid.";

  /**
   * Suffix the AWS front end appends to {@code x-amzn-ErrorType} on authentication errors; clients
   * must read the name up to the first colon.
   */
  public static final String CORAL_SUFFIX = ":http://internal.amazon.com/coral/com.amazon.coral.service/";

  private AwsErrors() {}

  /** The error name of an {@code x-amzn-ErrorType} value, without AWS's {@code :namespace} suffix. */
  public static String errorName(String errorTypeHeader) {
    int colon = errorTypeHeader.indexOf(':');
    return colon < 0 ? errorTypeHeader : errorTypeHeader.substring(0, colon);
  }
}

package dev.lambdaproxy.authorizer;

import java.util.Objects;

/**
 * The fixed part of the ARN API Gateway gives a Lambda authorizer as {@code methodArn} (REST) or
 * {@code routeArn} (HTTP APIs), {@code arn:aws:execute-api:REGION:ACCOUNT:API_ID/STAGE/METHOD/PATH},
 * as in "Input to an API Gateway Lambda authorizer". The proxy has no API or stage: they come from
 * the authorizer's settings, with defaults, so that policies written for API Gateway keep matching.
 */
public record ExecuteApiArn(String region, String account, String apiId, String stage) {

  public static final String DEFAULT_ACCOUNT = "000000000000";
  public static final String DEFAULT_API_ID = "lambda-proxy";
  public static final String DEFAULT_STAGE = "$default";

  public ExecuteApiArn {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(apiId, "apiId");
    Objects.requireNonNull(stage, "stage");
  }

  /** The ARN of one request: {@code path} is the request's path, its leading slash dropped as API Gateway does. */
  public String of(String method, String path) {
    String resource = path.startsWith("/") ? path.substring(1) : path;
    return "arn:" + partition(region) + ":execute-api:" + region + ":" + account + ":" + apiId + "/" + stage + "/" + method + "/"
        + resource;
  }

  static String partition(String region) {
    if (region.startsWith("cn-")) {
      return "aws-cn";
    }
    return region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
  }
}

package dev.lambdaproxy.config;

import java.net.URI;
import java.util.regex.Pattern;

/** What a region name says about where its Lambda endpoint is. */
public final class Regions {

  // us-east-1, eu-central-2, us-gov-west-1, cn-north-1, ap-southeast-5, us-isob-east-1...
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");

  private Regions() {}

  public static boolean isValid(String region) {
    return region != null && REGION.matcher(region).matches();
  }

  /** {@code https://lambda.REGION.amazonaws.com}, and {@code .amazonaws.com.cn} for China. */
  public static URI lambdaEndpoint(String region) {
    String suffix = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
    return URI.create("https://lambda." + region + "." + suffix);
  }
}

package dev.lambdaproxy.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FunctionNameTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(nullValues = "-", value = {
      "hello,                                                    hello,    -,             -,            -",
      "hello:live,                                               hello,    -,             -,            live",
      "hello:$LATEST,                                            hello,    -,             -,            $LATEST",
      "my_fn.v2-x,                                               my_fn.v2-x, -,           -,            -",
      "123456789012:function:hello,                              hello,    -,             123456789012, -",
      "123456789012:function:hello:7,                            hello,    -,             123456789012, 7",
      "arn:aws:lambda:eu-west-1:123456789012:function:hello,     hello,    eu-west-1,     123456789012, -",
      "arn:aws:lambda:eu-west-1:123456789012:function:hello:prod, hello,   eu-west-1,     123456789012, prod",
      "arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:hello, hello, us-gov-west-1, 123456789012, -",
  })
  void namesAndArnsResolveToSimpleNameRegionAccountAndQualifier(String functionName, String name, String region,
      String accountId, String qualifier) {
    assertEquals(new FunctionName(name, region, accountId, qualifier), FunctionName.parse(functionName).orElseThrow());
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {"", "bad name", "hello:", "hello:a:b", "hello/x", "arn:aws:s3:::bucket", "héllo",
      "arn:aws:lambda:eu-west-1:123456789012:function:"})
  void namesOutsideAwsPatternAreRefused(String functionName) {
    assertTrue(FunctionName.parse(functionName).isEmpty());
  }

  @ParameterizedTest(name = "{0} characters")
  @ValueSource(ints = {171, 500})
  void namesLongerThanAwsLimitAreRefused(int length) {
    assertTrue(FunctionName.parse("a".repeat(length)).isEmpty());
  }
}

package dev.lambdaproxy.sigv4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CredentialScopeTest {

  @Test
  void scopeIsDateRegionServiceAndTerminator() {
    CredentialScope scope = new CredentialScope("20150830", "us-east-1", "lambda");
    assertEquals("20150830/us-east-1/lambda/aws4_request", scope.value());
    assertEquals(scope.value(), scope.toString());
  }

  @ParameterizedTest(name = "date={0} region={1} service={2} rejected: {3}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      2015083    | us-east-1  | lambda  | date
      2015-08-30 | us-east-1  | lambda  | date
      2015083x   | us-east-1  | lambda  | date
      20150830   | ""         | lambda  | region
      20150830   | us/east-1  | lambda  | region
      20150830   | "us east"  | lambda  | region
      20150830   | us-east-1  | ""      | service
      20150830   | us-east-1  | a,b     | service
      20150830   | us-east-1  | é       | service
      """)
  void invalidElementsAreRejectedNamingTheElement(String date, String region, String service, String named) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new CredentialScope(date, region, service));
    assertTrue(e.getMessage().startsWith(named), e.getMessage());
  }
}

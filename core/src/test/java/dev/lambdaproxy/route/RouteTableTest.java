package dev.lambdaproxy.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lambdaproxy.config.ConfigException;
import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouteTableTest {

  private static RouteTable parse(String text) throws IOException {
    return RouteTable.parse(new StringReader(text));
  }

  private static String errorOf(String text) {
    return assertThrows(ConfigException.class, () -> parse(text)).getMessage();
  }

  @Test
  void parsesTheExampleOfTheReadme() throws IOException {
    RouteTable table = parse("""
        # comment
        /hello = hello

        /report = arn:aws:lambda:eu-west-1:123456789012:function:report ; qualifier=live ; content-type=text/html
        /ping = ping ; methods=GET,HEAD ; timeout-ms=500
        """);
    assertEquals(3, table.size());
    Route hello = table.match("/hello").route();
    assertEquals("hello", hello.function().function().reference());
    assertEquals(FunctionTarget.DEFAULT_CONTENT_TYPE, hello.function().contentType());
    assertTrue(hello.allows("PATCH"));
    assertNull(hello.timeout());
    assertEquals(2, hello.line());

    Route report = table.match("/report").route();
    assertEquals("arn:aws:lambda:eu-west-1:123456789012:function:report", report.function().function().reference());
    assertEquals("eu-west-1", report.function().function().region());
    assertEquals("live", report.function().function().qualifier());
    assertEquals("text/html; charset=utf-8", report.function().contentType());

    Route ping = table.match("/ping").route();
    assertEquals(Set.of("GET", "HEAD"), ping.methods());
    assertTrue(ping.allows("HEAD"));
    assertTrue(!ping.allows("POST"));
    assertEquals(Duration.ofMillis(500), ping.timeout());
  }

  @Test
  void matchesExactPathsOnly() throws IOException {
    RouteTable table = parse("/hello = hello\n");
    assertNull(table.match("/hello/"));
    assertNull(table.match("/HELLO"));
    assertNull(table.match("/hello/x"));
    assertNull(table.match("/"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "hello|hello|hello||",
      "hello:live|hello|hello||live",
      "hello:$LATEST|hello|hello||$LATEST",
      "hello:7|hello|hello||7",
      "123456789012:function:hello|123456789012:function:hello|hello||",
      "123456789012:function:hello:v2|123456789012:function:hello|hello||v2",
      "arn:aws:lambda:eu-west-1:123456789012:function:hello|arn:aws:lambda:eu-west-1:123456789012:function:hello|hello|eu-west-1|",
      "arn:aws-cn:lambda:cn-north-1:123456789012:function:hello:prod|arn:aws-cn:lambda:cn-north-1:123456789012:function:hello|hello|cn-north-1|prod",
      "arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:my_fn-2|arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:my_fn-2|my_fn-2|us-gov-west-1|",
  })
  void parsesEveryFormOfFunctionReference(String text, String reference, String name, String region, String qualifier) {
    FunctionRef ref = FunctionRef.parse(text);
    assertEquals(reference, ref.reference());
    assertEquals(name, ref.name());
    assertEquals(region, ref.region());
    assertEquals(qualifier, ref.qualifier());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "/a = |routes.properties:1: empty function name for /a",
      "/a = ; qualifier=x|routes.properties:1: empty function name for /a",
      "/a = hello ; evnt=raw|routes.properties:1: unknown option 'evnt'",
      "/a = hello ; timeout=5|routes.properties:1: unknown option 'timeout' (did you mean 'timeout-ms'?)",
      "/a = hello ; methds=GET|routes.properties:1: unknown option 'methds' (did you mean 'methods'?)",
      "/a = hello ; methods=GET,FETCH|routes.properties:1: method 'FETCH' is not one of",
      "/a = hello ; timeout-ms=abc|routes.properties:1: timeout-ms: 'abc' is not a whole number",
      "/a = hello ; timeout-ms=0|routes.properties:1: timeout-ms: '0' must be positive",
      "/a = hello ; timeout-ms=900001|routes.properties:1: timeout-ms: '900001' is more than",
      "/a = hello ; qualifier=a.b|routes.properties:1: qualifier 'a.b' is not an alias or version",
      "/a = hello:live ; qualifier=prod|routes.properties:1: qualifier 'prod' contradicts the ':live' of the function",
      "/a = hello ; qualifier|routes.properties:1: expected 'option=value' after ';', found 'qualifier'",
      "/a = hello ; qualifier=|routes.properties:1: option 'qualifier' has no value",
      "/a = hello ; methods=GET ; methods=POST|routes.properties:1: option 'methods' is given twice",
      "/a = hello ; content-type=html|routes.properties:1: content-type 'html' is not a media type",
      "/a = hello world|routes.properties:1: 'hello world' is not a Lambda function name",
      "/a = hello/x|routes.properties:1: 'hello/x' is not a Lambda function name",
      "/a = function:hello|routes.properties:1: 'function:hello': an ARN or partial ARN is",
      "/a = 123456789012:hello|routes.properties:1: '123456789012:hello': an ARN or partial ARN is",
      "/a = arn:aws:lambda:us-east-1:function:hello|routes.properties:1: 'arn:aws:lambda:us-east-1:function:hello': an ARN or partial ARN is",
      "a = hello|routes.properties:1: route path 'a' must start with '/'",
      "/a?b = hello|routes.properties:1: route path '/a?b' must not contain",
      "/a|routes.properties:1: expected 'key = value', found '/a'",
      "= hello|routes.properties:1: missing key before '='",
  })
  void rejectsABadLineNamingItAndWhatIsWrong(String line, String expectedStart) {
    String message = errorOf(line + "\n");
    assertTrue(message.startsWith(expectedStart), () -> "message was: " + message);
  }

  @Test
  void rejectsDuplicatePathsNamingBothLines() {
    String message = errorOf("/a = one\n# gap\n/a = two\n");
    assertEquals("routes.properties:3: duplicate route for /a (first on line 1)", message);
  }

  @Test
  void namesTheRightLineAfterCommentsAndBlankLines() {
    String message = errorOf("# one\n\n/ok = fine\n   \n! bang comment\n/bad = bad name\n");
    assertTrue(message.startsWith("routes.properties:6: "), message);
  }

  @Test
  void acceptsAQuotedContentTypeWithParameters() throws IOException {
    Route route = parse("/a = hello ; content-type=\"text/html; charset=iso-8859-1\" ; methods=get\n").match("/a").route();
    assertEquals("text/html; charset=iso-8859-1", route.function().contentType());
    assertEquals(Set.of("GET"), route.methods());
  }

  @Test
  void anUnclosedQuoteIsAnError() {
    assertTrue(errorOf("/a = hello ; content-type=\"text/html\n").contains("unclosed"));
  }

  @Test
  void anEmptyFileIsAnEmptyTable() throws IOException {
    assertEquals(0, parse("# nothing yet\n\n").size());
  }
}

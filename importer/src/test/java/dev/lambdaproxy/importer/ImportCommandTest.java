package dev.lambdaproxy.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: where it writes, what it refuses, and what it says. */
class ImportCommandTest {

  private static final String CARRIED = """
      openapi: 3.0.1
      paths:
        /hello:
          get:
            x-amazon-apigateway-integration:
              type: aws_proxy
              payloadFormatVersion: '2.0'
              uri: arn:aws:lambda:eu-west-1:123456789012:function:hello
      """;
  private static final String PARTLY_CARRIED = CARRIED + """
        /mock:
          get:
            x-amazon-apigateway-integration: {type: mock}
      """;

  @TempDir
  Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void exports() throws Exception {
    Files.writeString(dir.resolve("carried.yaml"), CARRIED);
    Files.writeString(dir.resolve("partly.yaml"), PARTLY_CARRIED);
  }

  private int run(String... args) {
    out.reset();
    err.reset();
    return ImportCommand.run(args, dir, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void writesBothFilesToConfByDefaultEachNamingItsSources() throws Exception {
    assertEquals(0, run("carried.yaml"), err());
    String routes = Files.readString(dir.resolve("conf/routes.properties"));
    String settings = Files.readString(dir.resolve("conf/lambda-proxy.properties"));
    assertTrue(routes.startsWith("# routes.properties written by `lambda-proxy import` from:\n#   carried.yaml\n"), routes);
    assertTrue(settings.startsWith("# lambda-proxy.properties written by `lambda-proxy import` from:\n#   carried.yaml\n"), settings);
    assertTrue(routes.contains("\n/hello = arn:aws:lambda:eu-west-1:123456789012:function:hello ; methods=GET ; event=apigw-v2\n"));
    assertTrue(err().contains("wrote " + dir.resolve("conf/routes.properties") + " (1 route)"), err());
  }

  @Test
  void neverOverwritesWithoutForce() throws Exception {
    Path out = Files.createDirectories(dir.resolve("out"));
    Files.writeString(out.resolve("lambda-proxy.properties"), "mine\n");
    assertEquals(2, run("--out", "out", "carried.yaml"));
    assertEquals("lambda-proxy import: " + out.resolve("lambda-proxy.properties")
        + " exists; pass --force to overwrite it, or --out to write elsewhere\n", err());
    assertEquals("mine\n", Files.readString(out.resolve("lambda-proxy.properties")));
    assertFalse(Files.exists(out.resolve("routes.properties")), "nothing is written when one file exists");
    assertEquals(0, run("--out=out", "--force", "carried.yaml"), err());
    assertTrue(Files.readString(out.resolve("lambda-proxy.properties")).startsWith("# lambda-proxy.properties written"));
  }

  @Test
  void strictExitsOneAndWritesNothingWhenSomethingIsLeftOut() {
    assertEquals(1, run("--strict", "--out", "strict", "partly.yaml"));
    assertTrue(err().contains("partly.yaml:11 /paths/~1mock/get/x-amazon-apigateway-integration: GET /mock: a mock integration"), err());
    assertTrue(err().endsWith("--strict: 1 thing could not be carried (listed above); nothing written\n"), err());
    assertFalse(Files.exists(dir.resolve("strict")));
    assertEquals(0, run("--strict", "--out", "strict", "carried.yaml"), err());
    assertEquals(0, run("--out", "lenient", "partly.yaml"), err());
    assertTrue(err().contains("1 not carried, listed above and in routes.properties"), err());
  }

  @Test
  void badInputIsOneLineNamingTheFileNeverAStackTrace() throws Exception {
    Files.writeString(dir.resolve("broken.json"), "{\"openapi\": \"3.0.1\",\n \"paths\": {\n");
    Files.writeString(dir.resolve("bucket.yaml"), "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n");
    Files.writeString(dir.resolve("list.yaml"), "- a\n- b\n");
    Files.writeString(dir.resolve("other.json"), "{\"name\": \"package\"}");
    Files.writeString(dir.resolve("nopaths.yaml"), "swagger: '2.0'\n");
    String[][] cases = {
        {"broken.json", "lambda-proxy import: broken.json:3: not valid JSON: "},
        {"bucket.yaml", "lambda-proxy import: bucket.yaml: a template with no API"},
        {"list.yaml", "lambda-proxy import: list.yaml: not an API Gateway export or a SAM/CloudFormation template (the document is not a mapping)"},
        {"other.json", "lambda-proxy import: other.json: not an API Gateway export (no 'openapi' or 'swagger') or a SAM/CloudFormation template (no 'Resources')"},
        {"nopaths.yaml", "lambda-proxy import: nopaths.yaml: a Swagger document without paths"},
        {"missing.yaml", "lambda-proxy import: missing.yaml: no such file"},
    };
    for (String[] badCase : cases) {
      assertEquals(2, run("--out", "bad", "carried.yaml", badCase[0]), badCase[0]);
      String message = err();
      assertTrue(message.startsWith(badCase[1]), badCase[0] + ": " + message);
      assertEquals(1, message.lines().count(), message);
      assertFalse(Files.exists(dir.resolve("bad")), "nothing is written when an input is bad");
    }
  }

  @Test
  void aBadCommandLineIsRefused() {
    assertEquals(2, run());
    assertEquals("lambda-proxy import: name at least one export or template; see import --help\n", err());
    assertEquals(2, run("--strcit", "carried.yaml"));
    assertEquals("lambda-proxy import: unknown option '--strcit'; see import --help\n", err());
    assertEquals(2, run("carried.yaml", "--out"));
    assertEquals(0, run("--help"));
    assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Usage: java -jar lambda-proxy.jar import"));
  }

  @Test
  void theReportOnStderrListsWhatEachInputWasTheLeftOutsThePlaceholdersAndTheNotes() throws Exception {
    Files.writeString(dir.resolve("template.yaml"), """
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              FunctionName: !Sub ${AWS::StackName}-fn
              Events:
                Get: {Type: HttpApi, Properties: {Path: /x, Method: get}}
        """);
    assertEquals(0, run("--out", "report", "partly.yaml", "template.yaml"), err());
    String report = err();
    assertTrue(report.contains("lambda-proxy import: partly.yaml: OpenAPI 3 export of an HTTP API, 2 methods\n"), report);
    assertTrue(report.contains("lambda-proxy import: template.yaml: template with 1 API (ServerlessHttpApi (implicit AWS::Serverless::HttpApi))\n"), report);
    assertTrue(report.contains("not carried (1):\n  partly.yaml:11 /paths/~1mock/get"), report);
    assertTrue(report.contains("environment variables to set (1):\n  AWS_STACK_NAME: the name of the stack"), report);
    assertTrue(Files.readString(dir.resolve("report/routes.properties")).contains(
        "# Environment variables to set (the routes and settings name them as ${NAME}):\n#   AWS_STACK_NAME: the name of the stack"));
  }
}

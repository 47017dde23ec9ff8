package dev.lambdaproxy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(Map<String, String> env, String... args) {
    return Main.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void capsTheJdksPerThreadDirectBufferCacheUnlessTheCommandLineSetIt() {
    java.util.Properties unset = new java.util.Properties();
    Main.limitNioBufferCache(unset);
    assertEquals("262144", unset.getProperty("jdk.nio.maxCachedBufferSize"));

    java.util.Properties chosen = new java.util.Properties();
    chosen.setProperty("jdk.nio.maxCachedBufferSize", "0");
    Main.limitNioBufferCache(chosen);
    assertEquals("0", chosen.getProperty("jdk.nio.maxCachedBufferSize"));
  }

  @Test
  void helpListsEveryFlagAndExitsZero() {
    assertEquals(0, run(Map.of(), "--help"));
    String help = out.toString(StandardCharsets.UTF_8);
    for (String flag : new String[] {"--port", "--host", "--conf", "--help", "LAMBDA_PROXY_CONF", "AWS_ENDPOINT_URL_LAMBDA"}) {
      assertTrue(help.contains(flag), flag);
    }
  }

  @Test
  void helpNamesTheImportSubcommandAndImportHasItsOwn() {
    assertEquals(0, run(Map.of(), "--help"));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("import [--out DIR] [--strict] [--force] FILE..."));
    out.reset();
    assertEquals(0, run(Map.of(), "import", "--help"));
    String help = out.toString(StandardCharsets.UTF_8);
    for (String flag : new String[] {"--out DIR", "--strict", "--force"}) {
      assertTrue(help.contains(flag), flag);
    }
  }

  @Test
  void importWritesAConfFolderThatTheProxyReads(@TempDir Path dir) throws Exception {
    Path export = dir.resolve("api.yaml");
    Files.writeString(export, """
        openapi: 3.0.1
        paths:
          /hello:
            get:
              x-amazon-apigateway-integration:
                type: aws_proxy
                uri: arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:hello/invocations
                payloadFormatVersion: "2.0"
        """);
    Path conf = dir.resolve("conf");
    assertEquals(0, run(Map.of(), "import", "--out", conf.toString(), export.toString()), err());
    assertTrue(Files.readString(conf.resolve("routes.properties")).contains(
        "/hello = arn:aws:lambda:eu-west-1:123456789012:function:hello ; methods=GET ; event=apigw-v2"));
    assertEquals(2, run(Map.of(), "import", "--out", conf.toString(), export.toString()), "the files exist now");
    assertTrue(err().contains("exists; pass --force"), err());
  }

  @Test
  void aBadRoutesFileStopsTheStartNamingTheLine(@TempDir Path conf) throws Exception {
    Files.writeString(conf.resolve("routes.properties"), "/ok = fine\n/bad = hello ; methds=GET\n");
    assertEquals(2, run(Map.of("AWS_REGION", "us-east-1"), "--conf", conf.toString(), "--port", "0"));
    assertEquals("lambda-proxy: routes.properties:2: unknown option 'methds' (did you mean 'methods'?)", err().strip());
  }

  @Test
  void aMissingRoutesFileStopsTheStart(@TempDir Path conf) {
    assertEquals(2, run(Map.of(), "--conf=" + conf.resolve("nowhere")));
    assertTrue(err().contains("routes.properties not found in"), err());
  }

  @Test
  void aRouteWithoutARegionStopsTheStart(@TempDir Path conf) throws Exception {
    Files.writeString(conf.resolve("routes.properties"), "/hello = hello\n");
    assertEquals(2, run(Map.of(), "--conf", conf.toString()));
    assertTrue(err().contains("routes.properties:1: no region for function 'hello'"), err());
  }

  @Test
  void theConfFolderComesFromTheEnvironmentWhenNoFlagGivesIt(@TempDir Path conf) throws Exception {
    Files.writeString(conf.resolve("routes.properties"), "/x = bad name\n");
    assertEquals(2, run(Map.of("LAMBDA_PROXY_CONF", conf.toString())));
    assertTrue(err().contains("routes.properties:1:"), err());
  }

  @Test
  void badFlagsAreRefused() {
    assertEquals(2, run(Map.of(), "--prot", "80"));
    assertTrue(err().contains("unknown option '--prot'"), err());
    assertEquals(2, run(Map.of(), "--port", "http"));
    assertEquals(2, run(Map.of(), "--port", "70000"));
    assertEquals(2, run(Map.of(), "--conf"));
  }
}

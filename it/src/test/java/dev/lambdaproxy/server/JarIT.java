package dev.lambdaproxy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lambdaproxy.testing.FakeLambda;
import dev.lambdaproxy.testing.Handlers;
import dev.lambdaproxy.testing.LambdaReply;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built executable jar as an operator runs it: its logs, SIGHUP reload, and SIGTERM drain. */
class JarIT {

  private static final String KEY = "AKIDJARTEST";
  private static final String SECRET = "jar/test+SECRET/Qp0w9";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir
  static Path dir;
  private static FakeLambda lambda;

  @BeforeAll
  static void start() throws Exception {
    lambda = FakeLambda.builder().credentials(KEY, SECRET)
        .function("hello", Handlers.returning("\"hello\""))
        .function("slow", Handlers.replying(LambdaReply.delayed(Duration.ofMillis(1500), LambdaReply.json("\"slow done\""))))
        .function("big", Handlers.replying(fiftyMegabyteStream()))
        .start();
  }

  @AfterAll
  static void stop() throws Exception {
    lambda.close();
  }

  /** The jar, started with the fixture's endpoint and credentials, on free ports; its stderr goes to a file. */
  private static Process jar(Path conf, Path log, int port, String... extraArgs) throws IOException {
    return jar(List.of(), conf, log, port, extraArgs);
  }

  private static Process jar(List<String> jvmOptions, Path conf, Path log, int port, String... extraArgs) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", Path.of(System.getProperty("lambda-proxy.jar")).toString(),
        "--conf", conf.toString(), "--port", Integer.toString(port), "--host", "127.0.0.1", "--admin-port", "off"));
    command.addAll(List.of(extraArgs));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("AWS_ENDPOINT_URL_LAMBDA", lambda.uri().toString());
    builder.environment().put("AWS_REGION", lambda.region());
    builder.environment().put("AWS_ACCESS_KEY_ID", KEY);
    builder.environment().put("AWS_SECRET_ACCESS_KEY", SECRET);
    builder.environment().remove("LAMBDA_PROXY_CONF");
    return builder.start();
  }

  private static Path conf(String routes) throws IOException {
    Path conf = Files.createTempDirectory(dir, "conf");
    Files.writeString(conf.resolve("routes.properties"), routes);
    return conf;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void awaitUp(int port, Process process, Path log) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      assertTrue(process.isAlive(), () -> "the jar exited: " + read(log));
      try {
        get(port, "/__up");
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new AssertionError("the jar did not start: " + read(log));
  }

  private static String read(Path log) {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private static final int STREAM_CHUNK = 256 * 1024;
  private static final int STREAM_CHUNKS = 200; // 50 MB

  /** 50 MB of output in 256 KB chunks, each chunk's bytes all equal to its index, so the client can check order. */
  private static LambdaReply fiftyMegabyteStream() {
    List<byte[]> frames = new ArrayList<>();
    for (int i = 0; i < STREAM_CHUNKS; i++) {
      byte[] chunk = new byte[STREAM_CHUNK];
      java.util.Arrays.fill(chunk, (byte) i);
      frames.add(dev.lambdaproxy.invoke.stream.EventStreamFrames.payloadChunk(chunk));
    }
    frames.add(dev.lambdaproxy.invoke.stream.EventStreamFrames.invokeComplete(null, null));
    return LambdaReply.stream("application/octet-stream", frames, Duration.ZERO);
  }

  @Test
  void aFiftyMegabyteStreamPassesThroughAProxyWithA64MegabyteHeap() throws Exception {
    int port = freePort();
    Path log = dir.resolve("big.log");
    Process process = jar(List.of("-Xmx64m"), conf("/big = big ; stream=true ; timeout-ms=60000\n"), log, port);
    try {
      awaitUp(port, process, log);
      HttpResponse<java.io.InputStream> response = CLIENT.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/big")).timeout(Duration.ofSeconds(60)).build(),
          HttpResponse.BodyHandlers.ofInputStream());
      assertEquals(200, response.statusCode());
      long total = 0;
      try (java.io.InputStream body = response.body()) {
        byte[] buffer = new byte[64 * 1024];
        for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
          for (int i = 0; i < n; i++) {
            assertEquals((byte) ((total + i) / STREAM_CHUNK), buffer[i], "byte " + (total + i));
          }
          total += n;
        }
      }
      assertEquals((long) STREAM_CHUNK * STREAM_CHUNKS, total);
      assertTrue(process.isAlive(), "no OutOfMemoryError: " + read(log));
      assertFalse(read(log).contains("OutOfMemoryError"), read(log));
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void sigtermLetsARequestInFlightFinishThenExitsZero() throws Exception {
    int port = freePort();
    Path log = dir.resolve("drain.log");
    Process process = jar(conf("/slow = slow\n"), log, port, "--drain-ms", "8000");
    try {
      awaitUp(port, process, log);
      CompletableFuture<HttpResponse<String>> inFlight = CLIENT.sendAsync(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slow")).timeout(Duration.ofSeconds(20)).build(),
          HttpResponse.BodyHandlers.ofString());
      Thread.sleep(500); // the request is now waiting on the slow function
      process.destroy(); // SIGTERM
      HttpResponse<String> response = inFlight.get(20, TimeUnit.SECONDS);
      assertEquals(200, response.statusCode(), read(log));
      assertEquals("slow done", response.body());
      assertTrue(process.waitFor(20, TimeUnit.SECONDS), "the jar exited");
      assertEquals(0, process.exitValue(), read(log));
      assertTrue(read(log).contains("draining"), read(log));
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void jsonLogsAreOneObjectALineWithTheRequestFields() throws Exception {
    int port = freePort();
    Path log = dir.resolve("json.log");
    Process process = jar(conf("/hello = hello\n"), log, port, "--log-format", "json");
    try {
      awaitUp(port, process, log);
      assertEquals(200, get(port, "/hello?token=not-for-logs").statusCode());
      process.destroy();
      assertTrue(process.waitFor(20, TimeUnit.SECONDS));
      JsonNode requestLine = null;
      for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode node = JSON.readTree(line); // every line parses as JSON
        if ("lambda-proxy.access".equals(node.path("loggerName").asText()) && node.toString().contains("\"/hello\"")) {
          requestLine = node;
        }
      }
      assertTrue(requestLine != null, read(log));
      String fields = requestLine.toString();
      for (String expected : List.of("\"status\"", "200", "\"route\"", "\"function\"", "\"hello\"", "\"latencyMs\"", "\"lambdaRequestId\"")) {
        assertTrue(fields.contains(expected), expected + " in " + fields);
      }
      assertFalse(read(log).contains("not-for-logs"), "the query is not logged");
      assertFalse(read(log).contains(SECRET));
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void theJarsImportCommandWritesAConfFolderTheJarThenServes() throws Exception {
    Path template = dir.resolve("template.yaml");
    Files.writeString(template, """
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Hello:
            Type: AWS::Serverless::Function
            Properties:
              FunctionName: !Sub "${Prefix}hello"
              Events:
                Get: {Type: HttpApi, Properties: {Path: /hello, Method: get}}
        Parameters:
          Prefix: {Type: String, Default: ""}
        """);
    Path conf = dir.resolve("imported");
    Path importLog = dir.resolve("import.log");
    Process importer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        Path.of(System.getProperty("lambda-proxy.jar")).toString(), "import", "--out", conf.toString(), template.toString())
        .redirectErrorStream(true).redirectOutput(importLog.toFile()).start();
    assertTrue(importer.waitFor(60, TimeUnit.SECONDS), "the import finished");
    assertEquals(0, importer.exitValue(), read(importLog));
    assertTrue(Files.readString(conf.resolve("routes.properties")).contains("\n/hello = hello ; methods=GET ; event=apigw-v2\n"),
        () -> read(conf.resolve("routes.properties")));
    int port = freePort();
    Path log = dir.resolve("imported-jar.log");
    Process process = jar(conf, log, port);
    try {
      awaitUp(port, process, log);
      lambda.reset();
      HttpResponse<String> response = get(port, "/hello");
      assertEquals(200, response.statusCode(), response.body());
      assertEquals("2.0", lambda.lastInvocation().payloadJson().path("version").asText());
      assertEquals("GET /hello", lambda.lastInvocation().payloadJson().path("routeKey").asText());
    } finally {
      process.destroy();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void sighupReloadsTheRoutes() throws Exception {
    int port = freePort();
    Path log = dir.resolve("hup.log");
    Path conf = conf("/hello = hello\n");
    Process process = jar(conf, log, port);
    try {
      awaitUp(port, process, log);
      assertEquals(404, get(port, "/again").statusCode());
      // Rewrite through a temp file and a rename, so the watcher and the signal see a whole file.
      Path temp = conf.resolve("routes.tmp");
      Files.writeString(temp, "/hello = hello\n/again = hello\n");
      Files.move(temp, conf.resolve("routes.properties"), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).start().waitFor(10, TimeUnit.SECONDS);
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      while (get(port, "/again").statusCode() != 200 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertEquals(200, get(port, "/again").statusCode(), read(log));
      assertTrue(read(log).contains("configuration reloaded"), read(log));
    } finally {
      process.destroyForcibly();
    }
  }
}

package dev.lambdaproxy.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ch.qos.logback.classic.Level;
import dev.lambdaproxy.credentials.AwsCredentials;
import dev.lambdaproxy.credentials.CredentialsUnavailableException;
import dev.lambdaproxy.runtime.ProxyConfig;
import dev.lambdaproxy.runtime.Telemetry;
import dev.lambdaproxy.testing.FakeHttpFunction;
import dev.lambdaproxy.testing.FakeLambda;
import dev.lambdaproxy.testing.Handlers;
import dev.lambdaproxy.testing.LambdaReply;
import dev.lambdaproxy.testing.ProxyHarness;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A representative slice of the proxy runs (calls that succeed, fail, time out, are refused by
 * AWS or an endpoint; missing credentials; a bad reload) with every log event of the JVM captured at
 * DEBUG (the access log too), and System.out and System.err teed: no secret key, session token or API
 * key (in a header or in an endpoint's URL) appears in any log line, answer, admin page (/metrics,
 * /routes, /readyz, /reload), exception message or toString.
 */
class SecretsNeverLeakTest {

  private static final String KEY = "ASIASECRETSTEST";
  private static final String SECRET = "leak/test+SECRET/8fJ2kQ9wXz4LmN7pRt";
  private static final String TOKEN = "IQoJb3JpZ2luX2VjLEAKTESTTOKEN/Zm9vYmFyYmF6cXV4";
  private static final String API_KEY = "leaktest-api-key-6a1f0c93d2";
  private static final String OTHER_API_KEY = "leaktest-wrong-key-3b7e55";
  private static final String WRONG_SECRET = "leak/test+WRONG/Qz8vT1";
  /** Put in an endpoint's URL, as API keys of some services are. */
  private static final String URL_KEY = "leaktest-url-key-91d4e0b7";
  /** A key clients present to the front door ({@code api-key.mobile.value}). */
  private static final String CLIENT_API_KEY = "leaktest-client-key-5c0ffee7d1";
  private static final List<String> SECRETS = List.of(SECRET, TOKEN, API_KEY, OTHER_API_KEY, WRONG_SECRET, URL_KEY, CLIENT_API_KEY);

  @Test
  void noSecretAppearsInLogsAnswersAdminPagesOrMessages() throws Exception {
    List<String> seen = new ArrayList<>();
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    System.setOut(new PrintStream(new Tee(out, console), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(new Tee(err, console), true, StandardCharsets.UTF_8));
    try (LogCapture logs = LogCapture.start(Level.DEBUG); AccessLog accessLog = AccessLog.on()) {
      runTheSlice(seen);
      seen.add(logs.text());
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    seen.add(console.toString(StandardCharsets.UTF_8));
    String all = String.join("\n", seen);
    assertTrue(all.contains(KEY), "the slice ran and was captured (the access key id may be shown)");
    for (String secret : SECRETS) {
      int at = all.indexOf(secret);
      if (at >= 0) {
        fail("a secret leaked: ..." + all.substring(Math.max(0, at - 300), Math.min(all.length(), at + secret.length() + 100)) + "...");
      }
    }
  }

  @Test
  void aSecretInAnEndpointUrlShowsAsItsNameAndClientsAreToldOnlyTheRoute() throws Exception {
    int closedPort = closedPort();
    String written = "http://127.0.0.1:" + closedPort + "/${URL_KEY}";
    try (LogCapture logs = LogCapture.start(Level.INFO); AccessLog accessLog = AccessLog.on();
        ProxyHarness proxy = ProxyHarness.builder().env("URL_KEY", URL_KEY).admin()
            .routes("/x = " + written + " ; auth=none\n").start()) {
      HttpResponse<String> refused = proxy.get("/x");
      assertEquals(502, refused.statusCode(), refused.body());
      assertEquals("could not reach the endpoint of route /x: connection refused", Fixtures.message(refused));

      HttpResponse<String> routes = proxy.send(HttpRequest.newBuilder(proxy.adminUri("/routes")));
      assertEquals(written, Fixtures.json(routes.body()).get(0).get("endpoint").asText());

      String warning = awaitLine(logs, "WARN dev.lambdaproxy.pipeline.Pipeline - GET /x:");
      assertTrue(warning.contains("connection refused") && warning.contains("(" + written + ")"), warning);
      String access = awaitLine(logs, "INFO " + Telemetry.ACCESS_LOGGER + " - ");
      assertTrue(access.contains("function=" + written), access);

      String all = refused.body() + "\n" + routes.body() + "\n" + logs.text() + "\n" + proxy.server().live().current().routes().routes();
      assertFalse(all.contains(URL_KEY), all);
      assertFalse(refused.body().contains("127.0.0.1"), "the client is not told the upstream host: " + refused.body());
    }
  }

  /** The first captured line that starts with {@code prefix}, awaited: the access log is written after the answer is sent. */
  private static String awaitLine(LogCapture logs, String prefix) {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (true) {
      for (String line : logs.lines()) {
        if (line.startsWith(prefix)) {
          return line;
        }
      }
      if (System.nanoTime() > deadline) {
        fail("no log line starting with '" + prefix + "' in:\n" + logs.text());
      }
      Fixtures.sleep(10);
    }
  }

  private static int closedPort() throws java.io.IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void runTheSlice(List<String> seen) throws Exception {
    try (FakeLambda lambda = FakeLambda.builder().credentials(KEY, SECRET, TOKEN)
            .function("ok", Handlers.echo())
            .function("fails", Handlers.replying(LambdaReply.functionError("Unhandled", "Error", "it broke")))
            .function("slow", Handlers.replying(LambdaReply.delayed(Duration.ofSeconds(2), LambdaReply.json("\"late\""))))
            .function("tail", Handlers.replying(LambdaReply.json("\"t\"").withHeader("X-Amz-Log-Result", "bG9nIGxpbmU=")))
            .start();
        FakeHttpFunction keyed = FakeHttpFunction.builder().apiKey(API_KEY).answer(200, "text/plain", "keyed").start();
        FakeHttpFunction iam = FakeHttpFunction.builder().iam("execute-api", "eu-west-1", KEY, SECRET)
            .answer(200, "text/plain", "iam").start();
        ProxyHarness proxy = ProxyHarness.builder().lambda(lambda, KEY, SECRET).env("AWS_SESSION_TOKEN", TOKEN)
            .env("API_KEY", API_KEY).env("OTHER_API_KEY", OTHER_API_KEY).env("URL_KEY", URL_KEY).env("CLIENT_API_KEY", CLIENT_API_KEY)
            .admin()
            .settings("usage-plan.basic.quota = 1/DAY\napi-key.mobile.value = ${CLIENT_API_KEY}\napi-key.mobile.plan = basic\n")
            .routes("/client-keyed = ok ; require-api-key=true\n/ok = ok\n/fails = fails\n/slow = slow ; timeout-ms=300\n/tail = tail ; log=tail\n/gone = gone\n"
                + "/url-key = http://127.0.0.1:" + closedPort() + "/v1/${URL_KEY} ; auth=none\n"
                + "/url-key-slow = " + keyed.uri() + "/${URL_KEY} ; timeout-ms=1\n"
                + "/keyed = " + keyed.uri() + "/ ; auth=apikey ; api-key=${API_KEY}\n"
                + "/wrong-key = " + keyed.uri() + "/ ; auth=apikey ; api-key=${OTHER_API_KEY}\n"
                + "/iam/* = " + iam.uri() + "/prod ; auth=iam ; service=execute-api ; region=eu-west-1\n")
            .start()) {
      for (String path : List.of("/ok", "/fails", "/slow", "/tail", "/gone", "/keyed", "/wrong-key", "/iam/x", "/nope", "/url-key",
          "/url-key-slow")) {
        record(seen, proxy.send(HttpRequest.newBuilder(proxy.uri(path)).header("Authorization", "Bearer client")));
      }
      record(seen, proxy.post("/ok", "{not json"));
      for (String presented : List.of(CLIENT_API_KEY, CLIENT_API_KEY, CLIENT_API_KEY + "x")) { // allowed, over the quota, unknown
        record(seen, proxy.send(HttpRequest.newBuilder(proxy.uri("/client-keyed")).header("x-api-key", presented)));
      }
      for (String page : List.of("/metrics", "/routes", "/readyz", "/healthz")) {
        record(seen, proxy.send(HttpRequest.newBuilder(proxy.adminUri(page))));
      }
      ProxyConfig config = proxy.server().live().current();
      seen.add(config.routes().routes().toString());
      seen.add(String.valueOf(config.settings()));
      seen.add(String.valueOf(config.apiKeys()));
      seen.add(String.valueOf(config.apiKeys().find(CLIENT_API_KEY)));
      seen.add(String.valueOf(config.credentials()));
      seen.add(String.valueOf(config.credentials().resolve()));
      seen.add(new AwsCredentials(KEY, SECRET, TOKEN).toString());

      // A reload with the API key's variable in the wrong option: the error must name the line, not the value.
      Files.writeString(proxy.confDir().resolve("routes.properties"),
          "/ok = ok\n/keyed = " + keyed.uri() + "/ ; auth=${API_KEY}\n/other = " + keyed.uri() + "/ ; auth=apikey ; api-key=${OTHER_API_KEY} ; methods=${OTHER_API_KEY}\n");
      HttpResponse<String> reload = proxy.send(HttpRequest.newBuilder(proxy.adminUri("/reload")).POST(HttpRequest.BodyPublishers.noBody()));
      assertEquals(422, reload.statusCode(), reload.body());
      record(seen, reload);
      Files.writeString(proxy.confDir().resolve("routes.properties"),
          "/other = " + keyed.uri() + "/ ; auth=apikey ; api-key=${OTHER_API_KEY} ; content-type=${OTHER_API_KEY}\n");
      record(seen, proxy.send(HttpRequest.newBuilder(proxy.adminUri("/reload")).POST(HttpRequest.BodyPublishers.noBody())));
    }

    try (FakeLambda lambda = FakeLambda.builder().credentials(KEY, SECRET).function("ok", Handlers.echo()).start();
        ProxyHarness wrong = ProxyHarness.builder().lambda(lambda, KEY, WRONG_SECRET).routes("/ok = ok\n").start()) {
      record(seen, wrong.get("/ok")); // AWS refuses the signature
    }

    AtomicBoolean broken = new AtomicBoolean(true);
    try (FakeLambda lambda = FakeLambda.builder().credentials(KEY, SECRET, TOKEN).function("ok", Handlers.echo()).start();
        ProxyHarness flaky = ProxyHarness.builder().lambda(lambda, KEY, SECRET).admin().credentials(() -> {
          if (broken.get()) {
            throw new CredentialsUnavailableException("the credentials endpoint did not answer");
          }
          return new AwsCredentials(KEY, SECRET, TOKEN);
        }).routes("/ok = ok\n").start()) {
      record(seen, flaky.get("/ok"));
      record(seen, flaky.send(HttpRequest.newBuilder(flaky.adminUri("/readyz"))));
      broken.set(false);
      record(seen, flaky.get("/ok"));
    }
  }

  private static void record(List<String> seen, HttpResponse<String> response) {
    seen.add(response.statusCode() + " " + response.headers().map() + "\n" + response.body());
  }

  /** The one-line-per-request log turned on (logback-test.xml keeps it off), so LogCapture sees it too. */
  private static final class AccessLog implements AutoCloseable {
    private final ch.qos.logback.classic.Logger logger =
        (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Telemetry.ACCESS_LOGGER);
    private final Level before = logger.getLevel();

    static AccessLog on() {
      AccessLog accessLog = new AccessLog();
      accessLog.logger.setLevel(Level.INFO);
      return accessLog;
    }

    @Override
    public void close() {
      logger.setLevel(before);
    }
  }

  /** Writes to the real stream and to a copy. */
  private static final class Tee extends OutputStream {
    private final OutputStream first;
    private final OutputStream second;

    Tee(OutputStream first, OutputStream second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public void write(int b) throws java.io.IOException {
      first.write(b);
      synchronized (second) {
        second.write(b);
      }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws java.io.IOException {
      first.write(bytes, offset, length);
      synchronized (second) {
        second.write(bytes, offset, length);
      }
    }
  }
}

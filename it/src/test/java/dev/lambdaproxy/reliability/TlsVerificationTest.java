package dev.lambdaproxy.reliability;

import static dev.lambdaproxy.reliability.Fixtures.KEY;
import static dev.lambdaproxy.reliability.Fixtures.SECRET;
import static dev.lambdaproxy.reliability.Fixtures.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import dev.lambdaproxy.testing.FakeLambda;
import dev.lambdaproxy.testing.Handlers;
import dev.lambdaproxy.testing.ProxyHarness;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The endpoint's TLS certificate is verified by default (a self-signed one is refused before
 * anything is sent); {@code ssl-verify = false} turns that off for the whole proxy, and says so in
 * the log at start, naming every route it exposes.
 */
class TlsVerificationTest {

  private static final String PASSWORD = "changeit-tls-test";

  private static Path dir;
  private static FakeLambda lambda;
  private static TcpRelay tls;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("lambda-proxy-tls");
    Path keystore = dir.resolve("endpoint.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD,
        "-alias", "endpoint", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2", "-dname", "CN=localhost",
        "-ext", "SAN=dns:localhost,ip:127.0.0.1").redirectErrorStream(true).start();
    String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, "keytool: " + output);
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, PASSWORD.toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    lambda = FakeLambda.builder().credentials(KEY, SECRET).function("echo", Handlers.echo()).start();
    tls = TcpRelay.startTls(context, lambda.uri().getPort());
  }

  @AfterAll
  static void stop() throws Exception {
    tls.close();
    lambda.close();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static ProxyHarness.Builder proxyOverTls(String settings) {
    return Fixtures.proxyTo(URI.create("https://localhost:" + tls.port())).settings(settings)
        .routes("/echo = echo\n/plain = http://127.0.0.1:9/x\n/secure = https://localhost:" + tls.port() + "/stage\n");
  }

  @Test
  void aCertificateNobodyVouchesForIsRefusedByDefault() throws Exception {
    lambda.reset();
    try (ProxyHarness proxy = proxyOverTls("").start()) {
      HttpResponse<String> refused = proxy.get("/echo");
      assertEquals(502, refused.statusCode(), refused.body());
      assertTrue(message(refused).contains("TLS handshake failed"), refused.body());
      assertEquals(0, lambda.requestCount(), "nothing was sent to an endpoint that could not prove who it is");
    }
  }

  @Test
  void sslVerifyFalseIsProxyWideAndWarnsAtStartNamingTheRoutesItExposes() throws Exception {
    lambda.reset();
    try (LogCapture logs = LogCapture.start(Level.INFO);
        ProxyHarness proxy = proxyOverTls("ssl-verify = false\n").start()) {
      HttpResponse<String> trusted = proxy.get("/echo");
      assertEquals(200, trusted.statusCode(), trusted.body());
      assertEquals("echo", lambda.lastInvocation().functionName());
      String warning = logs.lines().stream().filter(line -> line.startsWith("WARN") && line.contains("ssl-verify"))
          .findFirst().orElseThrow(() -> new AssertionError("no warning about ssl-verify = false in:\n" + logs.text()));
      assertTrue(warning.contains("/echo") && warning.contains("/secure"), "names the routes over https: " + warning);
      assertTrue(!warning.contains("/plain"), "not the plain-http ones: " + warning);
    }
  }
}

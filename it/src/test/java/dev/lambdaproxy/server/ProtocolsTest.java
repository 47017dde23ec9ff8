package dev.lambdaproxy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lambdaproxy.config.ServerOptions;
import dev.lambdaproxy.credentials.EnvironmentCredentialsProvider;
import dev.lambdaproxy.runtime.ConfSource;
import dev.lambdaproxy.runtime.LiveConfig;
import dev.lambdaproxy.runtime.ProxyConfig;
import dev.lambdaproxy.testing.FakeLambda;
import dev.lambdaproxy.testing.Handlers;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** h2c on the plain port, h2 and HTTP/1.1 over TLS by ALPN, from a keystore or from PEM files: with Jetty's real HTTP/2 client. */
class ProtocolsTest {

  private static final String KEY = "AKIDPROTOCOLS";
  private static final String SECRET = "protocols/test+SECRET/Zr8s";
  private static final String STORE_PASSWORD = "changeit-test";

  @TempDir
  static Path dir;
  private static FakeLambda lambda;
  private static Path keystore;

  @BeforeAll
  static void start() throws Exception {
    lambda = FakeLambda.builder().credentials(KEY, SECRET).function("hello", Handlers.returning("\"Hello over h2\"")).start();
    keystore = dir.resolve("server.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", STORE_PASSWORD,
        "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost", "-validity", "2",
        "-ext", "SAN=dns:localhost,ip:127.0.0.1").redirectErrorStream(true).start();
    String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, "keytool: " + output);
  }

  @AfterAll
  static void stop() throws Exception {
    lambda.close();
  }

  private static LambdaProxyServer proxy(ServerOptions.Tls tls) throws Exception {
    Path conf = Files.createTempDirectory(dir, "conf");
    Files.writeString(conf.resolve("routes.properties"), "/hello = hello\n");
    Map<String, String> env = Map.of("AWS_ENDPOINT_URL_LAMBDA", lambda.uri().toString(), "AWS_REGION", lambda.region(),
        "AWS_ACCESS_KEY_ID", KEY, "AWS_SECRET_ACCESS_KEY", SECRET);
    ProxyConfig config = ProxyConfig.load(ConfSource.directory(conf), env, new EnvironmentCredentialsProvider(env, new Properties()),
        Clock.systemUTC());
    return LambdaProxyServer.start(LiveConfig.fixed(config),
        new ServerOptions(0, "127.0.0.1", -1, "127.0.0.1", ServerOptions.LogFormat.TEXT, false, Duration.ofSeconds(2), tls,
            dev.lambdaproxy.testing.ProxyHarness.engine()));
  }

  private static HttpClient http2Client() throws Exception {
    ClientConnector connector = new ClientConnector();
    connector.setSslContextFactory(new SslContextFactory.Client(true)); // the test's own self-signed certificate
    HttpClient client = new HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client(connector)));
    client.start();
    return client;
  }

  @Test
  void thePlainPortSpeaksH2cWithPriorKnowledge() throws Exception {
    try (LambdaProxyServer proxy = proxy(null)) {
      HttpClient client = http2Client();
      try {
        ContentResponse response = client.newRequest("http://127.0.0.1:" + proxy.port() + "/hello").timeout(10, TimeUnit.SECONDS).send();
        assertEquals(200, response.getStatus());
        assertEquals(HttpVersion.HTTP_2, response.getVersion());
        assertEquals("Hello over h2", response.getContentAsString());
      } finally {
        client.stop();
      }
    }
  }

  @Test
  void thePlainPortUpgradesToH2c() throws Exception {
    try (LambdaProxyServer proxy = proxy(null); Socket socket = new Socket("127.0.0.1", proxy.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
          + "HTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      byte[] head = new byte[64];
      int read = socket.getInputStream().read(head);
      String statusLine = new String(head, 0, read, StandardCharsets.US_ASCII);
      assertTrue(statusLine.startsWith("HTTP/1.1 101"), statusLine);
    }
  }

  @Test
  void tlsFromAKeystoreOffersH2AndHttp11ByAlpn() throws Exception {
    try (LambdaProxyServer proxy = proxy(new ServerOptions.Tls(0, keystore, STORE_PASSWORD, null, null))) {
      assertOverTls(proxy);
    }
  }

  @Test
  void tlsFromPemFilesWorksToo() throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(keystore)) {
      store.load(in, STORE_PASSWORD.toCharArray());
    }
    Key key = store.getKey("server", STORE_PASSWORD.toCharArray());
    Certificate certificate = store.getCertificate("server");
    Path certFile = dir.resolve("server.crt");
    Path keyFile = dir.resolve("server.key");
    Files.writeString(certFile, pem("CERTIFICATE", certificate.getEncoded()));
    Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()));
    try (LambdaProxyServer proxy = proxy(new ServerOptions.Tls(0, null, null, certFile, keyFile))) {
      assertOverTls(proxy);
    }
  }

  @Test
  void aPkcs1KeyIsRefusedWithTheCommandThatConvertsIt() throws Exception {
    Path certFile = dir.resolve("any.crt");
    Path keyFile = dir.resolve("rsa.key");
    Files.writeString(certFile, pem("CERTIFICATE", new byte[] {1}));
    Files.writeString(keyFile, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
    Exception e = assertThrows(Exception.class, () -> proxy(new ServerOptions.Tls(0, null, null, certFile, keyFile)).close());
    assertTrue(e.getMessage().contains("not a PEM certificate chain") || e.getMessage().contains("openssl pkcs8"), e.getMessage());
  }

  private static void assertOverTls(LambdaProxyServer proxy) throws Exception {
    HttpClient h2 = http2Client();
    HttpClient http11 = new HttpClient();
    http11.setSslContextFactory(new SslContextFactory.Client(true));
    http11.start();
    try {
      ContentResponse overH2 = h2.newRequest("https://127.0.0.1:" + proxy.tlsPort() + "/hello").timeout(10, TimeUnit.SECONDS).send();
      assertEquals(200, overH2.getStatus());
      assertEquals(HttpVersion.HTTP_2, overH2.getVersion());
      assertEquals("Hello over h2", overH2.getContentAsString());
      ContentResponse overHttp11 = http11.newRequest("https://127.0.0.1:" + proxy.tlsPort() + "/hello").timeout(10, TimeUnit.SECONDS).send();
      assertEquals(200, overHttp11.getStatus());
      assertEquals(HttpVersion.HTTP_1_1, overHttp11.getVersion());
      assertEquals(200, http11.GET("http://127.0.0.1:" + proxy.port() + "/hello").getStatus(), "the plain port stays");
    } finally {
      h2.stop();
      http11.stop();
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

}

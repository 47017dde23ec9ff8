package dev.lambdaproxy.testing;

import dev.lambdaproxy.config.ServerOptions;
import dev.lambdaproxy.credentials.CredentialsProvider;
import dev.lambdaproxy.server.LambdaProxyServer;
import dev.lambdaproxy.runtime.Bootstrap;
import dev.lambdaproxy.runtime.ConfSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The proxy on an ephemeral loopback port, served by the engine {@value #ENGINE_PROPERTY} names, with a conf folder written from
 * strings and an environment given as a map (so tests never depend on the machine's variables).
 */
public final class ProxyHarness implements AutoCloseable {

  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  /** The system property naming the engine every harness starts: {@code servlet} (the default for now) or {@code eventloop}. */
  public static final String ENGINE_PROPERTY = "lambda-proxy.engine";

  private final LambdaProxyServer server;
  private final Path confDir;
  private final Bootstrap boot;

  private ProxyHarness(LambdaProxyServer server, Path confDir, Bootstrap boot) {
    this.boot = boot;
    this.server = server;
    this.confDir = confDir;
  }

  /** The engine tests run against, from {@value #ENGINE_PROPERTY}. */
  public static ServerOptions.Engine engine() {
    return ServerOptions.Engine.parse(System.getProperty(ENGINE_PROPERTY, "servlet"));
  }

  public static Builder builder() {
    return new Builder();
  }

  public URI uri(String pathAndQuery) {
    return server.uri().resolve(pathAndQuery);
  }

  /** An address on the admin port (start with {@link Builder#admin()}). */
  public URI adminUri(String path) {
    return server.adminUri().resolve(path);
  }

  public LambdaProxyServer server() {
    return server;
  }

  /** The conf folder, to change files while the proxy runs. */
  public Path confDir() {
    return confDir;
  }

  public HttpResponse<String> get(String pathAndQuery) {
    return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET());
  }

  public HttpResponse<String> post(String pathAndQuery, String body) {
    return send(HttpRequest.newBuilder(uri(pathAndQuery)).POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  public HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return CLIENT.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public HttpResponse<byte[]> sendForBytes(HttpRequest.Builder request) {
    try {
      return CLIENT.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws Exception {
    server.close();
    boot.close();
    try (var files = Files.walk(confDir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** Builds the conf folder and the environment, then starts the proxy. */
  public static final class Builder {
    private String routes = "";
    private String settings = "";
    private final Map<String, String> env = new HashMap<>();
    private boolean admin;
    private ServerOptions.Engine engine;
    private boolean watch;
    private CredentialsProvider credentials;
    private java.util.function.Function<String, CredentialsProvider> roles;

    public Builder routes(String routes) {
      this.routes = routes;
      return this;
    }

    public Builder settings(String settings) {
      this.settings = settings;
      return this;
    }

    /** Points the proxy at {@code lambda}: its endpoint, region and first key pair. */
    public Builder lambda(FakeLambda lambda, String accessKeyId, String secret) {
      env.put("AWS_ENDPOINT_URL_LAMBDA", lambda.uri().toString());
      env.put("AWS_REGION", lambda.region());
      env.put("AWS_ACCESS_KEY_ID", accessKeyId);
      env.put("AWS_SECRET_ACCESS_KEY", secret);
      return this;
    }

    public Builder env(String name, String value) {
      if (value == null) {
        env.remove(name);
      } else {
        env.put(name, value);
      }
      return this;
    }

    /** Turns the admin port on, on a free loopback port. */
    public Builder admin() {
      this.admin = true;
      return this;
    }

    /** Watches the conf folder, as the jar does. */
    public Builder watch() {
      this.watch = true;
      return this;
    }

    /** Where routes with {@code role-arn=} get their role's credentials (instead of STS). */
    public Builder roles(java.util.function.Function<String, CredentialsProvider> roles) {
      this.roles = roles;
      return this;
    }

    public Builder credentials(CredentialsProvider credentials) {
      this.credentials = credentials;
      return this;
    }

    /** Serves with this engine rather than the one {@value #ENGINE_PROPERTY} names. */
    public Builder engine(ServerOptions.Engine engine) {
      this.engine = engine;
      return this;
    }

    public ProxyHarness start() throws Exception {
      Path dir = Files.createTempDirectory("lambda-proxy-conf");
      Files.writeString(dir.resolve("routes.properties"), routes);
      Files.writeString(dir.resolve("lambda-proxy.properties"), settings);
      Map<String, String> isolated = new HashMap<>(env);
      // The proxy's own credential chain, kept off this machine's ~/.aws and off EC2 instance metadata.
      isolated.putIfAbsent("HOME", dir.toString());
      isolated.putIfAbsent("AWS_EC2_METADATA_DISABLED", "true");
      Bootstrap boot = Bootstrap.from(ConfSource.directory(dir)).env(isolated).credentials(credentials).roles(roles).start();
      ServerOptions options = new ServerOptions(0, "127.0.0.1", admin ? 0 : -1, "127.0.0.1", ServerOptions.LogFormat.TEXT,
          true, Duration.ofSeconds(5), null, engine != null ? engine : ProxyHarness.engine());
      try {
        LambdaProxyServer server = LambdaProxyServer.start(boot.live(), options);
        if (watch) {
          boot.watch("reload with POST /reload");
        }
        return new ProxyHarness(server, dir, boot);
      } catch (Exception | Error e) {
        boot.close();
        throw e;
      }
    }
  }
}

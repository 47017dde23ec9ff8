package dev.lambdaproxy.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * How the executable jar serves: its ports, TLS, admin port, logs and shutdown. The WAR ignores
 * these (its container owns them). Like every setting, each can be a flag ({@code --admin-port}),
 * a variable ({@code LAMBDA_PROXY_ADMIN_PORT}) or a line of {@code lambda-proxy.properties}.
 *
 * @param port the plain HTTP port (HTTP/1.1 and h2c); 0 picks a free one
 * @param host the address the proxy ports bind
 * @param adminPort the admin port; -1 turns it off
 * @param adminHost the address the admin port binds: loopback unless said otherwise
 * @param logFormat text or JSON lines
 * @param accessLog whether every request gets a log line
 * @param drain how long a stopping server waits for requests in flight
 * @param tls HTTPS, or null when off
 * @param engine what serves the proxy ports: the event loop (Netty) or the servlet (embedded Jetty)
 */
public record ServerOptions(int port, String host, int adminPort, String adminHost, LogFormat logFormat,
    boolean accessLog, Duration drain, Tls tls, Engine engine) {

  /** Text or JSON log lines. */
  public enum LogFormat { TEXT, JSON }

  /** What serves the proxy ports; the admin port is the same for both. */
  public enum Engine {
    EVENTLOOP, SERVLET;

    public static Engine parse(String value) {
      return switch (value.strip().toLowerCase(Locale.ROOT)) {
        case "eventloop" -> EVENTLOOP;
        case "servlet" -> SERVLET;
        default -> throw new IllegalArgumentException("'" + value + "' is not eventloop or servlet");
      };
    }
  }

  public static final Engine DEFAULT_ENGINE = Engine.EVENTLOOP;

  public ServerOptions {
    Objects.requireNonNull(engine, "engine");
  }

  /** The options with the default engine. */
  public ServerOptions(int port, String host, int adminPort, String adminHost, LogFormat logFormat, boolean accessLog,
      Duration drain, Tls tls) {
    this(port, host, adminPort, adminHost, logFormat, accessLog, drain, tls, DEFAULT_ENGINE);
  }

  /** The same options served by {@code engine}. */
  public ServerOptions withEngine(Engine engine) {
    return new ServerOptions(port, host, adminPort, adminHost, logFormat, accessLog, drain, tls, engine);
  }

  /**
   * HTTPS with ALPN (h2 and http/1.1): a PKCS#12 or JKS keystore, or a PEM certificate chain and
   * PKCS#8 private key.
   */
  public record Tls(int port, Path keystore, String password, Path certificate, Path privateKey) {
    @Override
    public String toString() {
      return "Tls[port=" + port + ", keystore=" + keystore + ", password=" + (password == null ? null : "***")
          + ", certificate=" + certificate + ", privateKey=" + privateKey + "]";
    }
  }

  public static final int DEFAULT_PORT = 8080;
  public static final int DEFAULT_ADMIN_PORT = 9901;
  public static final int DEFAULT_TLS_PORT = 8443;
  public static final Duration DEFAULT_DRAIN = Duration.ofSeconds(10);

  static final Set<String> KEYS = Set.of("port", "host", "admin-port", "admin-host", "log-format", "access-log",
      "drain-ms", "tls-port", "tls-keystore", "tls-password", "tls-cert", "tls-key", "engine");

  /**
   * The server's options from merged values.
   *
   * @throws ConfigException naming where a bad value came from, or a TLS setup that is half given
   */
  public static ServerOptions from(ConfigValues values) {
    int port = values.get("port", v -> port(v, false), DEFAULT_PORT);
    String host = values.get("host", Settings::word, "0.0.0.0");
    int adminPort = values.get("admin-port", v -> port(v, true), DEFAULT_ADMIN_PORT);
    String adminHost = values.get("admin-host", Settings::word, "127.0.0.1");
    LogFormat logFormat = values.get("log-format", ServerOptions::logFormat, LogFormat.TEXT);
    boolean accessLog = values.get("access-log", Settings::bool, true);
    Duration drain = values.get("drain-ms", v -> Duration.ofMillis(Settings.positiveLong(v)), DEFAULT_DRAIN);
    Path keystore = values.get("tls-keystore", Path::of, null);
    String password = values.get("tls-password", v -> v, null);
    Path certificate = values.get("tls-cert", Path::of, null);
    Path privateKey = values.get("tls-key", Path::of, null);
    int tlsPort = values.get("tls-port", v -> port(v, false), DEFAULT_TLS_PORT);
    Engine engine = values.get("engine", Engine::parse, DEFAULT_ENGINE);
    Tls tls = null;
    if (keystore != null && (certificate != null || privateKey != null)) {
      throw new ConfigException("give either --tls-keystore or --tls-cert with --tls-key, not both");
    }
    if (keystore != null) {
      tls = new Tls(tlsPort, keystore, password, null, null);
    } else if (certificate != null || privateKey != null) {
      if (certificate == null || privateKey == null) {
        throw new ConfigException("--tls-cert and --tls-key go together (a PEM certificate chain and its PKCS#8 key)");
      }
      tls = new Tls(tlsPort, null, password, certificate, privateKey);
    }
    return new ServerOptions(port, host, adminPort, adminHost, logFormat, accessLog, drain, tls, engine);
  }

  static int port(String value, boolean offAllowed) {
    String trimmed = value.strip().toLowerCase(Locale.ROOT);
    if (offAllowed && (trimmed.equals("off") || trimmed.equals("-1"))) {
      return -1;
    }
    int port;
    try {
      port = Integer.parseInt(trimmed);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + value + "' is not a port" + (offAllowed ? " or off" : ""));
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(port + " is not a port (0-65535)");
    }
    return port;
  }

  static LogFormat logFormat(String value) {
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "text" -> LogFormat.TEXT;
      case "json" -> LogFormat.JSON;
      default -> throw new IllegalArgumentException("'" + value + "' is not text or json");
    };
  }
}

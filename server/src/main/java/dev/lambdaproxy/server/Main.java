package dev.lambdaproxy.server;

import dev.lambdaproxy.config.ConfigException;
import dev.lambdaproxy.config.ConfigValues;
import dev.lambdaproxy.config.ServerOptions;
import dev.lambdaproxy.importer.ImportCommand;
import dev.lambdaproxy.runtime.Bootstrap;
import dev.lambdaproxy.runtime.ConfSource;
import dev.lambdaproxy.servlet.LambdaProxyInitializer;
import dev.lambdaproxy.runtime.ProxyConfig;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/** {@code java -jar lambda-proxy.jar [--port 8080] [--conf conf] [--SETTING VALUE]...}. */
public final class Main {

  static final String USAGE = """
      Usage: java -jar lambda-proxy.jar [options]
             java -jar lambda-proxy.jar import [--out DIR] [--strict] [--force] FILE...

      Puts AWS Lambda functions behind plain HTTP routes.

      import reads API Gateway exports (OpenAPI 3 / Swagger 2) and SAM or CloudFormation templates
      and writes routes.properties and lambda-proxy.properties (see import --help).

      Options:
        --conf DIR            folder with routes.properties and lambda-proxy.properties
                              (default: $LAMBDA_PROXY_CONF, else ./conf)
        --port N              plain HTTP port, HTTP/1.1 and h2c (default 8080; 0 picks a free port)
        --host ADDR           address the proxy ports bind (default 0.0.0.0)
        --admin-port N|off    admin port: /healthz /readyz /metrics /routes POST /reload (default 9901)
        --admin-host ADDR     address the admin port binds (default 127.0.0.1)
        --tls-port N          HTTPS port, h2 and HTTP/1.1 by ALPN, when TLS is on (default 8443)
        --tls-keystore FILE   PKCS#12 or JKS keystore: turns HTTPS on
        --tls-password PASS   its password (better: LAMBDA_PROXY_TLS_PASSWORD)
        --tls-cert FILE       PEM certificate chain, with --tls-key: turns HTTPS on
        --tls-key FILE        PEM PKCS#8 private key
        --log-format F        text or json (one JSON object a line)
        --access-log BOOL     one log line per request (default true)
        --drain-ms N          on SIGTERM, how long requests in flight may take to finish (default 10000)
        --engine E            what serves the proxy ports: eventloop (Netty, default) or servlet (embedded Jetty)
        --help                print this help and exit

      Every setting of lambda-proxy.properties is also a flag (--timeout-ms 500) and a variable
      (LAMBDA_PROXY_TIMEOUT_MS=500); a flag wins over a variable, a variable over the file.

      Environment:
        AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN   credentials to sign with
        AWS_REGION, AWS_DEFAULT_REGION              region (wins over lambda-proxy.properties)
        AWS_ENDPOINT_URL_LAMBDA, AWS_ENDPOINT_URL   Lambda endpoint, e.g. a local emulator
        LAMBDA_PROXY_CONF                           conf folder when --conf is not given

      Signals: SIGHUP reloads the configuration; SIGTERM stops accepting, drains, exits 0.
      """;

  /** The parsed command line: the conf folder, help, and settings by key. */
  record Options(Path conf, boolean help, Map<String, String> settings) {

    static Options parse(String[] args, Map<String, String> env) {
      String envConf = env.get(LambdaProxyInitializer.CONF_ENV);
      Path conf = Path.of(envConf == null || envConf.isBlank() ? "conf" : envConf.strip());
      boolean help = false;
      Map<String, String> settings = new LinkedHashMap<>();
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        if (arg.equals("--help") || arg.equals("-h")) {
          help = true;
          continue;
        }
        if (!arg.startsWith("--") || arg.length() == 2) {
          throw new IllegalArgumentException("unexpected argument '" + arg + "'; see --help");
        }
        String name = arg.substring(2);
        String value;
        int equals = name.indexOf('=');
        if (equals > 0) {
          value = name.substring(equals + 1);
          name = name.substring(0, equals);
        } else {
          if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
            throw new IllegalArgumentException("--" + name + " needs a value");
          }
          value = args[++i];
        }
        if (name.equals("conf")) {
          conf = Path.of(value);
        } else if (settings.put(name, value) != null) {
          throw new IllegalArgumentException("--" + name + " is given twice");
        }
      }
      return new Options(conf, help, settings);
    }
  }

  /** The subcommand that turns API Gateway exports and SAM templates into a conf folder. */
  static final String IMPORT = "import";

  private Main() {}

  /**
   * The JDK's cap on the direct buffers each thread keeps for writing heap buffers to sockets. A
   * request body is passed to the Invoke call as heap buffers, and without a cap every thread that
   * ever wrote a 6 MB body keeps a 6 MB direct buffer for good: the benchmark saw 80 MB of such
   * native memory, and 330-440 MB RSS with a 192 MB heap. Above the cap, the JDK frees the temporary
   * buffer after the write (bench/RESULTS.md, "Memory with large bodies").
   */
  static final String NIO_BUFFER_CACHE_PROPERTY = "jdk.nio.maxCachedBufferSize";
  static final String NIO_BUFFER_CACHE_BYTES = "262144";

  public static void main(String[] args) {
    limitNioBufferCache(System.getProperties()); // before the first socket write reads it
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  /** Sets {@link #NIO_BUFFER_CACHE_PROPERTY} unless the command line did ({@code -D} wins). */
  static void limitNioBufferCache(java.util.Properties system) {
    if (system.getProperty(NIO_BUFFER_CACHE_PROPERTY) == null) {
      system.setProperty(NIO_BUFFER_CACHE_PROPERTY, NIO_BUFFER_CACHE_BYTES);
    }
  }

  /** Runs until the server stops, or runs a subcommand; returns the exit status (2 for bad flags or configuration). */
  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (args.length > 0 && args[0].equals(IMPORT)) {
      return ImportCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), Path.of("").toAbsolutePath(), out, err);
    }
    Options options;
    try {
      options = Options.parse(args, env);
    } catch (IllegalArgumentException e) {
      err.println("lambda-proxy: " + e.getMessage());
      return 2;
    }
    if (options.help()) {
      out.print(USAGE);
      return 0;
    }
    ConfSource conf = ConfSource.directory(options.conf());
    ServerOptions serverOptions;
    Bootstrap boot;
    try {
      ConfigValues values = ProxyConfig.values(conf, env, options.settings());
      serverOptions = ServerOptions.from(values);
      if (serverOptions.logFormat() == ServerOptions.LogFormat.JSON) {
        // Read by LogSetup when the first logger is made, which is after this line.
        System.setProperty(LogSetup.FORMAT_PROPERTY, "json");
      }
      boot = Bootstrap.from(conf).env(env).cli(options.settings()).systemProperties(System.getProperties()).start();
    } catch (ConfigException e) {
      err.println("lambda-proxy: " + e.getMessage());
      return 2;
    } catch (UncheckedIOException e) {
      err.println("lambda-proxy: " + e.getMessage() + ": " + e.getCause().getMessage());
      return 2;
    }
    Logger log = LoggerFactory.getLogger(Main.class);
    boot.warnIfNoCredentials();
    ProxyConfig config = boot.live().current();
    LambdaProxyServer server;
    try {
      server = LambdaProxyServer.start(boot.live(), serverOptions);
    } catch (Exception e) {
      boot.close();
      err.println("lambda-proxy: could not start: " + e.getMessage());
      return 1;
    }
    boot.watch("reload with SIGHUP or POST /reload");
    log.info("lambda-proxy ({} engine) listening on http://{}:{}{}{} with {} routes from {}",
        server.engine(), serverOptions.host(), server.port(),
        server.tlsPort() >= 0 ? " and https://" + serverOptions.host() + ":" + server.tlsPort() : "",
        server.adminPort() >= 0 ? ", admin on http://" + serverOptions.adminHost() + ":" + server.adminPort() : "",
        config.routes().size(), config.source());
    handleSignals(server, boot, log);
    try {
      server.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    boot.close();
    return 0;
  }

  /**
   * SIGHUP reloads; SIGTERM and SIGINT stop accepting, let requests in flight finish up to the
   * drain time, and exit 0 (the JVM's own handler would exit 143 without draining).
   */
  private static void handleSignals(LambdaProxyServer server, Bootstrap boot, Logger log) {
    Signal.handle(new Signal("HUP"), signal -> server.live().reload());
    Runnable stop = () -> {
      log.info("stopping: no new connections, draining requests in flight");
      try {
        server.close();
      } catch (Exception e) {
        log.warn("stopping did not finish cleanly: {}", e.getMessage());
      }
      boot.close();
      System.exit(0);
    };
    Signal.handle(new Signal("TERM"), signal -> stop.run());
    Signal.handle(new Signal("INT"), signal -> stop.run());
  }
}

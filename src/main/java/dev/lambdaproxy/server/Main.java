package dev.lambdaproxy.server;

import dev.lambdaproxy.config.ConfigException;
import dev.lambdaproxy.credentials.EnvironmentCredentialsProvider;
import dev.lambdaproxy.servlet.ConfSource;
import dev.lambdaproxy.servlet.LambdaProxyInitializer;
import dev.lambdaproxy.servlet.ProxyConfig;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code java -jar lambda-proxy.jar [--port 8080] [--host 0.0.0.0] [--conf conf]}. */
public final class Main {

  static final String USAGE = """
      Usage: java -jar lambda-proxy.jar [options]

      Puts AWS Lambda functions behind plain HTTP routes.

      Options:
        --port N       port to listen on (default 8080; 0 picks a free port)
        --host ADDR    address to bind (default 0.0.0.0, all interfaces)
        --conf DIR     folder with routes.properties and lambda-proxy.properties
                       (default: $LAMBDA_PROXY_CONF, else ./conf)
        --help         print this help and exit

      Environment:
        AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN   credentials to sign with
        AWS_REGION, AWS_DEFAULT_REGION              region (wins over lambda-proxy.properties)
        AWS_ENDPOINT_URL_LAMBDA, AWS_ENDPOINT_URL   Lambda endpoint, e.g. a local emulator
        LAMBDA_PROXY_CONF                           conf folder when --conf is not given
      """;

  /** The parsed command line. */
  record Options(int port, String host, Path conf, boolean help) {

    static Options parse(String[] args, Map<String, String> env) {
      int port = 8080;
      String host = "0.0.0.0";
      String envConf = env.get(LambdaProxyInitializer.CONF_ENV);
      Path conf = Path.of(envConf == null || envConf.isBlank() ? "conf" : envConf.strip());
      boolean help = false;
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        String value = null;
        int equals = arg.indexOf('=');
        if (arg.startsWith("--") && equals > 0) {
          value = arg.substring(equals + 1);
          arg = arg.substring(0, equals);
        }
        switch (arg) {
          case "--help", "-h" -> help = true;
          case "--port" -> {
            String text = value != null ? value : next(args, ++i, arg);
            try {
              port = Integer.parseInt(text);
            } catch (NumberFormatException e) {
              throw new IllegalArgumentException("--port: '" + text + "' is not a number");
            }
            if (port < 0 || port > 65535) {
              throw new IllegalArgumentException("--port: " + port + " is not a port (0-65535)");
            }
          }
          case "--host" -> host = value != null ? value : next(args, ++i, arg);
          case "--conf" -> conf = Path.of(value != null ? value : next(args, ++i, arg));
          default -> throw new IllegalArgumentException("unknown option '" + arg + "'; see --help");
        }
      }
      return new Options(port, host, conf, help);
    }

    private static String next(String[] args, int i, String option) {
      if (i >= args.length || args[i].startsWith("--")) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args[i];
    }
  }

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  /** Runs until the server stops; returns the exit status (2 for bad flags or configuration). */
  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
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
    ProxyConfig config;
    try {
      config = ProxyConfig.load(ConfSource.directory(options.conf()), env, EnvironmentCredentialsProvider.fromSystem(), Clock.systemUTC());
    } catch (ConfigException e) {
      err.println("lambda-proxy: " + e.getMessage());
      return 2;
    } catch (UncheckedIOException e) {
      err.println("lambda-proxy: " + e.getMessage() + ": " + e.getCause().getMessage());
      return 2;
    }
    Logger log = LoggerFactory.getLogger(Main.class);
    LambdaProxyInitializer.warnIfNoCredentials(config);
    try (LambdaProxyServer server = LambdaProxyServer.start(config, options.host(), options.port())) {
      log.info("lambda-proxy listening on http://{}:{} with {} routes from {}",
          options.host(), server.port(), config.routes().size(), config.source());
      server.join();
      return 0;
    } catch (Exception e) {
      err.println("lambda-proxy: could not start: " + e.getMessage());
      return 1;
    }
  }
}

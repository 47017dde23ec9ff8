package dev.lambdaproxy.servlet;

import dev.lambdaproxy.config.Settings;
import dev.lambdaproxy.config.ConfigValues;
import dev.lambdaproxy.credentials.CredentialsProvider;
import dev.lambdaproxy.credentials.CredentialsProviders;
import dev.lambdaproxy.credentials.CredentialsUnavailableException;
import dev.lambdaproxy.route.ConfigWatcher;
import dev.lambdaproxy.route.RouteTable;
import java.io.IOException;
import java.util.Set;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wiring shared by the WAR and the executable jar: loads the configuration (unless the jar
 * already did) and registers {@link LambdaProxyServlet} on {@code /*}.
 *
 * <p>In a WAR the conf folder is, in order: system property {@code lambda-proxy.conf}, environment
 * {@code LAMBDA_PROXY_CONF}, context-param {@code lambda-proxy.conf}, else {@code WEB-INF/conf}.
 */
public class LambdaProxyInitializer implements ServletContextListener {

  /** Context attribute by which the jar hands over the {@link ProxyRuntime} it made. */
  public static final String RUNTIME_ATTRIBUTE = ProxyRuntime.class.getName();
  public static final String CONF_PROPERTY = "lambda-proxy.conf";
  public static final String CONF_ENV = "LAMBDA_PROXY_CONF";

  private static final Logger LOG = LoggerFactory.getLogger(LambdaProxyInitializer.class);

  private ConfigWatcher watcher;
  // Made by the WAR's own start and closed when the context is destroyed; the jar's Main owns its own.
  private CredentialsProviders credentialsProviders;
  /** Threads of the proxy's HTTP client: it is asynchronous, so few serve many connections. */
  private static final int CLIENT_THREADS = 32;
  /** The largest header block taken from a function or endpoint: what Jetty's and Tomcat's servers send back by default. */
  static final int MAX_RESPONSE_HEADERS_BYTES = 8 * 1024;
  /** Where Jetty publishes its server's executor to the webapps it runs. */
  private static final String JETTY_EXECUTOR_ATTRIBUTE = "org.eclipse.jetty.server.Executor";

  @Override
  public void contextInitialized(ServletContextEvent event) {
    ServletContext context = event.getServletContext();
    ProxyRuntime runtime = (ProxyRuntime) context.getAttribute(RUNTIME_ATTRIBUTE);
    if (runtime == null) {
      runtime = warRuntime(context);
    }
    register(context, runtime);
  }

  /**
   * The WAR loads its own configuration; the container owns ports, logs and lifecycle, so there
   * is no admin port and no request log here. A conf folder on disk is watched and reloaded.
   */
  private ProxyRuntime warRuntime(ServletContext context) {
    ConfSource conf = confSource(context, System.getenv());
    Map<String, String> env = System.getenv();
    ConfigValues values = ProxyConfig.values(conf, env, Map.of());
    credentialsProviders = ProxyConfig.credentials(Settings.from(values), env, System.getProperties());
    CredentialsProvider credentials = credentialsProviders.proxy();
    ProxyConfig config;
    try {
      config = ProxyConfig.load(conf, values, env, credentials, Clock.systemUTC()).withRoles(credentialsProviders::forRole);
    } catch (RuntimeException e) {
      credentialsProviders.close();
      throw e;
    }
    LOG.info("lambda-proxy: {} routes from {}", config.routes().size(), config.source());
    warnIfNoCredentials(config);
    CredentialsProviders providers = credentialsProviders;
    LiveConfig live = new LiveConfig(config,
        () -> ProxyConfig.load(conf, env, credentials, Clock.systemUTC()).withRoles(providers::forRole));
    if (conf.directory() != null) {
      try {
        watcher = ConfigWatcher.start(conf.directory(), Set.of(RouteTable.FILE_NAME, Settings.FILE_NAME), live::reload);
      } catch (IOException e) {
        LOG.warn("cannot watch {} for changes; redeploy to reload: {}", conf.describe(), e.getMessage());
      }
    }
    return ProxyRuntime.of(live, Telemetry.disabled());
  }

  @Override
  public void contextDestroyed(ServletContextEvent event) {
    if (watcher != null) {
      watcher.close();
    }
    if (credentialsProviders != null) {
      credentialsProviders.close();
    }
  }

  static ConfSource confSource(ServletContext context, Map<String, String> env) {
    String dir = System.getProperty(CONF_PROPERTY);
    if (isBlank(dir)) {
      dir = env.get(CONF_ENV);
    }
    if (isBlank(dir)) {
      dir = context.getInitParameter(CONF_PROPERTY);
    }
    return isBlank(dir) ? ConfSource.webInf(context) : ConfSource.directory(Path.of(dir.strip()));
  }

  /** Logs once at start-up what every routed request will answer with a 500 until it is fixed. */
  public static void warnIfNoCredentials(ProxyConfig config) {
    try {
      config.credentials().resolve();
    } catch (CredentialsUnavailableException e) {
      LOG.warn("no AWS credentials: {}; every routed request will answer 500 until they are set", e.getMessage());
    }
  }

  static void register(ServletContext context, ProxyRuntime runtime) {
    ProxyConfig config = runtime.live().current();
    ServletRegistration.Dynamic servlet = context.addServlet("lambda-proxy", new LambdaProxyServlet(runtime));
    servlet.setAsyncSupported(true);
    servlet.setLoadOnStartup(1);
    servlet.addMapping("/*");
    // Read by Jetty's ProxyServlet when it builds its HttpClient. Inside Jetty the client borrows
    // the server's thread pool (fewer threads, fewer hand-offs); elsewhere (Tomcat) there is none
    // to borrow and maxThreads gives the client its own.
    if (context.getAttribute(JETTY_EXECUTOR_ATTRIBUTE) == null) {
      servlet.setInitParameter("maxThreads", Integer.toString(CLIENT_THREADS));
    }
    servlet.setInitParameter("maxConnections", Integer.toString(config.settings().maxConnections()));
    servlet.setInitParameter("idleTimeout", Long.toString(config.settings().keepAlive().toMillis()));
    servlet.setInitParameter("timeout", Long.toString(config.settings().timeout().toMillis()));
    // Jetty's client takes header blocks of any size by default: an endpoint could make it buffer without end.
    servlet.setInitParameter("maxResponseHeadersSize", Integer.toString(MAX_RESPONSE_HEADERS_BYTES));
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}

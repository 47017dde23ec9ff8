package dev.lambdaproxy.servlet;

import dev.lambdaproxy.runtime.Bootstrap;
import dev.lambdaproxy.runtime.ConfSource;
import dev.lambdaproxy.runtime.ProxyConfig;
import dev.lambdaproxy.runtime.Telemetry;
import dev.lambdaproxy.runtime.ProxyRuntime;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wiring shared by the WAR and the executable jar: loads the configuration (unless the jar
 * already did) and registers {@link LambdaRoutingFilter} in front of {@link LambdaProxyServlet}, both on {@code /*}.
 *
 * <p>In a WAR the conf folder is, in order: system property {@code lambda-proxy.conf}, environment
 * {@code LAMBDA_PROXY_CONF}, context-param {@code lambda-proxy.conf}, else {@code WEB-INF/conf}.
 */
public class LambdaProxyInitializer implements ServletContextListener {

  /** Context attribute by which the jar hands over the {@link ProxyRuntime} it made. */
  public static final String RUNTIME_ATTRIBUTE = ProxyRuntime.class.getName();
  /** Context attribute holding the proxy servlet registered here, for {@link LambdaRoutingFilter}. */
  static final String SERVLET_ATTRIBUTE = LambdaProxyServlet.class.getName();
  public static final String CONF_PROPERTY = "lambda-proxy.conf";
  public static final String CONF_ENV = "LAMBDA_PROXY_CONF";

  private static final Logger LOG = LoggerFactory.getLogger(LambdaProxyInitializer.class);

  // Made by the WAR's own start and closed when the context is destroyed; the jar's Main owns its own.
  private Bootstrap boot;
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
    boot = Bootstrap.from(confSource(context, System.getenv())).env(System.getenv()).systemProperties(System.getProperties()).start();
    ProxyConfig config = boot.live().current();
    LOG.info("lambda-proxy: {} routes from {}", config.routes().size(), config.source());
    boot.warnIfNoCredentials();
    boot.watch("redeploy to reload");
    return ProxyRuntime.of(boot.live(), Telemetry.disabled());
  }

  @Override
  public void contextDestroyed(ServletContextEvent event) {
    if (boot != null) {
      boot.close();
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
    return isBlank(dir) ? new WebInfConf(context) : ConfSource.directory(Path.of(dir.strip()));
  }

  /**
   * The WAR's and the jar's front end: {@link LambdaRoutingFilter} on {@code /*}, answering
   * unmapped paths with the JSON 404, in front of {@link LambdaProxyServlet} on {@code /*}.
   */
  static void register(ServletContext context, ProxyRuntime runtime) {
    LambdaProxyServlet proxy = new LambdaProxyServlet(runtime);
    ServletRegistration.Dynamic servlet = context.addServlet("lambda-proxy", proxy);
    servlet.setAsyncSupported(true);
    servlet.setLoadOnStartup(1);
    servlet.addMapping("/*");
    servlet.setInitParameters(clientParameters(context, runtime.live().current()));
    context.setAttribute(SERVLET_ATTRIBUTE, proxy);
    FilterRegistration.Dynamic filter = context.addFilter("lambda-routing", LambdaRoutingFilter.class);
    filter.setAsyncSupported(true);
    filter.setInitParameter(LambdaRoutingFilter.ON_MISS_PARAM, "404");
    filter.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
  }

  /** The init-params Jetty's ProxyServlet reads when it builds its HttpClient: threads, pool, timeouts, limits. */
  static Map<String, String> clientParameters(ServletContext context, ProxyConfig config) {
    Map<String, String> parameters = new LinkedHashMap<>();
    // Inside Jetty the client borrows the server's thread pool (fewer threads, fewer hand-offs);
    // elsewhere (Tomcat) there is none to borrow and maxThreads gives the client its own.
    if (context.getAttribute(JETTY_EXECUTOR_ATTRIBUTE) == null) {
      parameters.put("maxThreads", Integer.toString(CLIENT_THREADS));
    }
    parameters.put("maxConnections", Integer.toString(config.settings().maxConnections()));
    parameters.put("idleTimeout", Long.toString(config.settings().keepAlive().toMillis()));
    parameters.put("timeout", Long.toString(config.settings().timeout().toMillis()));
    // Jetty's client takes header blocks of any size by default: an endpoint could make it buffer without end.
    parameters.put("maxResponseHeadersSize", Integer.toString(MAX_RESPONSE_HEADERS_BYTES));
    return parameters;
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}

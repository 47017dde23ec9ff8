package dev.lambdaproxy.servlet;

import dev.lambdaproxy.http.ClientAnswer;
import dev.lambdaproxy.http.ProxyError;
import dev.lambdaproxy.route.RouteMatch;
import dev.lambdaproxy.runtime.Bootstrap;
import dev.lambdaproxy.runtime.ConfSource;
import dev.lambdaproxy.runtime.ProxyConfig;
import dev.lambdaproxy.runtime.ProxyRuntime;
import dev.lambdaproxy.runtime.Telemetry;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consults the route table for every request it sees. A mapped path is proxied to its function by
 * {@link LambdaProxyServlet}; an unmapped one gets the JSON 404 ({@code on-miss=404}, the default,
 * as the WAR uses it) or goes down the filter chain untouched ({@code on-miss=pass}), so that an
 * existing web application can put the filter in front of its own servlets and move routes to
 * Lambda one at a time.
 *
 * <p>Init-params: {@code on-miss} ({@code 404} or {@code pass}); {@code conf}, the conf folder (else,
 * as the WAR: system property {@code lambda-proxy.conf}, {@code LAMBDA_PROXY_CONF}, the
 * context-param {@code lambda-proxy.conf}, {@code WEB-INF/conf}). In the WAR and the jar the
 * configuration and the proxy servlet are the ones {@link LambdaProxyInitializer} made; added to
 * another application, the filter loads its own and runs its own servlet, stopped with the filter.
 * The filter must be async-supported, and so must the servlet its mapped paths would reach.
 */
public class LambdaRoutingFilter implements Filter {

  public static final String ON_MISS_PARAM = "on-miss";
  public static final String CONF_PARAM = "conf";
  /** Request attribute: the route this filter matched, so the servlet routes by the same table. */
  static final String MATCH_ATTRIBUTE = LambdaRoutingFilter.class.getName() + ".match";
  static final String CONFIG_ATTRIBUTE = LambdaRoutingFilter.class.getName() + ".config";

  private static final Logger LOG = LoggerFactory.getLogger(LambdaRoutingFilter.class);

  /** What the filter does with a path no route maps. */
  public enum OnMiss { NOT_FOUND, PASS }

  private OnMiss onMiss;
  private ProxyRuntime runtime;
  private LambdaProxyServlet proxy;
  /** Set when this filter started its own configuration and servlet (the library); stopped with it. */
  private Bootstrap ownBoot;
  private boolean ownServlet;

  @Override
  public void init(FilterConfig filterConfig) throws ServletException {
    onMiss = onMiss(filterConfig.getInitParameter(ON_MISS_PARAM));
    ServletContext context = filterConfig.getServletContext();
    proxy = (LambdaProxyServlet) context.getAttribute(LambdaProxyInitializer.SERVLET_ATTRIBUTE);
    if (proxy != null) {
      runtime = proxy.runtime();
      return;
    }
    String conf = filterConfig.getInitParameter(CONF_PARAM);
    ownBoot = Bootstrap.from(conf != null && !conf.isBlank()
            ? ConfSource.directory(Path.of(conf.strip()))
            : LambdaProxyInitializer.confSource(context, System.getenv()))
        .env(System.getenv()).systemProperties(System.getProperties()).start();
    ProxyConfig config = ownBoot.live().current();
    LOG.info("lambda-proxy filter {}: {} routes from {}, on-miss={}", filterConfig.getFilterName(), config.routes().size(),
        config.source(), onMiss == OnMiss.PASS ? "pass" : "404");
    ownBoot.warnIfNoCredentials();
    ownBoot.watch("redeploy to reload");
    runtime = ProxyRuntime.of(ownBoot.live(), Telemetry.disabled());
    proxy = new LambdaProxyServlet(runtime);
    ownServlet = true;
    try {
      proxy.init(servletConfig(filterConfig, LambdaProxyInitializer.clientParameters(context, config)));
    } catch (ServletException | RuntimeException e) {
      ownBoot.close();
      throw e;
    }
  }

  static OnMiss onMiss(String value) throws ServletException {
    if (value == null || value.isBlank() || value.strip().equals("404")) {
      return OnMiss.NOT_FOUND;
    }
    if (value.strip().toLowerCase(Locale.ROOT).equals("pass")) {
      return OnMiss.PASS;
    }
    throw new ServletException("init-param " + ON_MISS_PARAM + " is '" + value + "'; use 404 or pass");
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
    if (!(request instanceof HttpServletRequest clientRequest) || !(response instanceof HttpServletResponse proxyResponse)) {
      chain.doFilter(request, response);
      return;
    }
    ProxyConfig config = runtime.live().current(); // read once: a reload does not change this request's table
    String path = LambdaProxyServlet.pathInContext(clientRequest);
    RouteMatch match = config.routes().match(path, clientRequest.getMethod());
    if (match == null && onMiss == OnMiss.PASS) {
      chain.doFilter(request, response);
      return;
    }
    if (!clientRequest.isAsyncSupported()) {
      if (match == null) {
        write(proxyResponse, ProxyError.noRoute(path).toAnswer());
        return;
      }
      LOG.error("{} {}: the filter and the servlet it maps to must be async-supported to proxy it", clientRequest.getMethod(), path);
      write(proxyResponse, ProxyError.internal().toAnswer());
      return;
    }
    // A miss goes through the servlet too: its 404 is counted and logged like every other answer.
    clientRequest.setAttribute(CONFIG_ATTRIBUTE, config);
    if (match != null) {
      clientRequest.setAttribute(MATCH_ATTRIBUTE, match);
    }
    proxy.service(clientRequest, proxyResponse);
  }

  private static void write(HttpServletResponse proxyResponse, ClientAnswer answer) throws IOException {
    proxyResponse.setStatus(answer.status());
    for (ClientAnswer.Header header : answer.headers()) {
      proxyResponse.addHeader(header.name(), header.value());
    }
    proxyResponse.setContentType(answer.contentType());
    proxyResponse.setContentLength(answer.body().length);
    proxyResponse.getOutputStream().write(answer.body());
  }

  @Override
  public void destroy() {
    if (ownServlet) {
      proxy.destroy();
      runtime.cache().close();
    }
    if (ownBoot != null) {
      ownBoot.close();
    }
  }

  /** The filter's own servlet is configured like the WAR's: its init-params, then the filter's. */
  private static ServletConfig servletConfig(FilterConfig filterConfig, Map<String, String> defaults) {
    return new ServletConfig() {
      @Override
      public String getServletName() {
        return filterConfig.getFilterName() + "-proxy";
      }

      @Override
      public ServletContext getServletContext() {
        return filterConfig.getServletContext();
      }

      @Override
      public String getInitParameter(String name) {
        String value = filterConfig.getInitParameter(name);
        return value != null ? value : defaults.get(name);
      }

      @Override
      public Enumeration<String> getInitParameterNames() {
        Set<String> names = new TreeSet<>(defaults.keySet());
        names.addAll(Collections.list(filterConfig.getInitParameterNames()));
        return Collections.enumeration(names);
      }
    };
  }
}

package dev.lambdaproxy.servlet;

import dev.lambdaproxy.invoke.event.Header;
import dev.lambdaproxy.pipeline.ClientRequest;
import dev.lambdaproxy.pipeline.Pipeline;
import dev.lambdaproxy.pipeline.RequestBody;
import dev.lambdaproxy.route.RouteMatch;
import dev.lambdaproxy.runtime.ProxyConfig;
import dev.lambdaproxy.runtime.ProxyRuntime;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import org.eclipse.jetty.client.EarlyHintsProtocolHandler;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.ProcessingProtocolHandler;
import org.eclipse.jetty.ee10.proxy.ProxyServlet;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The servlet front end of the {@link Pipeline}: reads the client's request and body without
 * blocking, hands them to a pipeline call, and writes what it answers ({@link ServletSink}).
 *
 * <p>It is Jetty's {@link ProxyServlet} for the upstream leg: the {@code HttpClient} is built,
 * sized (init-params {@code maxThreads}, {@code maxConnections}, {@code idleTimeout},
 * {@code timeout}, {@code maxResponseHeadersSize}), started and stopped by Jetty's hooks, and is
 * the servlet world's {@link dev.lambdaproxy.pipeline.Upstream} ({@link JettyUpstream}). The
 * request leg is the pipeline's, not ProxyServlet's own {@code service()} sequence: the body must
 * be read, checked and hashed before the call is signed, and the answer decoded before it is
 * written; and the same stages must run behind the jar's event loop, where no servlet exists.
 */
public class LambdaProxyServlet extends ProxyServlet {

  private static final Logger LOG = LoggerFactory.getLogger(LambdaProxyServlet.class);

  private final ProxyRuntime runtime;
  private Pipeline pipeline;

  public LambdaProxyServlet(ProxyRuntime runtime) {
    this.runtime = runtime;
  }

  ProxyRuntime runtime() {
    return runtime;
  }

  /**
   * Jetty's proxy logs whole requests at debug, signature and session token included: under Jetty's
   * name, so that turning the proxy's own loggers to debug (for {@code log=tail}) shows no secret.
   */
  @Override
  protected Logger createLogger() {
    return LoggerFactory.getLogger("org.eclipse.jetty.ee10.proxy." + LambdaProxyServlet.class.getSimpleName());
  }

  @Override
  public void init() throws ServletException {
    super.init();
    pipeline = new Pipeline(runtime, new JettyUpstream(getHttpClient(), runtime.telemetry()));
  }

  @Override
  public void destroy() {
    if (pipeline != null) {
      pipeline.close();
    }
    super.destroy();
  }

  @Override
  protected HttpClient createHttpClient() throws ServletException {
    HttpClient client = super.createHttpClient();
    // Jetty's proxy clears the client's protocol handlers so that redirects and the like pass through;
    // interim 102 and 103 answers must not: relayed as the answer, the client waits for good.
    client.getProtocolHandlers().put(new ProcessingProtocolHandler());
    client.getProtocolHandlers().put(new EarlyHintsProtocolHandler());
    return client;
  }

  @Override
  protected ClientConnector newClientConnector() {
    ClientConnector connector = super.newClientConnector();
    ProxyConfig config = runtime.live().current();
    if (!config.settings().sslVerify()) {
      LOG.warn("ssl-verify is false: TLS certificates are not checked for {}; anyone on the network path can read and change"
          + " these calls (and those of https routes added later)", httpsRoutes(config));
      SslContextFactory.Client trustAll = new SslContextFactory.Client(true);
      trustAll.setEndpointIdentificationAlgorithm(null);
      connector.setSslContextFactory(trustAll);
    }
    return connector;
  }

  /** The routes whose calls go over https, as {@code /path (target)}: what {@code ssl-verify = false} exposes. */
  public static String httpsRoutes(ProxyConfig config) {
    List<String> exposed = new ArrayList<>();
    for (dev.lambdaproxy.route.Route route : config.routes().routes()) {
      dev.lambdaproxy.invoke.InvokeTarget target = config.target(route);
      java.net.URI upstream = target != null ? target.uri() : route.endpoint().uri();
      if ("https".equalsIgnoreCase(upstream.getScheme())) {
        exposed.add(route.pattern() + " (" + route.target().display() + ")");
      }
    }
    return exposed.isEmpty() ? "no route yet (all use http://)" : String.join(", ", exposed);
  }

  @Override
  protected void service(HttpServletRequest clientRequest, HttpServletResponse proxyResponse) throws IOException {
    AsyncContext asyncContext = clientRequest.startAsync();
    asyncContext.setTimeout(0); // the pipeline's deadline and the connectors' idle timeouts bound it
    Pipeline.Call call = pipeline.newCall(clientRequest(clientRequest), new ServletSink(asyncContext, proxyResponse));
    asyncContext.addListener(new AsyncListener() {
      @Override
      public void onComplete(AsyncEvent event) {
        call.completed(proxyResponse.getStatus());
      }

      @Override
      public void onTimeout(AsyncEvent event) {
        call.completed(proxyResponse.getStatus());
      }

      @Override
      public void onError(AsyncEvent event) {
        // The client is gone (a reset stream, a broken connection): its call is aborted.
        call.clientGone(event.getThrowable());
        call.completed(proxyResponse.isCommitted() ? proxyResponse.getStatus() : Pipeline.CLIENT_CLOSED_REQUEST);
      }

      @Override
      public void onStartAsync(AsyncEvent event) {
        // not restarted
      }
    });
    // Read once (by the routing filter, when it ran): a reload does not change this request's table.
    ProxyConfig config = clientRequest.getAttribute(LambdaRoutingFilter.CONFIG_ATTRIBUTE) instanceof ProxyConfig routedBy ? routedBy : null;
    RouteMatch match = config != null && clientRequest.getAttribute(LambdaRoutingFilter.MATCH_ATTRIBUTE) instanceof RouteMatch routed
        ? routed : null;
    if (!call.admit(config, match)) {
      return;
    }
    if (!call.readsBody()) {
      call.proceed(RequestBody.EMPTY);
      return;
    }
    ClientBody.Listener listener = new ClientBody.Listener() {
      @Override
      public void onBody(List<ByteBuffer> chunks, String sha256Hex) {
        call.proceed(new RequestBody(chunks, sha256Hex));
      }

      @Override
      public void onTooLarge() {
        call.bodyTooLarge();
      }

      @Override
      public void onFailure(Throwable failure) {
        call.bodyFailed(failure);
      }
    };
    try {
      new ClientBody(clientRequest.getInputStream(), clientRequest.getContentLengthLong(), call.maxBodyBytes(), listener).start();
    } catch (IOException | IllegalStateException e) {
      listener.onFailure(e);
    }
  }

  /** What the pipeline may know of the request: no servlet type goes past this line. */
  static ClientRequest clientRequest(HttpServletRequest clientRequest) {
    List<Header> headers = new ArrayList<>();
    for (Enumeration<String> names = clientRequest.getHeaderNames(); names.hasMoreElements(); ) {
      String name = names.nextElement();
      for (Enumeration<String> values = clientRequest.getHeaders(name); values.hasMoreElements(); ) {
        headers.add(new Header(name, values.nextElement()));
      }
    }
    String contextPath = clientRequest.getContextPath();
    String rawPath = clientRequest.getRequestURI().substring(contextPath == null ? 0 : contextPath.length());
    return new ClientRequest(clientRequest.getMethod(), rawPath.isEmpty() ? "/" : rawPath, pathInContext(clientRequest),
        clientRequest.getQueryString(), headers, clientRequest.getRemoteAddr(), clientRequest.getScheme(), clientRequest.getProtocol(),
        clientRequest.getServerName(), clientRequest.getContentLengthLong());
  }

  /** The decoded path inside the servlet context, whatever the servlet's mapping: what routes match. */
  static String pathInContext(HttpServletRequest clientRequest) {
    String servletPath = clientRequest.getServletPath();
    String pathInfo = clientRequest.getPathInfo();
    String path = (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
    return path.isEmpty() ? "/" : path;
  }
}

package dev.lambdaproxy.servlet;

import dev.lambdaproxy.runtime.ProxyConfig;
import dev.lambdaproxy.runtime.LiveConfig;
import dev.lambdaproxy.runtime.Telemetry;
import dev.lambdaproxy.runtime.ProxyRuntime;
import dev.lambdaproxy.cache.CacheRequest;
import dev.lambdaproxy.cache.ResponseCache;
import dev.lambdaproxy.config.EventFormat;
import dev.lambdaproxy.config.TrustedProxies;
import dev.lambdaproxy.credentials.AwsCredentials;
import dev.lambdaproxy.credentials.CredentialsUnavailableException;
import dev.lambdaproxy.invoke.ClientAnswer;
import dev.lambdaproxy.invoke.Headers;
import dev.lambdaproxy.invoke.InvokeTarget;
import dev.lambdaproxy.invoke.LambdaResponse;
import dev.lambdaproxy.invoke.Payloads;
import dev.lambdaproxy.invoke.ProxyError;
import dev.lambdaproxy.invoke.ResponseDecoder;
import dev.lambdaproxy.invoke.event.ApiGatewayV1Event;
import dev.lambdaproxy.invoke.event.ApiGatewayV2Event;
import dev.lambdaproxy.invoke.event.ClientRequestView;
import dev.lambdaproxy.invoke.stream.EventStreamException;
import dev.lambdaproxy.invoke.stream.LambdaStreamDecoder;
import dev.lambdaproxy.route.FunctionTarget;
import dev.lambdaproxy.route.HttpEndpoint;
import dev.lambdaproxy.route.Route;
import dev.lambdaproxy.route.RouteMatch;
import dev.lambdaproxy.sigv4.Header;
import dev.lambdaproxy.sigv4.PayloadHash;
import dev.lambdaproxy.sigv4.SigV4Result;
import dev.lambdaproxy.sigv4.SigV4Signer;
import dev.lambdaproxy.sigv4.SignableRequest;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.ByteBufferRequestContent;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.ee10.proxy.ProxyServlet;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy: a Jetty {@link ProxyServlet} whose hooks turn a client request into a signed Lambda
 * Invoke call, or a call to a function's own HTTP endpoint, and the answer back into an HTTP
 * response.
 *
 * <p>Hook by hook: {@link #rewriteTarget} matches the route (or refuses with an error),
 * {@link #newProxyRequest} makes the upstream request, {@link #copyRequestHeaders} forwards
 * nothing to the Invoke API (client headers mean nothing to it, and the client's Authorization must
 * never reach AWS) and a filtered set to an HTTP endpoint, {@link #sendProxyRequest} reads the
 * client body, builds the payload, signs and sends. A Lambda route's answer is buffered and decoded;
 * an HTTP endpoint's streams back as Jetty proxies it. Failures become statuses in one place,
 * {@link #proxyResponseError}.
 */
public class LambdaProxyServlet extends ProxyServlet {

  private static final Logger LOG = LoggerFactory.getLogger(LambdaProxyServlet.class);
  private static final String EXCHANGE_ATTRIBUTE = LambdaProxyServlet.class.getName() + ".exchange";
  private static final String ERROR_ATTRIBUTE = LambdaProxyServlet.class.getName() + ".error";
  private static final String CACHED_ATTRIBUTE = LambdaProxyServlet.class.getName() + ".cached";
  private static final String JSON = "application/json";
  private static final String EMPTY_OBJECT_SHA256 = PayloadHash.sha256Hex(Payloads.EMPTY_OBJECT, 0, Payloads.EMPTY_OBJECT.length);

  /** How long past its route's timeout a request may stay unanswered before the deadline ends it. */
  static final long DEADLINE_GRACE_MS = 5_000;

  private final ProxyRuntime runtime;
  private final LiveConfig live;
  private final Telemetry telemetry;
  private final ResponseCache cache;
  private final SigV4Signer signer;

  public LambdaProxyServlet(ProxyRuntime runtime) {
    this.runtime = runtime;
    this.live = runtime.live();
    this.telemetry = runtime.telemetry();
    this.cache = runtime.cache();
    this.signer = new SigV4Signer(live.current().clock());
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
  public void init() throws jakarta.servlet.ServletException {
    super.init();
    org.eclipse.jetty.client.HttpClient client = getHttpClient();
    // Jetty's proxy clears the client's protocol handlers so that redirects and the like pass through;
    // interim 102 and 103 answers must not: relayed as the answer, the client waits for good.
    client.getProtocolHandlers().put(new org.eclipse.jetty.client.ProcessingProtocolHandler());
    client.getProtocolHandlers().put(new org.eclipse.jetty.client.EarlyHintsProtocolHandler());
    // Pool usage, read at scrape time from the client's connection pools.
    telemetry.gauge("lambda_proxy_upstream_connections", "pooled connections to the endpoints", "state", "active",
        client, c -> poolCount(c, true));
    telemetry.gauge("lambda_proxy_upstream_connections", "pooled connections to the endpoints", "state", "idle",
        client, c -> poolCount(c, false));
  }

  private static double poolCount(org.eclipse.jetty.client.HttpClient client, boolean active) {
    int count = 0;
    for (org.eclipse.jetty.client.Destination destination : client.getDestinations()) {
      if (destination.getConnectionPool() instanceof org.eclipse.jetty.client.AbstractConnectionPool pool) {
        count += active ? pool.getActiveConnectionCount() : pool.getIdleConnectionCount();
      }
    }
    return count;
  }

  @Override
  protected ClientConnector newClientConnector() {
    ClientConnector connector = super.newClientConnector();
    ProxyConfig config = live.current();
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
  static String httpsRoutes(ProxyConfig config) {
    List<String> exposed = new ArrayList<>();
    for (Route route : config.routes().routes()) {
      InvokeTarget target = config.target(route);
      URI upstream = target != null ? target.uri() : route.endpoint().uri();
      if ("https".equalsIgnoreCase(upstream.getScheme())) {
        exposed.add(route.pattern() + " (" + route.target().display() + ")");
      }
    }
    return exposed.isEmpty() ? "no route yet (all use http://)" : String.join(", ", exposed);
  }

  @Override
  protected String rewriteTarget(HttpServletRequest clientRequest) {
    Exchange exchange = new Exchange(System.nanoTime());
    clientRequest.setAttribute(EXCHANGE_ATTRIBUTE, exchange);
    telemetry.started();
    // Read once (by the routing filter, when it ran): a reload does not change this request's table.
    ProxyConfig config = clientRequest.getAttribute(LambdaRoutingFilter.CONFIG_ATTRIBUTE) instanceof ProxyConfig routedBy
        ? routedBy : live.current();
    String path = pathInContext(clientRequest);
    RouteMatch match = clientRequest.getAttribute(LambdaRoutingFilter.MATCH_ATTRIBUTE) instanceof RouteMatch routed
        ? routed : config.routes().match(path);
    if (match == null) {
      return refuse(clientRequest, ProxyError.noRoute(path));
    }
    Route route = match.route();
    String method = clientRequest.getMethod();
    if (!route.allows(method)) {
      return refuse(clientRequest, ProxyError.methodNotAllowed(method, path, List.copyOf(route.methods())));
    }
    HttpEndpoint endpoint = route.endpoint();
    AwsCredentials credentials = null;
    if (endpoint == null || endpoint.auth() == HttpEndpoint.Auth.IAM) {
      try {
        credentials = config.credentials(route).resolve();
      } catch (CredentialsUnavailableException e) {
        return refuse(clientRequest, ProxyError.noCredentials(e.getMessage()));
      } catch (RuntimeException e) {
        // A provider's own failure (a refresh that threw) must not become the container's HTML page quoting it.
        LOG.warn("the AWS credentials provider failed", e);
        return refuse(clientRequest, ProxyError.noCredentials("the credentials provider failed (" + e.getClass().getSimpleName() + "); see the log"));
      }
    }
    long maxBody = config.settings().maxBodyBytes();
    if (readsBody(route, method) && clientRequest.getContentLengthLong() > maxBody) {
      return refuse(clientRequest, ProxyError.bodyTooLarge(maxBody));
    }
    Duration timeout = route.timeout() != null ? route.timeout() : config.settings().timeout();
    InvokeTarget invokeTarget = config.target(route);
    exchange.routed(match, config.settings(), invokeTarget, credentials, timeout, config.clock().millis());
    FunctionTarget function = route.function();
    if (function != null && function.cache() != null && (method.equals("GET") || method.equals("HEAD"))) {
      // Answered through the cache, from onProxyRewriteFailed, the hook that is handed the response.
      clientRequest.setAttribute(CACHED_ATTRIBUTE, function);
      return null;
    }
    return invokeTarget != null ? invokeTarget.uri().toString() : endpointUri(endpoint, match, clientRequest.getQueryString());
  }

  /**
   * A GET or HEAD on a cached route: the cache answers, or calls the function once for every
   * request waiting on the same key. The call may also run later, as a background refresh, when
   * this client is long gone; so it is made from copies (the payload, the headers), straight on the
   * HTTP client, and never touches this request. A GET body is not read: it cannot be part of the key.
   */
  private void serveThroughCache(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, Exchange exchange,
      FunctionTarget function) {
    AsyncContext asyncContext = clientRequest.startAsync();
    asyncContext.setTimeout(0);
    listenForCompletion(clientRequest, proxyResponse, null);
    try {
      armDeadline(clientRequest, proxyResponse, null, exchange);
      serveThroughCacheAsync(clientRequest, proxyResponse, exchange, function, asyncContext);
    } catch (RuntimeException | Error e) {
      answerAfterBug(clientRequest, proxyResponse, e);
    }
  }

  private void serveThroughCacheAsync(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, Exchange exchange,
      FunctionTarget function, AsyncContext asyncContext) {
    byte[] payload = switch (function.event()) {
      case RAW -> Payloads.EMPTY_OBJECT;
      case APIGW_V1 -> ApiGatewayV1Event.toJson(ClientRequestViews.of(clientRequest, exchange, exchange.settings.trustedProxies(), List.of()));
      case APIGW_V2 -> ApiGatewayV2Event.toJson(ClientRequestViews.of(clientRequest, exchange, exchange.settings.trustedProxies(), List.of()));
    };
    Map<String, String> headers = new HashMap<>();
    for (Enumeration<String> names = clientRequest.getHeaderNames(); names.hasMoreElements(); ) {
      String name = names.nextElement();
      headers.put(name.toLowerCase(java.util.Locale.ROOT), String.join(", ", Collections.list(clientRequest.getHeaders(name))));
    }
    CacheRequest cacheRequest = CacheRequest.of(exchange.route.pattern() + ' ' + function.display(), clientRequest.getMethod(),
        pathInContext(clientRequest), clientRequest.getQueryString(), headers::get);
    cache.serve(cacheRequest, function.cache(), () -> invokeDirectly(exchange, function, payload))
        .whenComplete((cached, failure) -> {
          if (failure != null) {
            answerAfterBug(clientRequest, proxyResponse, failure);
            return;
          }
          try {
            ClientResponses.writeAsync(exchange, asyncContext, proxyResponse, cached.answer());
          } catch (RuntimeException | Error e) {
            answerAfterBug(clientRequest, proxyResponse, e);
          }
        });
  }

  /** One Invoke call made without the proxy hooks, for the cache: signed as they sign, decoded as they decode. */
  private CompletableFuture<ClientAnswer> invokeDirectly(Exchange exchange, FunctionTarget function, byte[] payload) {
    CompletableFuture<ClientAnswer> answer = new CompletableFuture<>();
    AwsCredentials credentials;
    try {
      credentials = live.current().credentials(exchange.route).resolve(); // a refresh may run long after the first request
    } catch (CredentialsUnavailableException e) {
      answer.complete(ProxyError.noCredentials(e.getMessage()).toAnswer());
      return answer;
    }
    InvokeTarget target = exchange.invokeTarget;
    Request proxyRequest = getHttpClient().newRequest(target.uri()).method(HttpMethod.POST).version(HttpVersion.HTTP_1_1)
        .timeout(exchange.timeout.toMillis(), TimeUnit.MILLISECONDS);
    signInvoke(proxyRequest, target, function, credentials, PayloadHash.sha256Hex(payload, 0, payload.length));
    proxyRequest.body(new ByteBufferRequestContent(JSON, ByteBuffer.wrap(payload)));
    long started = System.nanoTime();
    proxyRequest.send(new BufferingResponseListener(Exchange.MAX_SERVER_RESPONSE_BYTES) {
      @Override
      public void onComplete(Result result) {
        exchange.upstreamNanos = System.nanoTime() - started;
        try {
          if (result.isFailed()) {
            ProxyError error = proxyResponseError(exchange, result.getFailure());
            LOG.warn("{}: {}", exchange.route.pattern(), error.message());
            answer.complete(error.toAnswer());
            return;
          }
          ResponseDecoder.Decoded decoded = decode(exchange, function, result.getResponse(), getContent());
          if (decoded.logMessage() != null) {
            LOG.warn("{}: {}", exchange.route.pattern(), decoded.logMessage());
          }
          answer.complete(decoded.answer());
        } catch (RuntimeException e) {
          answer.completeExceptionally(e);
        }
      }
    });
    return answer;
  }

  /** Whether the client's body is read: raw Lambda routes ignore it for GET, HEAD, DELETE and OPTIONS. */
  private static boolean readsBody(Route route, String method) {
    FunctionTarget function = route.function();
    return function == null || function.event() != EventFormat.RAW || Payloads.carriesClientBody(method);
  }

  /** The endpoint's URL, with the rest of the path of a prefix or greedy route and the client's query. */
  static String endpointUri(HttpEndpoint endpoint, RouteMatch match, String rawQuery) {
    URI base = endpoint.uri();
    StringBuilder uri = new StringBuilder(128).append(base.getScheme()).append("://").append(base.getRawAuthority());
    String basePath = base.getRawPath() == null || base.getRawPath().isEmpty() ? "/" : base.getRawPath();
    uri.append(basePath);
    if (!match.remainder().isEmpty()) {
      if (uri.charAt(uri.length() - 1) != '/') {
        uri.append('/');
      }
      appendEncodedPath(uri, match.remainder());
    }
    if (rawQuery != null && !rawQuery.isEmpty()) {
      uri.append('?').append(rawQuery);
    }
    return uri.toString();
  }

  /** Percent-encodes a decoded path, keeping '/' and the characters RFC 3986 allows in a segment. */
  private static void appendEncodedPath(StringBuilder out, String decoded) {
    for (byte b : decoded.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~!$&'()*+,;=:@/".indexOf(c) >= 0) {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
  }

  static String pathInContext(HttpServletRequest clientRequest) {
    String servletPath = clientRequest.getServletPath();
    String pathInfo = clientRequest.getPathInfo();
    String path = (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
    return path.isEmpty() ? "/" : path;
  }

  private static String refuse(HttpServletRequest clientRequest, ProxyError error) {
    clientRequest.setAttribute(ERROR_ATTRIBUTE, error);
    return null;
  }

  @Override
  protected void onProxyRewriteFailed(HttpServletRequest clientRequest, HttpServletResponse proxyResponse) {
    Exchange exchange = exchange(clientRequest);
    if (clientRequest.getAttribute(CACHED_ATTRIBUTE) instanceof FunctionTarget cached) {
      serveThroughCache(clientRequest, proxyResponse, exchange, cached);
      return;
    }
    ProxyError error = (ProxyError) clientRequest.getAttribute(ERROR_ATTRIBUTE);
    if (error == null) {
      error = ProxyError.internal();
    }
    if (error.status() == 500) {
      LOG.warn("{} {}: {}", clientRequest.getMethod(), clientRequest.getRequestURI(), error.message());
    }
    try {
      ClientResponses.writeNow(exchange, proxyResponse, error.toAnswer());
    } catch (IOException e) {
      LOG.debug("client went away before its error answer", e);
    }
    finish(clientRequest, error.status());
  }

  /**
   * Counts and logs an async request when it completes, whichever way it ends; a client that goes
   * away takes {@code proxyRequest} (null: none) with it.
   */
  private void listenForCompletion(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, Request proxyRequest) {
    clientRequest.getAsyncContext().addListener(new AsyncListener() {
      @Override
      public void onComplete(AsyncEvent event) {
        finish(clientRequest, proxyResponse.getStatus());
      }

      @Override
      public void onTimeout(AsyncEvent event) {
        finish(clientRequest, proxyResponse.getStatus());
      }

      @Override
      public void onError(AsyncEvent event) {
        if (proxyRequest != null) {
          // The client is gone (a reset stream, a broken connection): nobody waits for the call any more.
          proxyRequest.abort(new ClientGoneException(event.getThrowable()));
        }
        Exchange exchange = exchange(clientRequest);
        if (exchange != null && exchange.errorKind == null) {
          exchange.errorKind = "client_gone";
        }
        // nginx's 499 "client closed request": the status set on the response never reached anyone.
        finish(clientRequest, proxyResponse.isCommitted() ? proxyResponse.getStatus() : 499);
      }

      @Override
      public void onStartAsync(AsyncEvent event) {
        // not restarted
      }
    });
  }

  /** Counts and logs a request once it is answered, whichever way. */
  private void finish(HttpServletRequest clientRequest, int status) {
    Exchange exchange = exchange(clientRequest);
    if (exchange == null || !exchange.finish()) {
      return;
    }
    telemetry.finished(clientRequest.getMethod(), clientRequest.getRequestURI(), clientRequest.getRemoteAddr(),
        exchange.routeName(), exchange.targetName(), status, exchange.errorKind, System.nanoTime() - exchange.startNanos,
        exchange.upstreamNanos, exchange.bytesReceived, exchange.bytesSent, exchange.lambdaRequestId);
  }

  @Override
  protected Request newProxyRequest(HttpServletRequest clientRequest, String rewrittenTarget) {
    Request proxyRequest = super.newProxyRequest(clientRequest, rewrittenTarget).version(HttpVersion.HTTP_1_1);
    // Every Invoke call is a POST, whatever the client's method; an HTTP endpoint gets the client's.
    return exchange(clientRequest).function() != null ? proxyRequest.method(HttpMethod.POST) : proxyRequest;
  }

  @Override
  protected void copyRequestHeaders(HttpServletRequest clientRequest, Request proxyRequest) {
    HttpEndpoint endpoint = exchange(clientRequest).endpoint();
    if (endpoint == null) {
      return; // the Invoke API reads none of the client's headers
    }
    // RFC 9110 7.6.1: what the client's Connection header names is about its connection only.
    java.util.Set<String> connectionHeaders = findConnectionHeaders(clientRequest);
    proxyRequest.headers(headers -> {
      // The HTTP client put its own User-Agent on the new request; the endpoint gets the client's, or none.
      headers.remove(HttpHeader.USER_AGENT);
      for (Enumeration<String> names = clientRequest.getHeaderNames(); names.hasMoreElements(); ) {
        String name = names.nextElement();
        if (Headers.isForwardableToEndpoint(name, endpoint.forwardAuth())
            && (connectionHeaders == null || !connectionHeaders.contains(name.toLowerCase(java.util.Locale.ROOT)))) {
          for (Enumeration<String> values = clientRequest.getHeaders(name); values.hasMoreElements(); ) {
            headers.add(name, values.nextElement());
          }
        }
      }
    });
  }

  /**
   * To an HTTP endpoint, Via as Jetty appends it, and the forwarding headers as the proxy saw the
   * request (see {@link #addForwardingHeaders}); to the Invoke API nothing, as they mean nothing to
   * it and would tell AWS about clients.
   */
  @Override
  protected void addProxyHeaders(HttpServletRequest clientRequest, Request proxyRequest) {
    Exchange exchange = exchange(clientRequest);
    if (exchange.endpoint() != null) {
      addViaHeader(clientRequest, proxyRequest);
      addForwardingHeaders(clientRequest, proxyRequest, exchange.settings.trustedProxies());
    }
  }

  /**
   * {@code X-Forwarded-For}, {@code -Proto}, {@code -Host} and {@code Forwarded}, by the rule the
   * events' {@code sourceIp} follows (nginx's {@code set_real_ip_from}, Envoy's trusted hops): from
   * a peer in {@code trusted-proxies} the incoming {@link Headers#FORWARDING} headers are kept and
   * the peer appended to both chains; from anyone else they were not copied, and the endpoint
   * learns only what this proxy saw: the peer, the scheme and the Host the client sent.
   */
  private static void addForwardingHeaders(HttpServletRequest clientRequest, Request proxyRequest, TrustedProxies trustedProxies) {
    String peer = clientRequest.getRemoteAddr();
    String proto = clientRequest.getScheme();
    String host = clientRequest.getHeader(HttpHeader.HOST.asString());
    boolean trusted = trustedProxies.trusts(peer);
    proxyRequest.headers(headers -> {
      if (trusted) {
        for (Enumeration<String> names = clientRequest.getHeaderNames(); names.hasMoreElements(); ) {
          String name = names.nextElement();
          if (Headers.FORWARDING.contains(name.toLowerCase(java.util.Locale.ROOT))) {
            for (Enumeration<String> values = clientRequest.getHeaders(name); values.hasMoreElements(); ) {
              headers.add(name, values.nextElement());
            }
          }
        }
      }
      headers.put(HttpHeader.X_FORWARDED_FOR, appended(headers.getValuesList(HttpHeader.X_FORWARDED_FOR), Headers.unbracketed(peer)));
      headers.put(HttpHeader.FORWARDED, appended(headers.getValuesList(HttpHeader.FORWARDED), Headers.forwardedElement(peer, proto, host)));
      // A trusted proxy's Proto and Host describe the client's request; this hop's are the fallback.
      if (!headers.contains(HttpHeader.X_FORWARDED_PROTO)) {
        headers.put(HttpHeader.X_FORWARDED_PROTO, proto);
      }
      if (host != null && !headers.contains(HttpHeader.X_FORWARDED_HOST)) {
        headers.put(HttpHeader.X_FORWARDED_HOST, host);
      }
    });
  }

  /** A list header's field values as one comma-separated value, with {@code last} at the end. */
  private static String appended(List<String> values, String last) {
    return values.isEmpty() ? last : String.join(", ", values) + ", " + last;
  }

  @Override
  protected boolean hasContent(HttpServletRequest clientRequest) {
    return false; // the body is read in sendProxyRequest, where it must be counted and hashed before signing
  }

  @Override
  protected void sendProxyRequest(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, Request proxyRequest) {
    Exchange exchange = exchange(clientRequest);
    listenForCompletion(clientRequest, proxyResponse, proxyRequest);
    if (!readsBody(exchange.route, clientRequest.getMethod())) {
      try {
        armDeadline(clientRequest, proxyResponse, proxyRequest, exchange);
        signAndSend(clientRequest, proxyResponse, proxyRequest, exchange, List.of(ByteBuffer.wrap(Payloads.EMPTY_OBJECT)),
            EMPTY_OBJECT_SHA256);
      } catch (RuntimeException | Error e) {
        answerAfterBug(clientRequest, proxyResponse, e);
      }
      return;
    }
    AsyncContext asyncContext = clientRequest.getAsyncContext();
    // Each callback runs on a container thread that nothing else watches: whatever it throws is answered here.
    ClientBody.Listener listener = new ClientBody.Listener() {
      @Override
      public void onBody(List<ByteBuffer> chunks, String sha256Hex) {
        try {
          armDeadline(clientRequest, proxyResponse, proxyRequest, exchange);
          onClientBody(clientRequest, proxyResponse, proxyRequest, exchange, chunks, sha256Hex);
        } catch (RuntimeException | Error e) {
          answerAfterBug(clientRequest, proxyResponse, e);
        }
      }

      @Override
      public void onTooLarge() {
        try {
          // The rest of the body is not read: close the connection rather than drain it.
          proxyResponse.setHeader("Connection", "close");
          ClientResponses.writeAsync(exchange, asyncContext, proxyResponse,
              ProxyError.bodyTooLarge(exchange.settings.maxBodyBytes()).toAnswer());
        } catch (RuntimeException | Error e) {
          answerAfterBug(clientRequest, proxyResponse, e);
        }
      }

      @Override
      public void onFailure(Throwable failure) {
        try {
          LOG.debug("reading the body of {} failed", clientRequest.getRequestURI(), failure);
          proxyResponse.setHeader("Connection", "close");
          ClientResponses.writeAsync(exchange, asyncContext, proxyResponse, ProxyError.clientBodyFailed().toAnswer());
        } catch (RuntimeException | Error e) {
          answerAfterBug(clientRequest, proxyResponse, e);
        }
      }
    };
    try {
      new ClientBody(clientRequest.getInputStream(), clientRequest.getContentLengthLong(), exchange.settings.maxBodyBytes(), listener).start();
    } catch (IOException | IllegalStateException e) {
      listener.onFailure(e);
    }
  }

  /** The client's body is in: turn it into what goes upstream. */
  private void onClientBody(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, Request proxyRequest,
      Exchange exchange, List<ByteBuffer> chunks, String sha256Hex) {
    for (ByteBuffer chunk : chunks) {
      exchange.bytesReceived += chunk.remaining();
    }
    FunctionTarget function = exchange.function();
    if (function == null) {
      signAndSend(clientRequest, proxyResponse, proxyRequest, exchange, chunks, sha256Hex);
      return;
    }
    if (function.event() != EventFormat.RAW) {
      ClientRequestView view = ClientRequestViews.of(clientRequest, exchange, exchange.settings.trustedProxies(), chunks);
      byte[] event = function.event() == EventFormat.APIGW_V1 ? ApiGatewayV1Event.toJson(view) : ApiGatewayV2Event.toJson(view);
      signAndSend(clientRequest, proxyResponse, proxyRequest, exchange, List.of(ByteBuffer.wrap(event)),
          PayloadHash.sha256Hex(event, 0, event.length));
      return;
    }
    if (chunks.isEmpty()) {
      signAndSend(clientRequest, proxyResponse, proxyRequest, exchange, List.of(ByteBuffer.wrap(Payloads.EMPTY_OBJECT)), EMPTY_OBJECT_SHA256);
      return;
    }
    String problem = Payloads.jsonProblem(chunks);
    if (problem != null) {
      ClientResponses.writeAsync(exchange, clientRequest.getAsyncContext(), proxyResponse, ProxyError.bodyNotJson(problem).toAnswer());
      return;
    }
    signAndSend(clientRequest, proxyResponse, proxyRequest, exchange, chunks, sha256Hex);
  }

  /**
   * The backstop that ends every request: once the client's body is in, a request must be
   * answered within its route's timeout. Past that plus {@link #DEADLINE_GRACE_MS}, a call still
   * out is aborted (its hook answers 504) and a request that never sent one, a stage having
   * stopped without answering, gets the JSON 500. An answer already under way (a stream) is left
   * to the idle timeouts.
   */
  private void armDeadline(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, Request proxyRequest,
      Exchange exchange) {
    long delayMs = exchange.timeout.toMillis() + DEADLINE_GRACE_MS;
    org.eclipse.jetty.util.thread.Scheduler.Task task = getHttpClient().getScheduler().schedule(
        () -> onDeadline(clientRequest, proxyResponse, proxyRequest, exchange, delayMs), delayMs, TimeUnit.MILLISECONDS);
    exchange.cancelDeadline = task::cancel;
    if (exchange.isFinished()) {
      task.cancel(); // it ended while the timer was being set
    }
  }

  private void onDeadline(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, Request proxyRequest,
      Exchange exchange, long delayMs) {
    if (exchange.isFinished() || exchange.isAnswered() || proxyResponse.isCommitted()) {
      return;
    }
    if (proxyRequest != null && exchange.upstreamStartNanos >= 0) {
      proxyRequest.abort(new TimeoutException("no answer within the request's deadline of " + delayMs + " ms"));
      return;
    }
    answerAfterBug(clientRequest, proxyResponse, new IllegalStateException(
        "no stage answered " + clientRequest.getMethod() + " " + clientRequest.getRequestURI() + " within " + delayMs + " ms"));
  }

  private void signAndSend(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, Request proxyRequest,
      Exchange exchange, List<ByteBuffer> payload, String payloadSha256) {
    FunctionTarget function = exchange.function();
    if (function != null) {
      signInvoke(proxyRequest, exchange.invokeTarget, function, exchange.credentials, payloadSha256);
      proxyRequest.body(new ByteBufferRequestContent(JSON, payload.toArray(ByteBuffer[]::new)));
    } else {
      sendToEndpoint(clientRequest, proxyRequest, exchange, payload, payloadSha256);
    }
    if (function != null) {
      proxyRequest.timeout(exchange.timeout.toMillis(), TimeUnit.MILLISECONDS);
    } else {
      // An endpoint may stream for as long as it likes; the timeout is how long it may stay silent.
      proxyRequest.timeout(0, TimeUnit.MILLISECONDS).idleTimeout(exchange.timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
    exchange.upstreamStartNanos = System.nanoTime();
    super.sendProxyRequest(clientRequest, proxyResponse, proxyRequest);
  }

  /** Signs an Invoke call: Host and the invocation headers the route asks for, all signed. */
  private void signInvoke(Request proxyRequest, InvokeTarget target, FunctionTarget function, AwsCredentials credentials,
      String payloadSha256) {
    List<Header> signed = new ArrayList<>(4);
    signed.add(new Header("host", target.hostHeader()));
    if (function.invocation() != dev.lambdaproxy.route.InvocationType.REQUEST_RESPONSE) {
      signed.add(new Header("x-amz-invocation-type", function.invocation().headerValue()));
    }
    if (function.logTail()) {
      signed.add(new Header("x-amz-log-type", "Tail"));
    }
    if (function.clientContext() != null) {
      signed.add(new Header("x-amz-client-context", function.clientContext()));
    }
    SigV4Result signature = signer.sign(
        new SignableRequest("POST", target.encodedPath(), target.rawQuery(), signed, payloadSha256),
        credentials, target.signingRegion(), InvokeTarget.SERVICE);
    proxyRequest.headers(headers -> {
      for (Header header : signed) {
        headers.put(header.name(), header.value());
      }
      putSignature(headers, signature);
    });
  }

  private void sendToEndpoint(HttpServletRequest clientRequest, Request proxyRequest, Exchange exchange,
      List<ByteBuffer> payload, String payloadSha256) {
    HttpEndpoint endpoint = exchange.endpoint();
    URI uri = proxyRequest.getURI();
    String host = InvokeTarget.hostHeader(uri);
    String contentType = clientRequest.getContentType();
    proxyRequest.headers(headers -> {
      headers.put(HttpHeader.HOST, host);
      if (endpoint.auth() == HttpEndpoint.Auth.APIKEY) {
        headers.put("x-api-key", endpoint.apiKey().reveal());
      }
    });
    if (!payload.isEmpty()) {
      proxyRequest.body(new ByteBufferRequestContent(contentType, payload.toArray(ByteBuffer[]::new)));
    }
    if (endpoint.auth() == HttpEndpoint.Auth.IAM) {
      SigV4Result signature = signer.sign(
          new SignableRequest(proxyRequest.getMethod(), uri.getRawPath().isEmpty() ? "/" : uri.getRawPath(), uri.getRawQuery(),
              List.of(new Header("host", host)), payloadSha256),
          exchange.credentials, endpoint.region(), endpoint.service());
      proxyRequest.headers(headers -> putSignature(headers, signature));
    }
  }

  private static void putSignature(HttpFields.Mutable headers, SigV4Result signature) {
    headers.put("X-Amz-Date", signature.amzDate());
    if (signature.securityToken() != null) {
      headers.put("X-Amz-Security-Token", signature.securityToken());
    }
    headers.put(HttpHeader.AUTHORIZATION, signature.authorization());
  }

  @Override
  protected void onServerResponseHeaders(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, Response serverResponse) {
    // An HTTP endpoint's headers go to the client as Jetty filters them (hop-by-hop dropped); a
    // Lambda route's client headers come from the function's result, never from AWS.
    Exchange exchange = exchange(clientRequest);
    if (serverResponse.getStatus() < 200) {
      // A 101 (or an interim answer no protocol handler took): relayed, it would end the client's
      // answer with a non-final status, or switch its connection to a protocol nobody speaks.
      serverResponse.abort(new InformationalStatusException(serverResponse.getStatus()));
      return;
    }
    if (exchange.endpoint() != null) {
      super.onServerResponseHeaders(clientRequest, proxyResponse, serverResponse);
      return;
    }
    FunctionTarget function = exchange.function();
    if (function.stream() && serverResponse.getStatus() == 200) {
      // The stream's Content-Type is the function's (e.g. the HTTP integration prelude's); the framing is always event-stream.
      exchange.streamedAnswer = new StreamedAnswer(exchange, proxyResponse, function);
      exchange.streamDecoder = LambdaStreamDecoder.forContentType(serverResponse.getHeaders().get(HttpHeader.CONTENT_TYPE),
          exchange.streamedAnswer);
      exchange.lambdaRequestId = serverResponse.getHeaders().get("x-amzn-RequestId");
    }
  }

  /** RFC 9110 7.6.1: what an endpoint's Connection header names is about that connection only, as Connection itself is. */
  @Override
  protected org.eclipse.jetty.http.HttpField filterServerResponseHeader(HttpServletRequest clientRequest, Response serverResponse,
      org.eclipse.jetty.http.HttpField field) {
    for (String token : serverResponse.getHeaders().getCSV(HttpHeader.CONNECTION, false)) {
      if (token.equalsIgnoreCase(field.getName())) {
        return null;
      }
    }
    return super.filterServerResponseHeader(clientRequest, serverResponse, field);
  }

  @Override
  protected void onResponseContent(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, Response serverResponse,
      byte[] buffer, int offset, int length, Callback callback) {
    Exchange exchange = exchange(clientRequest);
    if (exchange.endpoint() != null) {
      exchange.bytesSent += length;
      streamToClient(proxyResponse, buffer, offset, length, callback);
    } else if (exchange.streamDecoder != null) {
      try {
        exchange.streamDecoder.feed(ByteBuffer.wrap(buffer, offset, length));
        callback.succeeded();
      } catch (IOException | RuntimeException e) {
        callback.failed(e); // aborts the upstream call; onProxyResponseFailure answers
      }
    } else if (exchange.appendServerContent(buffer, offset, length, serverResponse.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH))) {
      callback.succeeded();
    } else {
      callback.failed(new ServerResponseTooLargeException());
    }
  }

  /**
   * Passes a piece of an endpoint's answer on at once: without the flush, the container would hold
   * small pieces (server-sent events, tokens) in its buffer until the answer ends.
   */
  private static void streamToClient(HttpServletResponse proxyResponse, byte[] buffer, int offset, int length, Callback callback) {
    try {
      proxyResponse.getOutputStream().write(buffer, offset, length);
      proxyResponse.flushBuffer();
      callback.succeeded();
    } catch (Throwable failure) {
      callback.failed(failure);
    }
  }

  @Override
  protected void onProxyResponseSuccess(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, Response serverResponse) {
    try {
      answerFromServerResponse(clientRequest, proxyResponse, serverResponse);
    } catch (RuntimeException | Error e) {
      answerAfterBug(clientRequest, proxyResponse, e);
    }
  }

  private void answerFromServerResponse(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, Response serverResponse) {
    Exchange exchange = exchange(clientRequest);
    exchange.upstreamNanos = System.nanoTime() - exchange.upstreamStartNanos;
    FunctionTarget function = exchange.function();
    if (function == null) {
      super.onProxyResponseSuccess(clientRequest, proxyResponse, serverResponse);
      return;
    }
    if (exchange.streamDecoder != null) {
      try {
        exchange.streamDecoder.endOfStream(); // a stream that stops before InvokeComplete is an error
        exchange.streamedAnswer.finishWithoutBody();
        clientRequest.getAsyncContext().complete();
      } catch (IOException e) {
        answerFailure(clientRequest, proxyResponse, e);
      }
      return;
    }
    ResponseDecoder.Decoded decoded = decode(exchange, function, serverResponse, exchange.serverBody());
    if (decoded.logMessage() != null) {
      LOG.warn("{} {}: {}", clientRequest.getMethod(), clientRequest.getRequestURI(), decoded.logMessage());
    }
    ClientResponses.writeAsync(exchange, clientRequest.getAsyncContext(), proxyResponse, decoded.answer());
  }

  /**
   * Reads an Invoke answer the one way both paths (the proxy hooks and the cache's direct calls)
   * read it: the request id for the log line, the log tail when asked for, then the decoding.
   */
  private static ResponseDecoder.Decoded decode(Exchange exchange, FunctionTarget function, Response serverResponse, byte[] body) {
    HttpFields headers = serverResponse.getHeaders();
    exchange.lambdaRequestId = headers.get("x-amzn-RequestId");
    if (function.logTail() && LOG.isDebugEnabled()) {
      logTail(exchange, headers.get("X-Amz-Log-Result"));
    }
    return ResponseDecoder.decode(new LambdaResponse(serverResponse.getStatus(), headers.get("X-Amz-Function-Error"),
        headers.get("x-amzn-ErrorType"), headers.get(HttpHeader.RETRY_AFTER), exchange.lambdaRequestId, body), function);
  }

  private static void logTail(Exchange exchange, String logResult) {
    if (logResult == null) {
      return;
    }
    try {
      LOG.debug("log tail of {}:\n{}", exchange.targetName(), new String(Base64.getDecoder().decode(logResult), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      LOG.debug("log tail of {} is not base64", exchange.targetName());
    }
  }

  /**
   * A bug of ours must not leave the client hanging: the exchange is async with no timeout, so
   * nothing else would ever complete it.
   */
  private static void answerAfterBug(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, Throwable bug) {
    LOG.error("{} {}: internal error", clientRequest.getMethod(), clientRequest.getRequestURI(), bug);
    Exchange exchange = exchange(clientRequest);
    if (exchange != null && exchange.isAnswered()) {
      return; // an answer is on its way; it completes the request
    }
    try {
      if (!proxyResponse.isCommitted()) {
        proxyResponse.reset();
        ClientResponses.writeAsync(exchange(clientRequest), clientRequest.getAsyncContext(), proxyResponse, ProxyError.internal().toAnswer());
        return;
      }
    } catch (RuntimeException e) {
      LOG.debug("could not answer after an internal error", e);
    }
    clientRequest.getAsyncContext().complete();
  }

  @Override
  protected void onProxyResponseFailure(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, Response serverResponse,
      Throwable failure) {
    try {
      answerFailure(clientRequest, proxyResponse, failure);
    } catch (RuntimeException | Error e) {
      answerAfterBug(clientRequest, proxyResponse, e);
    }
  }

  private void answerFailure(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, Throwable failure) {
    Exchange exchange = exchange(clientRequest);
    if (failure instanceof ClientGoneException) {
      LOG.debug("{} {}: the client went away; its call was aborted", clientRequest.getMethod(), clientRequest.getRequestURI());
      return; // the container ends the exchange it reported failed
    }
    exchange.upstreamNanos = System.nanoTime() - exchange.upstreamStartNanos;
    ProxyError error = proxyResponseError(exchange, failure);
    if (exchange.endpoint() != null) {
      // The client is told the route only; the operator also gets the URL, its ${NAME}s unexpanded.
      LOG.warn("{} {}: {} ({})", clientRequest.getMethod(), clientRequest.getRequestURI(), error.message(), exchange.targetName());
    } else {
      URI lambdaApi = exchange.invokeTarget.uri();
      LOG.warn("{} {}: {} ({}://{})", clientRequest.getMethod(), clientRequest.getRequestURI(), error.message(),
          lambdaApi.getScheme(), InvokeTarget.hostHeader(lambdaApi));
    }
    if (exchange.isAnswered()) {
      return; // the deadline answered first
    }
    if (proxyResponse.isCommitted()) {
      exchange.errorKind = error.kind();
      abortClient(clientRequest, proxyResponse);
      return;
    }
    proxyResponse.reset();
    ClientAnswer answer = error.toAnswer();
    ClientResponses.writeAsync(exchange, clientRequest.getAsyncContext(), proxyResponse, answer);
  }

  /**
   * Part of a streamed answer is out and the rest will not come: the connection is cut (Jetty's
   * {@code sendError(-1)}) rather than the body ended, so the client can tell it is incomplete.
   */
  private static void abortClient(HttpServletRequest clientRequest, HttpServletResponse proxyResponse) {
    try {
      proxyResponse.sendError(-1);
    } catch (IOException | RuntimeException e) {
      LOG.debug("the container cannot abort a committed response; ending it", e);
    } finally {
      try {
        clientRequest.getAsyncContext().complete();
      } catch (IllegalStateException alreadyDone) {
        // aborting completed it
      }
    }
  }

  /** The one place a failure of the upstream call becomes a status: 504 for a timeout, 502 for the rest. */
  ProxyError proxyResponseError(Exchange exchange, Throwable failure) {
    String target = exchange.targetName();
    String endpointRoute = exchange.endpoint() != null ? exchange.route.pattern() : null;
    Throwable cause = rootCause(failure);
    if (cause instanceof StreamedAnswer.StreamFailure streamFailure) {
      FunctionTarget function = exchange.function();
      return function.event() == EventFormat.RAW
          ? ProxyError.functionError(function.functionErrorStatus(), streamFailure.errorType, streamFailure.errorMessage)
          : ProxyError.apiGatewayInternalError("function_error", function.functionErrorStatus());
    }
    if (cause instanceof StreamedAnswer.HeadersTooLarge tooLarge) {
      return ProxyError.functionHeadersTooLarge(target, tooLarge.bytes);
    }
    if (cause instanceof InformationalStatusException informational) {
      return ProxyError.informationalStatus(endpointRoute != null ? "the endpoint of route " + endpointRoute : target,
          informational.status);
    }
    if (cause instanceof EventStreamException corrupt) {
      return ProxyError.badFunctionAnswer(target, "the response stream is broken (" + corrupt.getMessage() + ")");
    }
    if (failure instanceof TimeoutException || cause instanceof TimeoutException) {
      return endpointRoute != null
          ? ProxyError.endpointTimeout(endpointRoute, exchange.timeout.toMillis())
          : ProxyError.timeout(target, exchange.timeout.toMillis());
    }
    if (cause instanceof ServerResponseTooLargeException) {
      return endpointRoute != null
          ? ProxyError.endpointResponseTooLarge(endpointRoute, Exchange.MAX_SERVER_RESPONSE_BYTES)
          : ProxyError.responseTooLarge(target, Exchange.MAX_SERVER_RESPONSE_BYTES);
    }
    String reason;
    if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
      reason = "connection refused";
    } else if (cause instanceof UnknownHostException || cause instanceof UnresolvedAddressException) {
      reason = "unknown host";
    } else if (cause instanceof SSLException || causeOfType(failure, SSLException.class) != null) {
      reason = "TLS handshake failed (" + cause.getClass().getSimpleName() + ")"; // e.g. SunCertPathBuilderException: not trusted
    } else if (cause instanceof org.eclipse.jetty.http.HttpException invalid) {
      reason = "its answer is not valid HTTP (" + invalid.getReason() + ")";
    } else if (failure instanceof org.eclipse.jetty.client.HttpResponseException) {
      reason = "its answer is not valid HTTP";
    } else if (cause instanceof java.io.EOFException || cause instanceof java.net.SocketException) {
      reason = "the connection broke before the answer was complete";
    } else {
      reason = "the connection failed (" + cause.getClass().getSimpleName() + ")";
    }
    if (endpointRoute != null) {
      return ProxyError.endpointUnreachable(endpointRoute, reason);
    }
    return ProxyError.unreachable(target, reason);
  }

  @Override
  protected int proxyResponseStatus(Throwable failure) {
    return failure instanceof TimeoutException ? 504 : 502;
  }

  private static Exchange exchange(HttpServletRequest clientRequest) {
    return (Exchange) clientRequest.getAttribute(EXCHANGE_ATTRIBUTE);
  }

  private static Throwable causeOfType(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (type.isInstance(cause)) {
        return cause;
      }
    }
    return null;
  }

  private static Throwable rootCause(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** Aborts the call of a client that went away. */
  static final class ClientGoneException extends IOException {
    ClientGoneException(Throwable cause) {
      super("the client went away", cause);
    }
  }

  /** The upstream answered with a 1xx status that is not an interim answer Jetty skips. */
  static final class InformationalStatusException extends IOException {
    final int status;

    InformationalStatusException(int status) {
      super("informational status " + status, null);
      this.status = status;
    }
  }

  /** The function's answer grew past what Lambda can send. */
  static final class ServerResponseTooLargeException extends IOException {
    ServerResponseTooLargeException() {
      super("response too large", null);
    }
  }
}

package dev.lambdaproxy.servlet;

import dev.lambdaproxy.credentials.AwsCredentials;
import dev.lambdaproxy.credentials.CredentialsUnavailableException;
import dev.lambdaproxy.invoke.ClientAnswer;
import dev.lambdaproxy.invoke.InvokeTarget;
import dev.lambdaproxy.invoke.LambdaResponse;
import dev.lambdaproxy.invoke.Payloads;
import dev.lambdaproxy.invoke.ProxyError;
import dev.lambdaproxy.invoke.ResponseDecoder;
import dev.lambdaproxy.route.Route;
import dev.lambdaproxy.sigv4.Header;
import dev.lambdaproxy.sigv4.PayloadHash;
import dev.lambdaproxy.sigv4.SigV4Result;
import dev.lambdaproxy.sigv4.SigV4Signer;
import dev.lambdaproxy.sigv4.SignableRequest;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.eclipse.jetty.client.ByteBufferRequestContent;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.ee10.proxy.ProxyServlet;
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
 * Invoke call and the function's result back into an HTTP response.
 *
 * <p>Hook by hook: {@link #rewriteTarget} picks the route (or an error), {@link #newProxyRequest}
 * makes the Invoke POST, {@link #copyRequestHeaders} forwards nothing (client headers mean nothing
 * to the Invoke API, and its Authorization must never reach AWS), {@link #sendProxyRequest} reads
 * the client body, signs and sends, and the response hooks buffer the function's result and decode
 * it. Failures become statuses in one place, {@link #proxyResponseError}.
 */
public class LambdaProxyServlet extends ProxyServlet {

  private static final Logger LOG = LoggerFactory.getLogger(LambdaProxyServlet.class);
  private static final String EXCHANGE_ATTRIBUTE = LambdaProxyServlet.class.getName() + ".exchange";
  private static final String ERROR_ATTRIBUTE = LambdaProxyServlet.class.getName() + ".error";
  private static final String JSON = "application/json";

  private final ProxyConfig config;
  private final SigV4Signer signer;

  public LambdaProxyServlet(ProxyConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.signer = new SigV4Signer(config.clock());
  }

  @Override
  protected ClientConnector newClientConnector() {
    ClientConnector connector = super.newClientConnector();
    if (!config.settings().sslVerify()) {
      SslContextFactory.Client trustAll = new SslContextFactory.Client(true);
      trustAll.setEndpointIdentificationAlgorithm(null);
      connector.setSslContextFactory(trustAll);
    }
    return connector;
  }

  @Override
  protected String rewriteTarget(HttpServletRequest clientRequest) {
    String path = pathInContext(clientRequest);
    Route route = config.routes().match(path);
    if (route == null) {
      return refuse(clientRequest, ProxyError.noRoute(path));
    }
    String method = clientRequest.getMethod();
    if (!route.allows(method)) {
      return refuse(clientRequest, ProxyError.methodNotAllowed(method, path, List.copyOf(route.methods())));
    }
    AwsCredentials credentials;
    try {
      credentials = config.credentials().resolve();
    } catch (CredentialsUnavailableException e) {
      return refuse(clientRequest, ProxyError.noCredentials(e.getMessage()));
    }
    long maxBody = config.settings().maxBodyBytes();
    if (Payloads.carriesClientBody(method) && clientRequest.getContentLengthLong() > maxBody) {
      return refuse(clientRequest, ProxyError.bodyTooLarge(maxBody));
    }
    InvokeTarget target = config.target(route);
    Duration timeout = route.timeout() != null ? route.timeout() : config.settings().timeout();
    clientRequest.setAttribute(EXCHANGE_ATTRIBUTE, new Exchange(route, target, credentials, timeout));
    return target.uri().toString();
  }

  private static String pathInContext(HttpServletRequest clientRequest) {
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
    ProxyError error = (ProxyError) clientRequest.getAttribute(ERROR_ATTRIBUTE);
    if (error == null) {
      error = ProxyError.internal();
    }
    if (error.status() == 500) {
      LOG.warn("{} {}: {}", clientRequest.getMethod(), clientRequest.getRequestURI(), error.message());
    }
    try {
      ClientResponses.writeNow(proxyResponse, error.toAnswer());
    } catch (IOException e) {
      LOG.debug("client went away before its error answer", e);
    }
  }

  @Override
  protected Request newProxyRequest(HttpServletRequest clientRequest, String rewrittenTarget) {
    // Every Invoke call is a POST, whatever the client's method.
    return super.newProxyRequest(clientRequest, rewrittenTarget)
        .method(HttpMethod.POST)
        .version(HttpVersion.HTTP_1_1);
  }

  @Override
  protected void copyRequestHeaders(HttpServletRequest clientRequest, Request proxyRequest) {
    // Nothing: the Invoke API reads none of the client's headers, and the client's Authorization,
    // X-Amz-*, x-api-key and Cookie must never reach AWS.
  }

  @Override
  protected void addProxyHeaders(HttpServletRequest clientRequest, Request proxyRequest) {
    // No Via or Forwarded: they mean nothing to the Invoke API and would tell AWS about clients.
  }

  @Override
  protected boolean hasContent(HttpServletRequest clientRequest) {
    return false; // the body is read in sendProxyRequest, where it must be hashed before signing
  }

  @Override
  protected void sendProxyRequest(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, Request proxyRequest) {
    Exchange exchange = (Exchange) clientRequest.getAttribute(EXCHANGE_ATTRIBUTE);
    if (!Payloads.carriesClientBody(clientRequest.getMethod())) {
      signAndSend(clientRequest, proxyResponse, proxyRequest, exchange,
          List.of(ByteBuffer.wrap(Payloads.EMPTY_OBJECT)), PayloadHash.sha256Hex(Payloads.EMPTY_OBJECT, 0, Payloads.EMPTY_OBJECT.length));
      return;
    }
    AsyncContext asyncContext = clientRequest.getAsyncContext();
    ClientBody.Listener listener = new ClientBody.Listener() {
      @Override
      public void onBody(List<ByteBuffer> chunks, String sha256Hex) {
        if (chunks.isEmpty()) {
          signAndSend(clientRequest, proxyResponse, proxyRequest, exchange,
              List.of(ByteBuffer.wrap(Payloads.EMPTY_OBJECT)), PayloadHash.sha256Hex(Payloads.EMPTY_OBJECT, 0, Payloads.EMPTY_OBJECT.length));
          return;
        }
        String problem = Payloads.jsonProblem(chunks);
        if (problem != null) {
          ClientResponses.writeAsync(asyncContext, proxyResponse, ProxyError.bodyNotJson(problem).toAnswer());
          return;
        }
        signAndSend(clientRequest, proxyResponse, proxyRequest, exchange, chunks, sha256Hex);
      }

      @Override
      public void onTooLarge() {
        // The rest of the body is not read: close the connection rather than drain it.
        proxyResponse.setHeader("Connection", "close");
        ClientResponses.writeAsync(asyncContext, proxyResponse, ProxyError.bodyTooLarge(config.settings().maxBodyBytes()).toAnswer());
      }

      @Override
      public void onFailure(Throwable failure) {
        LOG.debug("reading the body of {} failed", clientRequest.getRequestURI(), failure);
        proxyResponse.setHeader("Connection", "close");
        ClientResponses.writeAsync(asyncContext, proxyResponse, ProxyError.clientBodyFailed().toAnswer());
      }
    };
    try {
      new ClientBody(clientRequest.getInputStream(), clientRequest.getContentLengthLong(), config.settings().maxBodyBytes(), listener).start();
    } catch (IOException | IllegalStateException e) {
      listener.onFailure(e);
    }
  }

  private void signAndSend(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, Request proxyRequest,
      Exchange exchange, List<ByteBuffer> payload, String payloadSha256) {
    InvokeTarget target = exchange.target;
    SigV4Result signature = signer.sign(
        new SignableRequest("POST", target.encodedPath(), target.rawQuery(), List.of(new Header("host", target.hostHeader())), payloadSha256),
        exchange.credentials, target.signingRegion(), InvokeTarget.SERVICE);
    proxyRequest.headers(headers -> {
      headers.put(HttpHeader.HOST, target.hostHeader());
      headers.put("X-Amz-Date", signature.amzDate());
      if (signature.securityToken() != null) {
        headers.put("X-Amz-Security-Token", signature.securityToken());
      }
      headers.put(HttpHeader.AUTHORIZATION, signature.authorization());
    });
    proxyRequest.body(new ByteBufferRequestContent(JSON, payload.toArray(ByteBuffer[]::new)));
    proxyRequest.timeout(exchange.timeout.toMillis(), TimeUnit.MILLISECONDS);
    super.sendProxyRequest(clientRequest, proxyResponse, proxyRequest);
  }

  @Override
  protected void onServerResponseHeaders(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, Response serverResponse) {
    // Nothing is copied: the client's headers come from the function's result, never from AWS.
  }

  @Override
  protected void onResponseContent(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, Response serverResponse,
      byte[] buffer, int offset, int length, Callback callback) {
    Exchange exchange = (Exchange) clientRequest.getAttribute(EXCHANGE_ATTRIBUTE);
    if (exchange.appendServerContent(buffer, offset, length)) {
      callback.succeeded();
    } else {
      callback.failed(new ServerResponseTooLargeException());
    }
  }

  @Override
  protected void onProxyResponseSuccess(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, Response serverResponse) {
    Exchange exchange = (Exchange) clientRequest.getAttribute(EXCHANGE_ATTRIBUTE);
    org.eclipse.jetty.http.HttpFields headers = serverResponse.getHeaders();
    LambdaResponse lambdaResponse = new LambdaResponse(
        serverResponse.getStatus(),
        headers.get("X-Amz-Function-Error"),
        headers.get("x-amzn-ErrorType"),
        headers.get(HttpHeader.RETRY_AFTER),
        headers.get("x-amzn-RequestId"),
        exchange.serverBody());
    ResponseDecoder.Decoded decoded = ResponseDecoder.decode(lambdaResponse, exchange.route);
    if (decoded.logMessage() != null) {
      LOG.warn("{} {}: {}", clientRequest.getMethod(), exchange.route.path(), decoded.logMessage());
    }
    ClientResponses.writeAsync(clientRequest.getAsyncContext(), proxyResponse, decoded.answer());
  }

  @Override
  protected void onProxyResponseFailure(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, Response serverResponse,
      Throwable failure) {
    Exchange exchange = (Exchange) clientRequest.getAttribute(EXCHANGE_ATTRIBUTE);
    ProxyError error = proxyResponseError(exchange, failure);
    LOG.warn("{} {}: {}", clientRequest.getMethod(), exchange.route.path(), error.message());
    if (proxyResponse.isCommitted()) {
      clientRequest.getAsyncContext().complete();
      return;
    }
    proxyResponse.resetBuffer();
    ClientAnswer answer = error.toAnswer();
    ClientResponses.writeAsync(clientRequest.getAsyncContext(), proxyResponse, answer);
  }

  /** The one place a failure of the call to Lambda becomes a status: 504 for a timeout, 502 for the rest. */
  ProxyError proxyResponseError(Exchange exchange, Throwable failure) {
    String function = exchange.function();
    Throwable cause = rootCause(failure);
    if (failure instanceof TimeoutException || cause instanceof TimeoutException) {
      return ProxyError.timeout(function, exchange.timeout.toMillis());
    }
    if (cause instanceof ServerResponseTooLargeException) {
      return ProxyError.responseTooLarge(function, Exchange.MAX_SERVER_RESPONSE_BYTES);
    }
    String endpoint = exchange.target.uri().getScheme() + "://" + exchange.target.hostHeader();
    String reason;
    if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
      reason = "connection refused";
    } else if (cause instanceof UnknownHostException || cause instanceof UnresolvedAddressException) {
      reason = "unknown host";
    } else if (cause instanceof SSLException) {
      reason = "TLS handshake failed (" + cause.getClass().getSimpleName() + ")";
    } else {
      reason = "the connection failed (" + cause.getClass().getSimpleName() + ")";
    }
    return ProxyError.unreachable(function, endpoint, reason);
  }

  @Override
  protected int proxyResponseStatus(Throwable failure) {
    return failure instanceof TimeoutException ? 504 : 502;
  }

  private static Throwable rootCause(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** The function's answer grew past what Lambda can send. */
  static final class ServerResponseTooLargeException extends IOException {
    ServerResponseTooLargeException() {
      super("response too large", null);
    }
  }
}

package dev.lambdaproxy.eventloop;

import dev.lambdaproxy.config.Settings;
import dev.lambdaproxy.pipeline.ProxyRequest;
import dev.lambdaproxy.pipeline.ServerResponse;
import dev.lambdaproxy.pipeline.Upstream;
import dev.lambdaproxy.pipeline.UpstreamFailure;
import dev.lambdaproxy.runtime.Telemetry;
import io.micrometer.core.instrument.Counter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLException;

/**
 * The jar's {@link Upstream} on Netty: HTTP/1.1 over keep-alive connections pooled per event loop
 * and per endpoint, so a call made on a client channel's loop is sent, answered and handed back on
 * that same thread, with no lock and no hand-off. A call made off the loops (a cache's background
 * refresh) hops onto one of them.
 *
 * <p>A call sent on a pooled connection that the endpoint had just closed (closed or reset before
 * any byte of the answer) is sent once more on a new connection, as Go's client and the AWS SDKs
 * do; nothing else is retried.
 */
public final class NettyUpstream implements Upstream, AutoCloseable {

  /** The most header bytes an answer may carry, as the servlet world's {@code maxResponseHeadersSize}. */
  public static final int MAX_ANSWER_HEADER_BYTES = 8 * 1024;

  private final Transport transport;
  private final UpstreamPools[] pools;
  /**
   * The TLS client context, built on a thread of its own as the server starts: the JDK's SSL
   * context and trust store take about 150 ms here, which a start need not wait for (a plain-HTTP
   * endpoint never does) and which the first https connection waits for only if it comes sooner.
   */
  private final CompletableFuture<SslContext> tls;
  private final int maxConnections;
  private final long keepAliveNanos;
  private final Counter retries;
  private final ExecutorService lookups = Executors.newCachedThreadPool(new DefaultThreadFactory("lambda-proxy-dns", true));
  private final UpstreamResolver resolver = new UpstreamResolver(lookups);

  /**
   * @param transport the loops the front end runs on; the upstream opens its connections on them
   * @param settings {@code sslVerify}, {@code maxConnections} (per endpoint, shared out among the loops) and
   *     {@code keepAlive} (idle connections)
   * @param telemetry where the pool gauges and the retry counter go
   */
  public NettyUpstream(Transport transport, Settings settings, Telemetry telemetry) {
    this.transport = Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(telemetry, "telemetry");
    int loops = 0;
    for (EventExecutor ignored : transport.loops()) {
      loops++;
    }
    // max-connections bounds an endpoint's connections as the servlet engine's pool does: split among the loops.
    this.maxConnections = Math.max(1, (settings.maxConnections() + loops - 1) / loops);
    this.keepAliveNanos = settings.keepAlive().toNanos();
    boolean verify = settings.sslVerify();
    this.tls = new CompletableFuture<>();
    Thread building = new Thread(() -> {
      try {
        tls.complete(tlsContext(verify));
      } catch (RuntimeException | Error e) {
        tls.completeExceptionally(e);
      }
    }, "lambda-proxy-tls-context");
    building.setDaemon(true);
    building.start();
    List<UpstreamPools> perLoop = new ArrayList<>();
    for (EventExecutor executor : transport.loops()) {
      perLoop.add(new UpstreamPools((EventLoop) executor, this));
    }
    this.pools = perLoop.toArray(UpstreamPools[]::new);
    this.retries = Counter.builder("lambda_proxy_upstream_retries")
        .description("calls sent again on a new connection because a pooled one had been closed by the endpoint")
        .register(telemetry.registry());
    telemetry.upstreamConnections(this.pools, NettyUpstream::active, NettyUpstream::idle);
  }

  private static SslContext tlsContext(boolean verify) {
    try {
      SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(SslProvider.JDK);
      if (verify) {
        // The default trust store, and the certificate must name the host (SNI is sent by newHandler's host).
        builder.endpointIdentificationAlgorithm("HTTPS");
      } else {
        builder.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null);
      }
      return builder.build();
    } catch (SSLException e) {
      throw new IllegalStateException("the TLS client context could not be built", e);
    }
  }

  @Override
  public CompletableFuture<ServerResponse> exchange(ProxyRequest request) {
    Objects.requireNonNull(request, "request");
    UpstreamBufferedExchange exchange = new UpstreamBufferedExchange(this, request, callersPools());
    start(exchange);
    return exchange.answer();
  }

  @Override
  public Call stream(ProxyRequest request, StreamListener listener) {
    Objects.requireNonNull(request, "request");
    UpstreamStreamedExchange exchange =
        new UpstreamStreamedExchange(this, request, callersPools(), Objects.requireNonNull(listener, "listener"));
    start(exchange);
    return exchange;
  }

  /** Closes every idle pooled connection, and each busy one once its call is done. The transport is its owner's to stop. */
  @Override
  public void close() {
    for (UpstreamPools loopPools : pools) {
      if (!loopPools.loop().isShuttingDown()) {
        loopPools.loop().execute(loopPools::close); // a loop shutting down closes its channels itself
      }
    }
    lookups.shutdown();
  }

  /** The pools of the loop the caller runs on; off the loops, the next loop's. */
  private UpstreamPools callersPools() {
    for (UpstreamPools loopPools : pools) {
      if (loopPools.loop().inEventLoop()) {
        return loopPools;
      }
    }
    EventExecutor next = transport.loops().next();
    for (UpstreamPools loopPools : pools) {
      if (loopPools.loop() == next) {
        return loopPools;
      }
    }
    throw new IllegalStateException("not one of the transport's loops: " + next);
  }

  private static void start(UpstreamExchange exchange) {
    if (exchange.loop.inEventLoop()) {
      exchange.start();
    } else {
      exchange.loop.execute(exchange::start);
    }
  }

  Transport transport() {
    return transport;
  }

  UpstreamResolver resolver() {
    return resolver;
  }

  /** Completes when {@link #tls()} can answer without waiting. */
  CompletableFuture<SslContext> tlsReady() {
    return tls;
  }

  /** The TLS client context; once {@link #tlsReady()} is done (a failure to build it is thrown here, to the connect). */
  SslContext tls() {
    return tls.join();
  }

  int maxConnections() {
    return maxConnections;
  }

  long keepAliveNanos() {
    return keepAliveNanos;
  }

  void retried() {
    retries.increment();
  }

  private static double active(UpstreamPools[] pools) {
    int count = 0;
    for (UpstreamPools loopPools : pools) {
      count += loopPools.activeCount();
    }
    return count;
  }

  private static double idle(UpstreamPools[] pools) {
    int count = 0;
    for (UpstreamPools loopPools : pools) {
      count += loopPools.idleCount();
    }
    return count;
  }

  /** Netty's failure in the pipeline's words, kind for kind as the servlet world's JettyUpstream says them. */
  static Throwable translate(Throwable failure) {
    return UpstreamFailure.translate(failure, NETTY_KINDS);
  }

  /** Netty's own exceptions: its connect timeout, and a connection closed before the answer was whole. */
  private static final UpstreamFailure.EngineKinds NETTY_KINDS = new UpstreamFailure.EngineKinds() {
    @Override
    public boolean isTimeout(Throwable failure) {
      return UpstreamFailure.causeOfType(failure, io.netty.channel.ConnectTimeoutException.class);
    }

    @Override
    public UpstreamFailure classify(Throwable failure, Throwable root) {
      return null;
    }

    @Override
    public boolean isBroken(Throwable failure, Throwable root) {
      // EOF, a reset, a broken pipe: epoll's NativeIoException is an IOException, not a SocketException.
      return UpstreamFailure.causeOfType(failure, PrematureChannelClosureException.class) || root instanceof IOException;
    }
  };

  /** The decoder's reason an answer is not HTTP, as a few words for the client's message. */
  static UpstreamFailure invalidHttp(Throwable decoderFailure) {
    if (decoderFailure instanceof PrematureChannelClosureException) {
      return new UpstreamFailure(UpstreamFailure.Kind.BROKEN, null, decoderFailure);
    }
    String reason = decoderFailure.getMessage();
    if (reason == null || reason.isBlank()) {
      reason = decoderFailure.getClass().getSimpleName();
    } else if (reason.endsWith(".")) {
      reason = reason.substring(0, reason.length() - 1);
    }
    return new UpstreamFailure(UpstreamFailure.Kind.INVALID_HTTP, reason, decoderFailure);
  }
}

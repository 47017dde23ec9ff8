package dev.lambdaproxy.pipeline;

import dev.lambdaproxy.frontdoor.Trace;
import dev.lambdaproxy.frontdoor.TracingSettings;
import dev.lambdaproxy.http.ClientAnswer;
import dev.lambdaproxy.http.ProxyError;
import dev.lambdaproxy.invoke.event.FrontDoorContext;
import dev.lambdaproxy.route.RouteMatch;
import dev.lambdaproxy.runtime.ProxyConfig;
import dev.lambdaproxy.runtime.ProxyRuntime;
import dev.lambdaproxy.sigv4.SigV4Signer;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy, engine-neutral: every front end hands each client request to a {@link Call} and
 * writes what it answers. The stages, in order:
 * <ol>
 *   <li>{@link Admit admit}: route, method, declared body size;</li>
 *   <li>{@link FrontDoor front door}: CORS preflights, API keys, throttling, authorizers, bulkheads;</li>
 *   <li>{@link CacheStage cache}: GET/HEAD answered from the store, writes invalidate;</li>
 *   <li>{@link Prepare prepare}: the payload or event, the headers, the signature;</li>
 *   <li>send, through the front end's {@link Upstream};</li>
 *   <li>{@link Decode decode} (a buffered Invoke answer), or {@link LambdaStreamAnswer} and
 *       {@link EndpointRelay} (answers passed on as they arrive);</li>
 *   <li>answer, into the front end's {@link ClientSink}, exactly once; a failure anywhere becomes
 *       the status {@link Failures} maps it to, and a request no stage finishes is ended by its
 *       deadline.</li>
 * </ol>
 */
public final class Pipeline {

  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
  /** nginx's "client closed request": what every front end logs for a client that left before its answer. */
  public static final int CLIENT_CLOSED_REQUEST = 499;

  /** How long past its route's timeout a request may stay unanswered before its deadline ends it. */
  public static final long DEADLINE_GRACE_MS = 5_000;

  /** How often the deadlines are checked: a backstop needs no precision finer than this. */
  static final long DEADLINE_SWEEP_MS = 250;

  /**
   * The calls whose deadline is armed, swept by one thread every {@link #DEADLINE_SWEEP_MS}: a
   * request costs an insertion and a removal in a concurrent set, no timer task. A timer task per
   * request woke the timer thread and, cancelled, stayed queued (the benchmark saw 119,325 of them
   * at 16 connections and p99 1.4 x from the longer GC pauses). Owned by the pipeline and stopped
   * with it, so a redeployed webapp leaves no thread.
   */
  private final Set<Call> armed = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "lambda-proxy-deadlines");
    thread.setDaemon(true);
    return thread;
  });

  /** The stages by name, as {@link #Pipeline(ProxyRuntime, Upstream, Consumer) probes} hear them. */
  static final java.util.List<String> STAGES = java.util.List.of("admit", "front-door", "cache", "prepare", "send", "decode", "answer");

  private final ProxyRuntime runtime;
  private final Upstream upstream;
  private final Prepare prepare;
  private final CacheStage cache;
  private final FrontDoor frontDoor;
  private final Authorize authorize;
  private final Consumer<String> probe;

  public Pipeline(ProxyRuntime runtime, Upstream upstream) {
    this(runtime, upstream, stage -> { });
  }

  /** With a probe called as each stage starts: tests throw from it to prove that every stage's failure is answered. */
  Pipeline(ProxyRuntime runtime, Upstream upstream, Consumer<String> probe) {
    this.probe = Objects.requireNonNull(probe, "probe");
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    this.upstream = Objects.requireNonNull(upstream, "upstream");
    sweeper.scheduleWithFixedDelay(this::sweepDeadlines, DEADLINE_SWEEP_MS, DEADLINE_SWEEP_MS, TimeUnit.MILLISECONDS);
    this.prepare = new Prepare(new SigV4Signer(runtime.live().current().clock()));
    this.cache = new CacheStage(runtime.cache());
    this.authorize = new Authorize(prepare, upstream, runtime.telemetry().registry());
    // API Gateway's order: a preflight before anything; the route's throttle; who the caller is (an
    // authorizer runs before the API key is checked, as in REST APIs); the key with its plan's rate and
    // quota; and last the bulkhead, so that a request refused on the way never holds a place.
    this.frontDoor = new FrontDoor(java.util.List.of(
        new CorsPreflight(),
        new RouteThrottle(runtime.frontDoor().limits()),
        authorize,
        new ApiKeyCheck(runtime.frontDoor().limits()),
        new Bulkhead(runtime.frontDoor().bulkheads())));
  }

  public ProxyRuntime runtime() {
    return runtime;
  }

  /** Stops the deadlines' thread: the front end has stopped taking requests. */
  public void close() {
    sweeper.shutdownNow();
    authorize.close();
  }

  private void sweepDeadlines() {
    long now = System.nanoTime();
    for (Call call : armed) {
      if (now - call.deadlineNanos >= 0) {
        armed.remove(call);
        try {
          call.deadlinePassed();
        } catch (RuntimeException | Error e) {
          LOG.error("ending a request at its deadline failed", e);
        }
      }
    }
  }

  /** A new request, counted in flight until {@link Call#completed}. */
  public Call newCall(ClientRequest clientRequest, ClientSink sink) {
    Exchange exchange = new Exchange(System.nanoTime());
    runtime.telemetry().started();
    // Only while CORS is on does an answer pass one more sink; it decorates once admission finds a CORS route.
    CorsSink cors = runtime.live().current().cors().enabled() ? new CorsSink(sink) : null;
    return new Call(clientRequest, exchange, new GuardedSink(cors != null ? cors : sink, exchange), cors);
  }

  /** One client request through the stages. A front end calls admit, then proceed (or a body failure), then completed. */
  public final class Call {

    private final ClientRequest clientRequest;
    private final Exchange exchange;
    private final GuardedSink sink;
    /** Where the CORS headers go on, or null while CORS is off. */
    private final CorsSink cors;
    private Routed routed;
    /** The request's X-Ray trace, continued or new; null when tracing is off. */
    private Trace trace;
    /** What the front door holds for the request (a bulkhead's place): given back in {@link #completed}. */
    private volatile Runnable held;
    /** What the front door learned for the event; set before the stages after it run. */
    private volatile FrontDoorContext frontDoorContext = FrontDoorContext.NONE;
    private volatile Upstream.Call upstreamCall;
    private volatile CompletableFuture<?> pending;
    /** This request's own buffered call (not a cached route's, which other requests may share): cancelled if the client leaves. */
    private volatile CompletableFuture<ServerResponse> ownCall;
    private volatile long deadlineNanos;
    private volatile long deadlineMs;

    private Call(ClientRequest clientRequest, Exchange exchange, GuardedSink sink, CorsSink cors) {
      this.clientRequest = clientRequest;
      this.exchange = exchange;
      this.sink = sink;
      this.cors = cors;
    }

    /**
     * Admits the request: its route, method and declared body size.
     *
     * @param config the configuration a front end already read for this request, or null to read the current one
     * @param match the route a front end already matched in {@code config}, or null
     * @return false when it was refused: the refusal is answered, and the front end reads no body
     */
    public boolean admit(ProxyConfig config, RouteMatch match) {
      try {
        probe.accept("admit");
        ProxyConfig current = config != null ? config : runtime.live().current();
        TracingSettings tracing = current.tracing();
        if (tracing.enabled()) {
          trace = trace(tracing, current.clock().millis() / 1000);
          exchange.trace = trace;
        }
        RouteMatch found = match != null ? match : current.routes().match(clientRequest.path(), clientRequest.method());
        boolean preflight = false;
        if (found != null && cors != null && CorsPreflight.applies(current.cors(), found.route())) {
          preflight = CorsPreflight.isPreflight(clientRequest);
          cors.cors(current.cors(), clientRequest, preflight);
        }
        routed = Admit.admit(current, found, clientRequest, preflight);
        return true;
      } catch (RuntimeException | Error e) {
        fail(e);
        return false;
      }
    }

    /** The client's trace continued, or a new one: every request gets one, so its headers are read in one pass, no iterator. */
    private Trace trace(TracingSettings tracing, long epochSeconds) {
      String amzn = null;
      String w3c = null;
      java.util.List<dev.lambdaproxy.invoke.event.Header> headers = clientRequest.headers();
      for (int i = 0; i < headers.size(); i++) {
        dev.lambdaproxy.invoke.event.Header header = headers.get(i);
        if (amzn == null && header.name().equalsIgnoreCase(Trace.AMZN_HEADER)) {
          amzn = header.value();
        } else if (w3c == null && header.name().equalsIgnoreCase(Trace.W3C_HEADER)) {
          w3c = header.value();
        }
      }
      return Trace.of(tracing, amzn, w3c, epochSeconds);
    }

    /** Whether the front end reads the client's body and hands it to {@link #proceed}. */
    public boolean readsBody() {
      return routed.readsBody();
    }

    /** The most body the front end may read: one byte more is {@link #bodyTooLarge}. */
    public long maxBodyBytes() {
      return routed.settings().maxBodyBytes();
    }

    /** Runs the stages after admission, with the client's body ({@link RequestBody#EMPTY} when it is not read). */
    public void proceed(RequestBody body) {
      try {
        exchange.bytesReceived = body.length();
        armDeadline();
        if (!frontDoor.applies(routed, clientRequest)) {
          afterFrontDoor(body);
          return;
        }
        probe.accept("front-door");
        // Not cancelled when the client leaves: a verdict still to come may hold a bulkhead's place, given back here.
        frontDoor.check(routed, clientRequest).whenComplete((verdict, failure) -> {
          String route = routed.route().pattern();
          if (failure != null) {
            runtime.telemetry().frontDoor(route, Failures.unwrap(failure) instanceof Failures.Refusal refusal ? refusal.error().kind() : "failed");
            fail(failure);
          } else if (!verdict.passes()) {
            runtime.telemetry().frontDoor(route, verdict.answer().errorKind() != null ? verdict.answer().errorKind() : "preflight");
            answer(verdict.answer());
          } else {
            held = verdict.release();
            if (exchange.isFinished() || sink.isDone()) {
              releaseHeld(); // the client left, or the deadline answered, while the front door was deciding
              return;
            }
            runtime.telemetry().frontDoor(route, "allowed");
            frontDoorContext = verdict.context();
            // A verdict that waited (an authorizer's call, an issuer's keys) may come on another thread.
            sink.resume(() -> afterFrontDoor(body));
          }
        });
      } catch (Exception | Error e) {
        fail(e);
      }
    }

    /** Cache, or prepare-send-decode, once the front door has let the request in. */
    private void afterFrontDoor(RequestBody body) {
      try {
        if (CacheStage.applies(routed)) {
          probe.accept("cache");
          // Credentials only for a miss: a fresh stored answer is served without them.
          pending = cache.serve(routed, clientRequest, () -> withCredentials(() -> buffered(body, new Exchange(System.nanoTime()))))
              .whenComplete((answer, failure) -> {
                if (failure != null) {
                  fail(failure);
                } else {
                  answer(answer);
                }
              });
        } else if (routed.streams()) {
          CompletableFuture<Void> loading = Prepare.credentialsLoading(routed);
          if (loading == null) {
            stream(body);
          } else {
            pending = loading.whenComplete((loaded, failure) -> sink.resume(() -> {
              try {
                stream(body);
              } catch (Exception | Error e) {
                fail(e);
              }
            }));
          }
        } else {
          pending = withCredentials(() -> buffered(body, exchange)).whenComplete((answer, failure) -> {
            if (failure != null) {
              fail(failure);
            } else {
              answer(answer);
            }
          });
        }
      } catch (Exception | Error e) {
        fail(e);
      }
    }

    /**
     * Runs {@code call} once the route's credentials can be had at once. Cold credentials (the first
     * request, or after they lapsed) are loaded on the provider's own thread, and the call goes on
     * from this request's loop: the front end's thread (an event loop) never waits on STS.
     */
    private CompletableFuture<ClientAnswer> withCredentials(java.util.function.Supplier<CompletableFuture<ClientAnswer>> call) {
      CompletableFuture<Void> loading = Prepare.credentialsLoading(routed);
      if (loading == null) {
        return call.get();
      }
      CompletableFuture<ClientAnswer> answered = new CompletableFuture<>();
      loading.whenComplete((loaded, failure) -> sink.resume(() -> {
        try {
          call.get().whenComplete((answer, callFailure) -> {
            if (callFailure != null) {
              answered.completeExceptionally(callFailure);
            } else {
              answered.complete(answer);
            }
          });
        } catch (RuntimeException | Error e) {
          answered.completeExceptionally(e);
        }
      }));
      return answered;
    }

    /** The body is past {@link #maxBodyBytes}: 413, and the connection closed rather than the rest read. */
    public void bodyTooLarge() {
      ClientAnswer tooLarge = ProxyError.bodyTooLarge(maxBodyBytes()).toAnswer();
      sink.answer(withConnectionClose(tooLarge));
    }

    /** The body could not be read (the client broke off, or sent bad framing). */
    public void bodyFailed(Throwable failure) {
      LOG.debug("reading the body of {} failed", clientRequest.rawPath(), failure);
      sink.answer(withConnectionClose(ProxyError.clientBodyFailed().toAnswer()));
    }

    /** The client went away: nobody waits for the call any more, so it is aborted. */
    public void clientGone(Throwable why) {
      exchange.failedWith("client_gone");
      Upstream.Call call = upstreamCall;
      if (call != null) {
        call.abort(why);
      }
      CompletableFuture<ServerResponse> own = ownCall;
      if (own != null) {
        own.cancel(false);
      }
      CompletableFuture<?> future = pending;
      if (future != null) {
        future.cancel(false);
      }
      sink.abort(why);
    }

    /** The front end has finished the exchange: counts and logs it once, with the status the client got. */
    public void completed(int statusSent) {
      if (!exchange.finish()) {
        return;
      }
      armed.remove(this);
      releaseHeld();
      exchange.upstreamEnded();
      runtime.telemetry().finished(clientRequest.method(), clientRequest.rawPath(), clientRequest.peerAddress(),
          routed == null ? "none" : routed.route().pattern(), routed == null ? "-" : routed.targetName(), statusSent,
          exchange.errorKind, System.nanoTime() - exchange.startNanos, exchange.upstreamNanos, exchange.bytesReceived,
          exchange.bytesSent, exchange.lambdaRequestId, exchange.trace);
    }

    /** Gives back what the front door held; safe to run twice (a place is given back once), and it may be: see {@link #proceed}. */
    private void releaseHeld() {
      Runnable release = held;
      if (release != null) {
        release.run();
      }
    }

    /** What the proxy answered or cut the connection for, or null when the function or endpoint answered. */
    public String errorKind() {
      return exchange.errorKind;
    }

    private void answer(ClientAnswer answer) {
      try {
        probe.accept("answer");
        sink.answer(answer);
      } catch (RuntimeException | Error e) {
        fail(e);
      }
    }

    /** Prepare, send, decode: the buffered road, whose every failure becomes an answer (the cache stores answers). */
    private CompletableFuture<ClientAnswer> buffered(RequestBody body, Exchange callExchange) {
      ProxyRequest proxyRequest;
      CompletableFuture<ServerResponse> call;
      try {
        probe.accept("prepare");
        proxyRequest = prepare.call(routed, clientRequest, body, frontDoorContext, trace);
        callExchange.upstreamStarted();
        if (callExchange != exchange) {
          exchange.upstreamStarted();
        }
        probe.accept("send");
        call = upstream.exchange(proxyRequest);
      } catch (Exception | Error e) {
        return CompletableFuture.completedFuture(errorAnswer(e));
      }
      if (callExchange == exchange) {
        ownCall = call;
      }
      return call.handle((serverResponse, failure) -> {
        callExchange.upstreamEnded();
        exchange.upstreamEnded();
        if (failure != null) {
          return errorAnswer(failure);
        }
        try {
          probe.accept("decode");
          return Decode.answer(routed, clientRequest, exchange, serverResponse);
        } catch (RuntimeException | Error e) {
          return errorAnswer(e);
        }
      });
    }

    private void stream(RequestBody body) throws Exception {
      probe.accept("prepare");
      ProxyRequest proxyRequest = prepare.call(routed, clientRequest, body, frontDoorContext, trace);
      Upstream.StreamListener listener = routed.endpoint() != null
          ? new EndpointRelay(sink, exchange, this::fail)
          : new LambdaStreamAnswer(routed, clientRequest, sink, exchange, this::fail);
      exchange.upstreamStarted();
      probe.accept("send");
      upstreamCall = upstream.stream(proxyRequest, listener);
    }

    private ClientAnswer errorAnswer(Throwable failure) {
      if (Failures.isCancellation(failure)) {
        // Cancelled because the client left or the deadline answered: nobody reads this answer.
        return ProxyError.timeout(routed.targetName(), routed.timeout().toMillis()).toAnswer();
      }
      ProxyError error = Failures.toError(routed, failure);
      logFailure(error, failure);
      return error.toAnswer();
    }

    /** Whatever failed, wherever: the mapped status if nothing is out yet, a cut connection if an answer is under way. */
    void fail(Throwable failure) {
      if (Failures.isCancellation(failure) || sink.isDone()) {
        return;
      }
      ProxyError error;
      try {
        error = Failures.toError(routed, failure);
      } catch (RuntimeException | Error e) {
        error = ProxyError.internal();
      }
      if (!sink.isCommitted()) {
        logFailure(error, failure);
        sink.answer(error.toAnswer());
      } else {
        LOG.warn("{} {}: {} (the answer was under way; the connection is cut)", clientRequest.method(), clientRequest.rawPath(),
            error.message());
        exchange.failedWith(error.kind());
        sink.abort(failure);
      }
      Upstream.Call call = upstreamCall;
      if (call != null) {
        call.abort(failure);
      }
    }

    private void logFailure(ProxyError error, Throwable failure) {
      if (error.status() < 500) {
        return; // the client's own doing, told to it
      }
      if (routed != null && routed.endpoint() != null) {
        // The client is told the route only; the operator also gets the URL, its ${NAME}s unexpanded.
        LOG.warn("{} {}: {} ({})", clientRequest.method(), clientRequest.rawPath(), error.message(), routed.targetName());
      } else if (routed != null && routed.invokeTarget() != null) {
        LOG.warn("{} {}: {} ({}://{})", clientRequest.method(), clientRequest.rawPath(), error.message(),
            routed.invokeTarget().uri().getScheme(), routed.invokeTarget().hostHeader());
      } else {
        LOG.warn("{} {}: {}", clientRequest.method(), clientRequest.rawPath(), error.message());
      }
    }

    /**
     * The backstop that ends every request: once the body is in, a request must be answered
     * within its route's timeout; past that plus {@link #DEADLINE_GRACE_MS}, a call still out is
     * aborted with a 504 and a request that never sent one gets the JSON 500. An answer already
     * under way (a stream) is left to the idle timeouts.
     */
    private void armDeadline() {
      deadlineMs = routed.timeout().toMillis() + DEADLINE_GRACE_MS;
      deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(deadlineMs);
      armed.add(this);
      if (exchange.isFinished()) {
        armed.remove(this); // it ended while the deadline was being armed
      }
    }

    private void deadlinePassed() {
      if (exchange.isFinished() || !sink.isOpen()) {
        return;
      }
      if (exchange.upstreamStartNanos >= 0) {
        fail(new UpstreamFailure(UpstreamFailure.Kind.TIMEOUT, "no answer within the request's deadline of " + deadlineMs + " ms", null));
      } else {
        LOG.error("{} {}: no stage answered within {} ms", clientRequest.method(), clientRequest.rawPath(), deadlineMs);
        fail(new IllegalStateException("no stage answered"));
      }
      CompletableFuture<ServerResponse> own = ownCall;
      if (own != null) {
        own.cancel(false);
      }
    }
  }

  private static ClientAnswer withConnectionClose(ClientAnswer answer) {
    java.util.List<ClientAnswer.Header> headers = new java.util.ArrayList<>(answer.headers());
    headers.add(new ClientAnswer.Header("Connection", "close"));
    return new ClientAnswer(answer.status(), headers, answer.contentType(), answer.body(), answer.errorKind());
  }
}

package dev.lambdaproxy.eventloop;

import dev.lambdaproxy.http.ProxyError;
import dev.lambdaproxy.invoke.event.Header;
import dev.lambdaproxy.pipeline.ClientRequest;
import dev.lambdaproxy.pipeline.Pipeline;
import dev.lambdaproxy.pipeline.RequestBody;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The front end of the pipeline on one HTTP/1.1 connection or one h2 stream (whose frames
 * {@code Http2StreamFrameToHttpObjectCodec} turns into the same messages): reads a request, hands
 * it to a {@link Pipeline.Call}, reads its body, and lets the {@link ChannelSink} answer. HTTP/1.1
 * requests are answered in order: one sent before the answer to the last is held, and the
 * connection is not read meanwhile.
 */
final class ClientExchangeHandler extends ChannelInboundHandlerAdapter {


  private final FrontEnd frontEnd;
  private final String scheme;
  private final boolean http2;
  private final ArrayDeque<Object> held = new ArrayDeque<>(2);
  private ChannelHandlerContext ctx;
  private ClientExchange current;
  private boolean closing;

  ClientExchangeHandler(FrontEnd frontEnd, String scheme, boolean http2) {
    this.frontEnd = frontEnd;
    this.scheme = scheme;
    this.http2 = http2;
  }

  /** One request and its answer. */
  static final class ClientExchange {
    final Pipeline.Call call;
    final ChannelSink sink;
    /** The request has a body by its framing (a length or chunks): one left unread ends the connection. */
    final boolean bodyFramed;
    BodyReader body;
    boolean requestDone;
    boolean finished;

    ClientExchange(Pipeline.Call call, ChannelSink sink, boolean bodyFramed) {
      this.call = call;
      this.sink = sink;
      this.bodyFramed = bodyFramed;
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (closing) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (!held.isEmpty() || (current != null && current.requestDone)) {
      held.add(msg);
      ctx.channel().config().setAutoRead(false);
      return;
    }
    handle(msg);
  }

  private void handle(Object msg) {
    try {
      if (msg instanceof HttpRequest request) {
        start(request);
      }
      if (msg instanceof HttpContent content) {
        content(content);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof HttpServerUpgradeHandler.UpgradeEvent) {
      // Upgraded to h2c: the streams have handlers of their own from now on.
      ctx.pipeline().remove(this);
    }
    super.userEventTriggered(ctx, event);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    closing = true;
    while (!held.isEmpty()) {
      ReferenceCountUtil.release(held.poll());
    }
    ClientExchange exchange = current;
    if (exchange != null && !exchange.finished) {
      exchange.call.clientGone(new ClosedChannelException());
      finish(exchange, exchange.sink.isCommitted() ? exchange.sink.status() : Pipeline.CLIENT_CLOSED_REQUEST, true);
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    frontEnd.log().debug("client connection failed", cause);
    ctx.close();
  }

  /** Whether the idle timeout may close this connection now: not while an answer is awaited from upstream. */
  boolean idleMayClose() {
    return current == null || !current.requestDone || !ctx.channel().isWritable() || closing;
  }

  /** The server is stopping: an idle connection closes now, a busy one after its answer. */
  void drain() {
    if (current == null) {
      closing = true;
      ctx.close();
    }
  }

  private void start(HttpRequest request) {
    DecoderResult result = request.decoderResult();
    if (result.isFailure()) {
      refuse(decoderError(result.cause()));
      return;
    }
    ProxyError framing = http2 ? null : Http1Rules.check(request);
    if (framing != null) {
      refuse(framing);
      return;
    }
    if (HttpMethod.CONNECT.equals(request.method())) {
      refuse(ProxyError.connectNotSupported());
      return;
    }
    RequestTarget target;
    try {
      target = RequestTarget.parse(request.uri());
    } catch (RequestTarget.Refused refused) {
      refuse(refused.error());
      return;
    }
    boolean bodyFramed = HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0;
    boolean closeAsked = !http2 && !HttpUtil.isKeepAlive(request);
    ClientRequest clientRequest = clientRequest(request, target);
    ChannelSink sink = new ChannelSink(this, ctx, request.protocolVersion(), HttpMethod.HEAD.equals(request.method()), http2,
        closeAsked);
    Pipeline.Call call = frontEnd.pipeline().newCall(clientRequest, sink);
    ClientExchange exchange = new ClientExchange(call, sink, bodyFramed);
    sink.exchange(exchange);
    current = exchange;
    frontEnd.started();
    if (!call.admit(null, null)) {
      return;
    }
    if (!call.readsBody()) {
      call.proceed(RequestBody.EMPTY);
      return;
    }
    exchange.body = new BodyReader(clientRequest.declaredLength(), call.maxBodyBytes());
    if (HttpUtil.is100ContinueExpected(request) && bodyFramed) {
      ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
    }
  }

  private void content(HttpContent content) {
    ClientExchange exchange = current;
    if (exchange == null || exchange.requestDone) {
      return; // the end of a request answered before its body was read
    }
    if (content.decoderResult().isFailure()) {
      BodyReader reading = exchange.body;
      exchange.body = null;
      exchange.requestDone = true;
      if (reading != null) {
        exchange.call.bodyFailed(content.decoderResult().cause());
      } else {
        closing = true;
        if (exchange.finished) {
          ctx.close();
        }
      }
      return;
    }
    BodyReader reading = exchange.body;
    if (reading != null && !reading.add(content.content())) {
      exchange.body = null;
      // Nothing more is read: the 413 goes out and the connection is closed behind it.
      ctx.channel().config().setAutoRead(false);
      closing = true;
      exchange.call.bodyTooLarge();
      return;
    }
    if (content instanceof LastHttpContent) {
      exchange.requestDone = true;
      if (reading != null) {
        exchange.body = null;
        exchange.call.proceed(reading.finish());
      }
    }
  }

  /** An answer the front end makes itself, before any call: JSON, and the connection closed behind it. */
  private void refuse(ProxyError error) {
    closing = true;
    ctx.channel().config().setAutoRead(false);
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(error.status()),
        Unpooled.wrappedBuffer(error.toJson()));
    error.headers().forEach((name, value) -> response.headers().set(name, value));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
    HttpUtil.setContentLength(response, response.content().readableBytes());
    if (!http2) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(response).addListener(written -> LingeringClose.close(ctx.channel()));
    } else {
      ctx.writeAndFlush(response);
    }
  }

  private static ProxyError decoderError(Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      return ProxyError.uriTooLong(Http1ServerCodec.MAX_INITIAL_LINE_BYTES);
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return ProxyError.headersTooLarge(Http1ServerCodec.MAX_HEADER_BYTES);
    }
    return ProxyError.badRequest(printable(cause.getMessage()));
  }

  /** A decoder's message as printable ASCII, at most 200 chars: some quote the request's bytes. */
  static String printable(String text) {
    if (text == null || text.isBlank()) {
      return "malformed request";
    }
    StringBuilder plain = new StringBuilder(Math.min(text.length(), 200));
    for (int i = 0; i < text.length() && plain.length() < 200; i++) {
      char c = text.charAt(i);
      plain.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return plain.toString();
  }

  private ClientRequest clientRequest(HttpRequest request, RequestTarget target) {
    List<Header> headers = new ArrayList<>(request.headers().size());
    String authority = null;
    boolean host = false;
    for (Map.Entry<String, String> header : request.headers()) {
      String name = header.getKey();
      if (http2 && name.regionMatches(true, 0, "x-http2-", 0, 8)) {
        if (name.equalsIgnoreCase("x-http2-authority")) {
          authority = header.getValue();
        }
        continue; // Netty's record of the h2 pseudo-headers, not the client's
      }
      host |= name.equalsIgnoreCase("host");
      headers.add(new Header(name, header.getValue()));
    }
    if (!host && authority != null) {
      headers.add(0, new Header("host", authority));
    }
    InetSocketAddress peer = (InetSocketAddress) ctx.channel().remoteAddress();
    String peerAddress = peer == null ? "unknown" : peer.getAddress() != null ? peer.getAddress().getHostAddress() : peer.getHostString();
    String hostValue = request.headers().get(HttpHeaderNames.HOST, authority);
    return new ClientRequest(request.method().name(), target.rawPath(), target.path(), target.rawQuery(), headers, peerAddress,
        scheme, http2 ? "HTTP/2.0" : request.protocolVersion().text(), serverName(hostValue), HttpUtil.getContentLength(request, -1L));
  }

  private String serverName(String host) {
    if (host == null || host.isBlank()) {
      InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
      return local == null ? "localhost" : local.getHostString();
    }
    String value = host.strip();
    if (value.startsWith("[")) {
      int end = value.indexOf(']');
      return end > 0 ? value.substring(0, end + 1) : value;
    }
    int colon = value.indexOf(':');
    return (colon >= 0 ? value.substring(0, colon) : value).toLowerCase(Locale.ROOT);
  }

  /** The answer is out (or cut): counted once, and the connection goes on to the next request or closes. */
  void finish(ClientExchange exchange, int statusSent, boolean close) {
    if (exchange.finished) {
      return;
    }
    exchange.finished = true;
    exchange.body = null;
    exchange.call.completed(statusSent);
    frontEnd.finished();
    if (current == exchange) {
      current = null;
    }
    if (http2) {
      if (close) {
        ctx.close();
      }
      return;
    }
    if (close || closing || frontEnd.draining() || (exchange.bodyFramed && !exchange.requestDone)) {
      closing = true;
      if (exchange.bodyFramed && !exchange.requestDone) {
        LingeringClose.close(ctx.channel());
      } else {
        ctx.close();
      }
      return;
    }
    ctx.channel().eventLoop().execute(this::resume);
  }

  /** Serves the requests held while the last was answered, then reads the connection again. */
  private void resume() {
    while (!closing && !held.isEmpty() && (current == null || !current.requestDone)) {
      handle(held.poll());
    }
    if (!closing && held.isEmpty()) {
      ctx.channel().config().setAutoRead(true);
      ctx.read();
    }
  }

  boolean closeAfterAnswer(ClientExchange exchange) {
    // A body left unread (a refusal, a 413) ends the connection: the answer must say so, or the client reuses it.
    return closing || frontEnd.draining() || (exchange.bodyFramed && !exchange.requestDone);
  }

  /** What every HTTP/1.1 request must satisfy to be read one way only, beyond what Netty's decoder checks. */
  static final class Http1Rules {

    private Http1Rules() {}

    static ProxyError check(HttpRequest request) {
      HttpHeaders headers = request.headers();
      List<String> hosts = headers.getAll(HttpHeaderNames.HOST);
      if (hosts.size() > 1) {
        return ProxyError.badRequest("more than one Host header");
      }
      if (hosts.isEmpty() && request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
        return ProxyError.badRequest("no Host header");
      }
      List<String> lengths = headers.getAll(HttpHeaderNames.CONTENT_LENGTH);
      if (!lengths.isEmpty() && headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
        return ProxyError.badRequest("Content-Length with Transfer-Encoding");
      }
      if (lengths.size() > 1) {
        return ProxyError.badRequest("more than one Content-Length");
      }
      if (lengths.size() == 1) {
        String length = lengths.get(0);
        if (length.isEmpty() || length.length() > 18 || !length.chars().allMatch(c -> c >= '0' && c <= '9')) {
          return ProxyError.badRequest("Content-Length is not a number");
        }
      }
      List<String> codings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
      if (!codings.isEmpty() && (codings.size() > 1 || !codings.get(0).strip().equalsIgnoreCase("chunked"))) {
        return ProxyError.badRequest("the only transfer coding accepted is chunked");
      }
      return null;
    }
  }
}

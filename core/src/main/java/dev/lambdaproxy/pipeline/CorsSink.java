package dev.lambdaproxy.pipeline;

import dev.lambdaproxy.frontdoor.CorsSettings;
import dev.lambdaproxy.http.ClientAnswer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place the CORS headers of a route where CORS applies are put on: every answer passes
 * here, whoever made it (the function, buffered or streamed; an endpoint; the cache; the proxy's
 * own errors; the front door's refusals and preflights), in both engines. The answer's own
 * {@code Access-Control-*} headers are dropped and the configured ones put on, as API Gateway
 * does. Until {@link #cors} is called (a route without CORS, or no route) it passes answers on
 * untouched.
 */
final class CorsSink implements ClientSink {

  /** What CORS says about one request: read once, when it is admitted. */
  private record Request(CorsSettings cors, String origin, boolean preflight, String requestMethod, String requestHeaders) {}

  private final ClientSink sink;
  private volatile Request request;

  CorsSink(ClientSink sink) {
    this.sink = sink;
  }

  /** The request is on a route where CORS applies. */
  void cors(CorsSettings cors, ClientRequest clientRequest, boolean preflight) {
    request = new Request(cors, clientRequest.header("Origin"), preflight, clientRequest.header("Access-Control-Request-Method"),
        String.join(",", clientRequest.headers("Access-Control-Request-Headers")));
  }

  @Override
  public void answer(ClientAnswer answer) {
    Request cors = request;
    sink.answer(cors == null ? answer
        : new ClientAnswer(answer.status(), decorated(cors, answer.headers()), answer.contentType(), answer.body(), answer.errorKind()));
  }

  @Override
  public void head(int status, List<ClientAnswer.Header> headers, String contentType) {
    Request cors = request;
    sink.head(status, cors == null ? headers : decorated(cors, headers), contentType);
  }

  private static List<ClientAnswer.Header> decorated(Request cors, List<ClientAnswer.Header> headers) {
    List<ClientAnswer.Header> decorated = new ArrayList<>(headers.size() + 4);
    for (ClientAnswer.Header header : headers) {
      if (!CorsSettings.isCorsHeader(header.name())) {
        decorated.add(header);
      }
    }
    if (cors.preflight()) {
      cors.cors().addPreflightHeaders(decorated, cors.origin(), cors.requestMethod(), cors.requestHeaders());
    } else {
      cors.cors().addAnswerHeaders(decorated, cors.origin());
    }
    return decorated;
  }

  @Override
  public void write(ByteBuffer piece, Written written) {
    sink.write(piece, written);
  }

  @Override
  public void end() {
    sink.end();
  }

  @Override
  public void abort(Throwable why) {
    sink.abort(why);
  }

  @Override
  public boolean isCommitted() {
    return sink.isCommitted();
  }

  @Override
  public void resume(Runnable step) {
    sink.resume(step);
  }
}

package dev.lambdaproxy.pipeline;

import dev.lambdaproxy.http.ClientAnswer;
import dev.lambdaproxy.http.Headers;
import dev.lambdaproxy.invoke.event.Header;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The answer stage of an HTTP endpoint route: the endpoint's answer passes to the client as it
 * arrives, hop-by-hop headers (and those its Connection header names) dropped, each piece sent at
 * once and the next read only when the client has taken it.
 */
final class EndpointRelay implements Upstream.StreamListener {

  private final ClientSink sink;
  private final Exchange exchange;
  private final Consumer<Throwable> onFailure;

  EndpointRelay(ClientSink sink, Exchange exchange, Consumer<Throwable> onFailure) {
    this.sink = sink;
    this.exchange = exchange;
    this.onFailure = onFailure;
  }

  @Override
  public void onHead(ServerResponse head) {
    Set<String> connectionNamed = new HashSet<>();
    for (Header header : head.headers()) {
      if (header.name().equalsIgnoreCase("Connection")) {
        for (String token : header.value().split(",")) {
          connectionNamed.add(token.strip().toLowerCase(Locale.ROOT));
        }
      }
    }
    List<ClientAnswer.Header> headers = new ArrayList<>(head.headers().size());
    String contentType = null;
    for (Header header : head.headers()) {
      String lower = header.name().toLowerCase(Locale.ROOT);
      if (Headers.HOP_BY_HOP.contains(lower) || connectionNamed.contains(lower)) {
        continue;
      }
      if (lower.equals("content-type")) {
        contentType = contentType == null ? header.value() : contentType;
      } else {
        headers.add(new ClientAnswer.Header(header.name(), header.value()));
      }
    }
    sink.head(head.status(), headers, contentType);
  }

  @Override
  public void onContent(ByteBuffer piece, Runnable demand) {
    int length = piece.remaining();
    sink.write(piece, new ClientSink.Written() {
      @Override
      public void succeeded() {
        exchange.bytesSent += length;
        demand.run();
      }

      @Override
      public void failed(Throwable failure) {
        onFailure.accept(failure);
      }
    });
  }

  @Override
  public void onEnd() {
    exchange.upstreamEnded();
    sink.end();
  }

  @Override
  public void onFailure(Throwable failure) {
    exchange.upstreamEnded();
    onFailure.accept(failure);
  }
}

package dev.lambdaproxy.servlet;

import dev.lambdaproxy.invoke.ClientAnswer;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Writes a {@link ClientAnswer} to the client: blocking before the exchange went async, non-blocking after. */
final class ClientResponses {

  private ClientResponses() {}

  private static void writeHead(Exchange exchange, HttpServletResponse proxyResponse, ClientAnswer answer) {
    exchange.errorKind = answer.errorKind();
    exchange.bytesSent = answer.body().length;
    proxyResponse.setStatus(answer.status());
    for (ClientAnswer.Header header : answer.headers()) {
      proxyResponse.addHeader(header.name(), header.value());
    }
    if (answer.contentType() != null) {
      proxyResponse.setContentType(answer.contentType());
    }
    proxyResponse.setContentLengthLong(answer.body().length);
  }

  /** For answers made in the servlet's own thread, before any async work began. */
  static void writeNow(Exchange exchange, HttpServletResponse proxyResponse, ClientAnswer answer) throws IOException {
    writeHead(exchange, proxyResponse, answer);
    proxyResponse.getOutputStream().write(answer.body());
  }

  /**
   * For answers made on an async path (a client-body or HTTP-client thread): the body is written
   * when the client can take it, so a slow client holds no thread, and the exchange completes after.
   */
  static void writeAsync(Exchange exchange, AsyncContext asyncContext, HttpServletResponse proxyResponse, ClientAnswer answer) {
    if (!exchange.claimAnswer()) {
      return; // answered already (the deadline's 5xx, or the answer this one was late for)
    }
    writeHead(exchange, proxyResponse, answer);
    ServletOutputStream clientOutput;
    try {
      clientOutput = proxyResponse.getOutputStream();
    } catch (IOException | IllegalStateException e) {
      asyncContext.complete();
      return;
    }
    clientOutput.setWriteListener(new WriteListener() {
      private boolean written;

      @Override
      public void onWritePossible() throws IOException {
        if (!written) {
          written = true;
          if (answer.body().length > 0) {
            clientOutput.write(answer.body());
            if (!clientOutput.isReady()) {
              return; // called again once the write is done
            }
          }
        }
        asyncContext.complete();
      }

      @Override
      public void onError(Throwable failure) {
        asyncContext.complete();
      }
    });
  }
}

package dev.lambdaproxy.servlet;

import dev.lambdaproxy.http.ClientAnswer;
import dev.lambdaproxy.pipeline.ClientSink;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline's answers written to a servlet response, in async mode: a whole answer with a
 * write listener (a slow client holds no thread), a streamed one piece by piece on the thread that
 * read it, each flushed at once (and blocking until the client takes it, which holds the upstream
 * read: backpressure). The exchange completes when the answer is out.
 */
final class ServletSink implements ClientSink {

  private static final Logger LOG = LoggerFactory.getLogger(ServletSink.class);

  private final AsyncContext asyncContext;
  private final HttpServletResponse proxyResponse;

  ServletSink(AsyncContext asyncContext, HttpServletResponse proxyResponse) {
    this.asyncContext = asyncContext;
    this.proxyResponse = proxyResponse;
  }

  @Override
  public void answer(ClientAnswer answer) {
    ServletOutputStream clientOutput;
    try {
      if (!proxyResponse.isCommitted()) {
        proxyResponse.reset();
      }
      proxyResponse.setStatus(answer.status());
      for (ClientAnswer.Header header : answer.headers()) {
        proxyResponse.addHeader(header.name(), header.value());
      }
      if (answer.contentType() != null) {
        proxyResponse.setContentType(answer.contentType());
      }
      proxyResponse.setContentLengthLong(answer.body().length);
      clientOutput = proxyResponse.getOutputStream();
    } catch (IOException | RuntimeException e) {
      LOG.debug("could not answer", e);
      complete();
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
        complete();
      }

      @Override
      public void onError(Throwable failure) {
        complete();
      }
    });
  }

  @Override
  public void head(int status, List<ClientAnswer.Header> headers, String contentType) {
    proxyResponse.setStatus(status);
    for (ClientAnswer.Header header : headers) {
      proxyResponse.addHeader(header.name(), header.value());
    }
    if (contentType != null) {
      proxyResponse.setContentType(contentType);
    }
  }

  @Override
  public void write(ByteBuffer piece, Written written) {
    try {
      ServletOutputStream clientOutput = proxyResponse.getOutputStream();
      if (piece.hasArray()) {
        clientOutput.write(piece.array(), piece.arrayOffset() + piece.position(), piece.remaining());
      } else {
        byte[] copy = new byte[piece.remaining()];
        piece.duplicate().get(copy);
        clientOutput.write(copy);
      }
      // Without the flush, the container would hold small pieces (server-sent events, tokens) until the answer ends.
      proxyResponse.flushBuffer();
    } catch (IOException | RuntimeException e) {
      written.failed(e);
      return;
    }
    written.succeeded();
  }

  @Override
  public void end() {
    try {
      proxyResponse.flushBuffer(); // a head with no body still goes out
    } catch (IOException | RuntimeException e) {
      LOG.debug("the client went away at the end of its answer", e);
    }
    complete();
  }

  /**
   * Part of an answer is out and the rest will not come: the connection is cut (Jetty's and
   * Tomcat's {@code sendError(-1)}) rather than the body ended, so the client can tell.
   */
  @Override
  public void abort(Throwable why) {
    try {
      if (proxyResponse.isCommitted()) {
        proxyResponse.sendError(-1);
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("the container cannot abort a committed response; ending it", e);
    }
    complete();
  }

  @Override
  public boolean isCommitted() {
    return proxyResponse.isCommitted();
  }

  private void complete() {
    try {
      asyncContext.complete();
    } catch (IllegalStateException alreadyDone) {
      // the container ended it (an error, an abort)
    }
  }
}

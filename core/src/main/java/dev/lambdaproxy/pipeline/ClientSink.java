package dev.lambdaproxy.pipeline;

import dev.lambdaproxy.http.ClientAnswer;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Where the pipeline writes the client's answer; each front end writes it to its own connection.
 * The pipeline ends every request with exactly one of: {@link #answer}; {@link #head}, pieces and
 * {@link #end}; or {@link #abort} once a head is out.
 */
public interface ClientSink {

  /** A whole answer, at once. */
  void answer(ClientAnswer answer);

  /** The head of an answer whose body follows in pieces. */
  void head(int status, List<ClientAnswer.Header> headers, String contentType);

  /** A piece of the body, sent at once (not held in a buffer); {@code written} runs when the client has taken it. */
  void write(ByteBuffer piece, Written written);

  /** The body is complete. */
  void end();

  /** The answer under way will not complete: cut the connection so the client can tell. */
  void abort(Throwable why);

  /** Whether any byte of the answer has been sent: a failure then can only cut the connection. */
  boolean isCommitted();

  /**
   * Runs {@code step} where this request's work belongs: the event loop of its connection, so that
   * a request that waited on another thread (credentials loading, an issuer's keys) sends its call
   * on that loop's pooled connections and both legs stay on one thread. Inline by default.
   */
  default void resume(Runnable step) {
    step.run();
  }

  /** Called once a piece is taken or failed to be. */
  interface Written {
    void succeeded();

    void failed(Throwable failure);
  }
}

package dev.lambdaproxy.testing;

/** A fake function: answers one verified {@link Invocation}. May block; runs on a server thread. */
@FunctionalInterface
public interface LambdaHandler {

  /**
   * Answers {@code invocation}. An exception becomes an {@code Unhandled} function error naming
   * its class, as Lambda reports a function that threw.
   */
  LambdaReply handle(Invocation invocation) throws Exception;
}

package dev.lambdaproxy.reliability;

import dev.lambdaproxy.config.ServerOptions;

/** {@link BoundedAnswersContract} against the jar's event-loop engine (Netty), with its access log. */
class BoundedAnswersEventLoopIT extends BoundedAnswersJarIT {

  @Override
  ServerOptions.Engine engine() {
    return ServerOptions.Engine.EVENTLOOP;
  }
}

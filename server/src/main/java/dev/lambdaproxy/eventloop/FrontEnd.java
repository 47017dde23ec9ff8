package dev.lambdaproxy.eventloop;

import dev.lambdaproxy.pipeline.Pipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What every client connection of one server shares: the pipeline, the open connections, the exchanges in flight, the drain. */
final class FrontEnd {

  private static final Logger LOG = LoggerFactory.getLogger(EventLoopServer.class);

  private final Pipeline pipeline;
  private final long idleTimeoutMillis;
  private final ChannelGroup connections = new DefaultChannelGroup("lambda-proxy-clients", GlobalEventExecutor.INSTANCE);
  private final Object lock = new Object();
  private int inFlight;
  private volatile boolean draining;

  FrontEnd(Pipeline pipeline, long idleTimeoutMillis) {
    this.pipeline = pipeline;
    this.idleTimeoutMillis = idleTimeoutMillis;
  }

  Pipeline pipeline() {
    return pipeline;
  }

  long idleTimeoutMillis() {
    return idleTimeoutMillis;
  }

  ChannelGroup connections() {
    return connections;
  }

  Logger log() {
    return LOG;
  }

  boolean draining() {
    return draining;
  }

  void startDraining() {
    draining = true;
  }

  void started() {
    synchronized (lock) {
      inFlight++;
    }
  }

  void finished() {
    synchronized (lock) {
      inFlight--;
      if (inFlight <= 0) {
        lock.notifyAll();
      }
    }
  }

  /** Waits until no exchange is in flight, at most {@code millis}; false when some still were. */
  boolean awaitNoneInFlight(long millis) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000;
    synchronized (lock) {
      while (inFlight > 0) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          return false;
        }
        lock.wait(left);
      }
      return true;
    }
  }
}

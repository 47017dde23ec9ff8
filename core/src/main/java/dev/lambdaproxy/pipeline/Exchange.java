package dev.lambdaproxy.pipeline;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What is measured about one request on its way through (times, bytes, what went wrong): the
 * one mutable object a request owns; what was decided for it is in {@link Routed}. Written by
 * the stage running at the time; the fields a timer thread reads are volatile.
 */
public final class Exchange {

  final long startNanos;
  volatile long upstreamStartNanos = -1;
  long upstreamNanos = -1;
  long bytesReceived;
  volatile long bytesSent;
  volatile String errorKind;
  volatile String lambdaRequestId;
  /** The X-Ray trace the request was given, for the access log; null when tracing is off. */
  volatile dev.lambdaproxy.frontdoor.Trace trace;
  private final AtomicBoolean finished = new AtomicBoolean();

  public Exchange(long startNanos) {
    this.startNanos = startNanos;
  }

  void upstreamStarted() {
    upstreamStartNanos = System.nanoTime();
  }

  void upstreamEnded() {
    if (upstreamStartNanos >= 0 && upstreamNanos < 0) {
      upstreamNanos = System.nanoTime() - upstreamStartNanos;
    }
  }

  /** True the first time only: a request is counted and logged once, whichever way it ended. */
  boolean finish() {
    return finished.compareAndSet(false, true);
  }

  boolean isFinished() {
    return finished.get();
  }

  public String errorKind() {
    return errorKind;
  }

  void failedWith(String kind) {
    if (errorKind == null) {
      errorKind = kind;
    }
  }
}

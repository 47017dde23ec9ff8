package dev.lambdaproxy.servlet;

import dev.lambdaproxy.sigv4.PayloadHash;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a client's body without blocking a thread, hashing it as it arrives, and stops at the
 * size limit: no more than the limit is ever buffered. The bytes stay in the arrays they were read
 * into, which become the proxy request's content without a copy.
 */
final class ClientBody implements ReadListener {

  /** What happens when the body is read, too large, or fails. Called once. */
  interface Listener {
    void onBody(List<ByteBuffer> chunks, String sha256Hex);

    void onTooLarge();

    void onFailure(Throwable failure);
  }

  private static final int FIRST_CHUNK = 8 * 1024;
  private static final int LARGEST_CHUNK = 1024 * 1024;

  private final ServletInputStream clientInput;
  private final long limit;
  private final long contentLength;
  private final Listener listener;
  private final PayloadHash.Incremental hash = PayloadHash.incremental();
  private final List<ByteBuffer> chunks = new ArrayList<>(2);
  private byte[] current;
  private int used;
  private long total;
  private boolean done;

  ClientBody(ServletInputStream clientInput, long contentLength, long limit, Listener listener) {
    this.clientInput = clientInput;
    this.contentLength = contentLength;
    this.limit = limit;
    this.listener = listener;
  }

  /** Starts reading; the listener is called from a container thread. */
  void start() {
    clientInput.setReadListener(this);
  }

  @Override
  public void onDataAvailable() throws IOException {
    while (!done && clientInput.isReady()) {
      if (current == null || used == current.length) {
        nextChunk();
      }
      int read = clientInput.read(current, used, current.length - used);
      if (read < 0) {
        return; // onAllDataRead follows
      }
      hash.update(current, used, read);
      used += read;
      total += read;
      if (total > limit) {
        done = true;
        listener.onTooLarge();
        return;
      }
    }
  }

  private void nextChunk() {
    if (current != null) {
      chunks.add(ByteBuffer.wrap(current, 0, used));
    }
    current = new byte[nextChunkSize(contentLength, total, current == null ? 0 : current.length, limit)];
    used = 0;
  }

  /**
   * How large the next array is. The first holds the whole declared body; once the declared length
   * is in, the next read only finds the end, so it gets one byte: a second body-sized array per
   * request is what the benchmark found (2.0 x a 1 MiB payload allocated per request, 1.0 x after).
   * Without a length, arrays double from 8 KiB up to 1 MiB. Never more than one byte past the limit,
   * which tells "too large" from "exactly the limit".
   */
  static int nextChunkSize(long contentLength, long total, int previousLength, long limit) {
    long remaining = limit + 1 - total;
    long size;
    if (contentLength > 0) {
      size = total < contentLength ? contentLength - total : 1;
    } else {
      size = previousLength == 0 ? FIRST_CHUNK : Math.min((long) previousLength * 2, LARGEST_CHUNK);
    }
    return (int) Math.max(1, Math.min(size, remaining));
  }

  @Override
  public void onAllDataRead() {
    if (done) {
      return;
    }
    done = true;
    if (current != null && used > 0) {
      chunks.add(ByteBuffer.wrap(current, 0, used));
    }
    listener.onBody(chunks, hash.hex());
  }

  @Override
  public void onError(Throwable failure) {
    if (done) {
      return;
    }
    done = true;
    listener.onFailure(failure);
  }
}

package dev.lambdaproxy.eventloop;

import dev.lambdaproxy.pipeline.RequestBody;
import dev.lambdaproxy.sigv4.PayloadHash;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A client's body, copied out of Netty's pooled buffers into arrays of the proxy's own (which become
 * the call's content without another copy) and hashed as it arrives; never more than the limit.
 */
final class BodyReader {

  private static final int FIRST_CHUNK = 8 * 1024;
  private static final int LARGEST_CHUNK = 1024 * 1024;

  private final long limit;
  private final long declaredLength;
  private final PayloadHash.Incremental hash = PayloadHash.incremental();
  private final List<ByteBuffer> chunks = new ArrayList<>(2);
  private byte[] current;
  private int used;
  private long total;

  BodyReader(long declaredLength, long limit) {
    this.declaredLength = declaredLength;
    this.limit = limit;
  }

  /** Copies {@code content} (the caller releases it); false, with nothing copied, when it takes the body past the limit. */
  boolean add(ByteBuf content) {
    int readable = content.readableBytes();
    if (total + readable > limit) {
      return false;
    }
    int at = content.readerIndex();
    while (readable > 0) {
      if (current == null || used == current.length) {
        nextChunk();
      }
      int length = Math.min(readable, current.length - used);
      content.getBytes(at, current, used, length);
      hash.update(current, used, length);
      used += length;
      at += length;
      total += length;
      readable -= length;
    }
    return true;
  }

  RequestBody finish() {
    if (current != null && used > 0) {
      chunks.add(ByteBuffer.wrap(current, 0, used));
      current = null;
    }
    return total == 0 ? RequestBody.EMPTY : new RequestBody(chunks, hash.hex());
  }

  /** The declared body in one array; without a length, arrays doubling from 8 KiB to 1 MiB, never past the limit. */
  private void nextChunk() {
    if (current != null) {
      chunks.add(ByteBuffer.wrap(current, 0, used));
    }
    long size;
    if (declaredLength > total) {
      size = declaredLength - total;
    } else {
      size = current == null ? FIRST_CHUNK : Math.min((long) current.length * 2, LARGEST_CHUNK);
    }
    current = new byte[(int) Math.max(1, Math.min(size, limit - total))];
    used = 0;
  }
}

package dev.lambdaproxy.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lambdaproxy.sigv4.PayloadHash;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClientBodyTest {

  private static final long LIMIT = 6 * 1024 * 1024;

  @Test
  void aDeclaredBodyIsReadIntoOneArrayAndTheEndIntoOneByte() {
    assertEquals(1_048_576, ClientBody.nextChunkSize(1_048_576, 0, 0, LIMIT));
    // all declared bytes are in: the read that finds the end needs no second body-sized array
    assertEquals(1, ClientBody.nextChunkSize(1_048_576, 1_048_576, 1_048_576, LIMIT));
    // a container that delivered less than declared so far: the rest, no more
    assertEquals(48_576, ClientBody.nextChunkSize(1_048_576, 1_000_000, 1_000_000, LIMIT));
  }

  @Test
  void anUndeclaredBodyGrowsFrom8KiBTo1MiB() {
    assertEquals(8 * 1024, ClientBody.nextChunkSize(-1, 0, 0, LIMIT));
    assertEquals(16 * 1024, ClientBody.nextChunkSize(-1, 8 * 1024, 8 * 1024, LIMIT));
    assertEquals(1024 * 1024, ClientBody.nextChunkSize(-1, 3 * 1024 * 1024, 1024 * 1024, LIMIT));
  }

  @Test
  void neverMoreThanOneBytePastTheLimit() {
    assertEquals(101, ClientBody.nextChunkSize(10_000, 0, 0, 100));
    assertEquals(1, ClientBody.nextChunkSize(-1, 100, 64, 100));
  }

  @Test
  void readsEveryByteAndHashesThem() {
    for (int size : new int[] {0, 1, 8191, 8192, 8193, 1 << 20}) {
      byte[] body = new byte[size];
      new Random(size).nextBytes(body);
      for (boolean declared : new boolean[] {true, false}) {
        Result result = read(body, declared ? size : -1, 1000, LIMIT);
        assertArrayEquals(body, result.bytes, size + " bytes, declared " + declared);
        assertEquals(PayloadHash.sha256Hex(body, 0, body.length), result.sha256, size + " bytes, declared " + declared);
      }
    }
  }

  @Test
  void aBodyPastTheLimitIsRefusedWithoutBufferingMore() {
    byte[] body = new byte[5000];
    Result result = read(body, -1, 700, 4096);
    assertEquals(true, result.tooLarge);
  }

  private record Result(byte[] bytes, String sha256, boolean tooLarge) {}

  /** Feeds BODY to a ClientBody as a container would, up to PIECE bytes per read. */
  private static Result read(byte[] body, long contentLength, int piece, long limit) {
    ScriptedInput input = new ScriptedInput(body, piece);
    List<Object> outcome = new ArrayList<>();
    ClientBody clientBody = new ClientBody(input, contentLength, limit, new ClientBody.Listener() {
      @Override
      public void onBody(List<ByteBuffer> chunks, String sha256Hex) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (ByteBuffer chunk : chunks) {
          all.write(chunk.array(), chunk.arrayOffset() + chunk.position(), chunk.remaining());
        }
        outcome.add(new Result(all.toByteArray(), sha256Hex, false));
      }

      @Override
      public void onTooLarge() {
        outcome.add(new Result(null, null, true));
      }

      @Override
      public void onFailure(Throwable failure) {
        throw new AssertionError(failure);
      }
    });
    clientBody.start();
    input.run();
    assertEquals(1, outcome.size());
    return (Result) outcome.get(0);
  }

  /** A ServletInputStream that is always ready and hands out at most PIECE bytes per read, then -1. */
  private static final class ScriptedInput extends ServletInputStream {
    private final byte[] body;
    private final int piece;
    private int position;
    private boolean eof;
    private ReadListener listener;

    ScriptedInput(byte[] body, int piece) {
      this.body = body;
      this.piece = piece;
    }

    void run() {
      try {
        listener.onDataAvailable();
        if (eof) {
          listener.onAllDataRead();
        }
      } catch (java.io.IOException e) {
        throw new AssertionError(e);
      }
    }

    @Override
    public boolean isFinished() {
      return eof;
    }

    @Override
    public boolean isReady() {
      return !eof;
    }

    @Override
    public void setReadListener(ReadListener readListener) {
      this.listener = readListener;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
      if (position == body.length) {
        eof = true;
        return -1;
      }
      int count = Math.min(Math.min(length, piece), body.length - position);
      System.arraycopy(body, position, buffer, offset, count);
      position += count;
      return count;
    }
  }
}

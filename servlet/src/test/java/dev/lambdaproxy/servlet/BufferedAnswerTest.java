package dev.lambdaproxy.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lambdaproxy.pipeline.Upstream;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** How JettyUpstream gathers a buffered answer: one array sized by its Content-Length, capped at Lambda's limit. */
class BufferedAnswerTest {

  private static byte[] bytes(int size) {
    byte[] body = new byte[size];
    new Random(size).nextBytes(body);
    return body;
  }

  /** Appends BODY in pieces of PIECE bytes, as Jetty's client hands them over. */
  private static JettyUpstream.BufferingListener receive(byte[] body, int piece, long declaredLength) {
    JettyUpstream.BufferingListener exchange = new JettyUpstream.BufferingListener(new CompletableFuture<>());
    for (int offset = 0; offset < body.length; offset += piece) {
      assertTrue(exchange.append(ByteBuffer.wrap(body, offset, Math.min(piece, body.length - offset)), declaredLength));
    }
    return exchange;
  }

  @Test
  void anAnswerWithAContentLengthIsKeptInOneArrayHandedOnWithoutACopy() {
    byte[] body = bytes(3 * 1024 * 1024 + 17);
    JettyUpstream.BufferingListener exchange = receive(body, 16 * 1024, body.length);
    byte[] received = exchange.body();
    assertArrayEquals(body, received);
    assertSame(received, exchange.body(), "no copy when the declared length was right");
  }

  @Test
  void anAnswerWithoutOneGrowsAndComesOutWhole() {
    for (int size : new int[] {0, 1, 255, 256, 257, 100_000}) {
      byte[] body = bytes(size);
      assertArrayEquals(body, receive(body, 7_000, -1).body(), size + " bytes");
    }
  }

  @Test
  void aWrongContentLengthChangesNothingButTheSizing() {
    byte[] body = bytes(50_000);
    assertArrayEquals(body, receive(body, 4096, 10).body(), "declared too small");
    assertArrayEquals(body, receive(body, 4096, 80_000).body(), "declared too large");
  }

  @Test
  void anAnswerPastLambdasLimitIsRefusedEvenWhenItsLengthWasDeclaredSmall() {
    JettyUpstream.BufferingListener exchange = new JettyUpstream.BufferingListener(new CompletableFuture<>());
    byte[] piece = new byte[1024 * 1024];
    int pieces = 0;
    while (exchange.append(ByteBuffer.wrap(piece), 100)) {
      pieces++;
    }
    assertEquals(Upstream.MAX_BUFFERED_ANSWER_BYTES / piece.length, pieces);
    assertFalse(exchange.append(ByteBuffer.wrap(piece), 100));
  }
}

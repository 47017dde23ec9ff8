package dev.lambdaproxy.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ExchangeTest {

  private static byte[] bytes(int size) {
    byte[] body = new byte[size];
    new Random(size).nextBytes(body);
    return body;
  }

  /** Appends BODY in pieces of PIECE bytes, as Jetty's client hands them over. */
  private static Exchange receive(byte[] body, int piece, long declaredLength) {
    Exchange exchange = new Exchange(0);
    for (int offset = 0; offset < body.length; offset += piece) {
      assertTrue(exchange.appendServerContent(body, offset, Math.min(piece, body.length - offset), declaredLength));
    }
    return exchange;
  }

  @Test
  void anAnswerWithAContentLengthIsKeptInOneArrayHandedOnWithoutACopy() {
    byte[] body = bytes(3 * 1024 * 1024 + 17);
    Exchange exchange = receive(body, 16 * 1024, body.length);
    byte[] received = exchange.serverBody();
    assertArrayEquals(body, received);
    assertSame(received, exchange.serverBody(), "no copy when the declared length was right");
  }

  @Test
  void anAnswerWithoutOneGrowsAndComesOutWhole() {
    for (int size : new int[] {0, 1, 255, 256, 257, 100_000}) {
      byte[] body = bytes(size);
      assertArrayEquals(body, receive(body, 7_000, -1).serverBody(), size + " bytes");
    }
  }

  @Test
  void aWrongContentLengthChangesNothingButTheSizing() {
    byte[] body = bytes(50_000);
    assertArrayEquals(body, receive(body, 4096, 10).serverBody(), "declared too small");
    assertArrayEquals(body, receive(body, 4096, 80_000).serverBody(), "declared too large");
  }

  @Test
  void anAnswerPastLambdasLimitIsRefusedEvenWhenItsLengthWasDeclaredSmall() {
    Exchange exchange = new Exchange(0);
    byte[] piece = new byte[1024 * 1024];
    int pieces = 0;
    while (exchange.appendServerContent(piece, 0, piece.length, 100)) {
      pieces++;
    }
    assertEquals(Exchange.MAX_SERVER_RESPONSE_BYTES / piece.length, pieces);
    assertFalse(exchange.appendServerContent(piece, 0, piece.length, 100));
  }
}

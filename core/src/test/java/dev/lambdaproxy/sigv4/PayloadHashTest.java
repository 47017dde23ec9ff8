package dev.lambdaproxy.sigv4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PayloadHashTest {

  @ParameterizedTest(name = "sha256(\"{0}\")")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      ""            | e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
      abc           | ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
      Param1=value1 | 9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e
      """)
  void oneShotHashMatchesKnownVectors(String text, String expected) {
    assertEquals(expected, PayloadHash.sha256Hex(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void emptyConstantIsTheHashOfNothing() {
    assertEquals(PayloadHash.EMPTY_SHA256, PayloadHash.incremental().hex());
    assertEquals(PayloadHash.EMPTY_SHA256, PayloadHash.sha256Hex(new byte[10], 3, 0));
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 1, 63, 64, 65, 1000, 100_000})
  void streamedHashEqualsOneShotHashWhateverTheChunks(int size) {
    Random random = new Random(size);
    byte[] body = new byte[size + 20];
    random.nextBytes(body);
    String expected = PayloadHash.sha256Hex(body, 10, size);

    PayloadHash.Incremental arrays = PayloadHash.incremental();
    PayloadHash.Incremental heapBuffers = PayloadHash.incremental();
    PayloadHash.Incremental directBuffers = PayloadHash.incremental();
    int offset = 10;
    while (offset < 10 + size) {
      int chunk = Math.min(1 + random.nextInt(5000), 10 + size - offset);
      arrays.update(body, offset, chunk);
      heapBuffers.update(ByteBuffer.wrap(body, offset, chunk));
      ByteBuffer direct = ByteBuffer.allocateDirect(chunk).put(body, offset, chunk).flip();
      directBuffers.update(direct);
      assertEquals(0, direct.remaining(), "buffer consumed");
      offset += chunk;
    }
    assertEquals(expected, arrays.hex());
    assertEquals(expected, heapBuffers.hex());
    assertEquals(expected, directBuffers.hex());
    assertEquals(size, arrays.length());
  }

  @Test
  void hexIsFinalAndStable() {
    PayloadHash.Incremental hash = PayloadHash.incremental().update(new byte[] {1, 2, 3}, 0, 3);
    String hex = hash.hex();
    assertEquals(hex, hash.hex());
    assertThrows(IllegalStateException.class, () -> hash.update(new byte[1], 0, 1));
  }

  @Test
  void outOfRangeSlicesAreRejected() {
    assertThrows(IndexOutOfBoundsException.class, () -> PayloadHash.sha256Hex(new byte[4], 2, 3));
    assertThrows(IndexOutOfBoundsException.class,
        () -> PayloadHash.incremental().update(new byte[4], -1, 2));
  }
}

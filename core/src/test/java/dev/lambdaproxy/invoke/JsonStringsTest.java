package dev.lambdaproxy.invoke;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** JsonStrings against Jackson, the reading it replaces: the same bytes, or null and Jackson decides. */
class JsonStringsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** What the Jackson path answered for a raw string: the text's UTF-8 bytes; null when it was not one string. */
  private static byte[] jackson(byte[] payload) {
    try {
      JsonNode node = JSON.readTree(payload);
      return node != null && node.isTextual() ? node.textValue().getBytes(StandardCharsets.UTF_8) : null;
    } catch (java.io.IOException e) {
      return null;
    }
  }

  @Test
  void decodesEveryEscapeAsJacksonDoes() {
    for (String json : List.of("\"\"", "\"plain\"", " \r\n\t\"padded\" \n", "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"",
        "\"\\u00e9\\u20AC\\u0000\\u001f\"", "\"\\ud83d\\ude00 smile\"", "\"é € 😀 raw\"", "\"a\\nb\\u0041c\"")) {
      byte[] payload = utf8(json);
      byte[] ours = JsonStrings.unquote(payload);
      assertArrayEquals(jackson(payload), ours, json);
    }
  }

  @Test
  void leavesToJacksonWhatItDoesNotDecodeExactly() {
    for (String json : List.of("\"a\" trailing", "\"a\"\"b\"", "\"unterminated", "\"bad \\x escape\"", "\"\\u12\"",
        "\"lone \\ud83d high\"", "\"lone \\ude00 low\"", "\"tab\tinside\"", "42", "{\"a\":\"b\"}", "", "   ", "\"\\")) {
      assertNull(JsonStrings.unquote(utf8(json)), json);
    }
    // bytes that are not well-formed UTF-8: overlong, surrogate, past U+10FFFF, cut short, stray continuation
    for (byte[] inside : new byte[][] {{(byte) 0xc0, (byte) 0xaf}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
        {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xe2, (byte) 0x82}, {(byte) 0x80}}) {
      byte[] payload = new byte[inside.length + 2];
      payload[0] = '"';
      System.arraycopy(inside, 0, payload, 1, inside.length);
      payload[payload.length - 1] = '"';
      assertNull(JsonStrings.unquote(payload));
    }
  }

  @Test
  void agreesWithJacksonOnRandomStringsAndRandomDamage() {
    Random random = new Random(20261122);
    int decodedByUs = 0;
    for (int round = 0; round < 20_000; round++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(40);
      for (int k = 0; k < length; k++) {
        int kind = random.nextInt(6);
        text.appendCodePoint(switch (kind) {
          case 0 -> random.nextInt(0x20); // control characters: escaped by the writer
          case 1 -> "\"\\/".charAt(random.nextInt(3));
          case 2 -> 0x80 + random.nextInt(0x780);
          case 3 -> 0x800 + random.nextInt(0xd000 - 0x800);
          case 4 -> 0x10000 + random.nextInt(0x10ffff - 0x10000);
          default -> 0x20 + random.nextInt(0x5f);
        });
      }
      byte[] payload;
      try {
        payload = JSON.writeValueAsBytes(text.toString());
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new AssertionError(e);
      }
      if (random.nextInt(4) == 0) {
        // \\uXXXX forms of some characters, as other writers emit them
        payload = utf8(new String(payload, StandardCharsets.UTF_8).replace("é", "\\u00e9").replace("/", "\\/"));
      }
      if (random.nextInt(3) == 0 && payload.length > 2) {
        payload[1 + random.nextInt(payload.length - 2)] = (byte) random.nextInt(256); // damage one byte inside
      }
      byte[] tried = payload;
      byte[] ours = JsonStrings.unquote(tried);
      if (ours != null) {
        decodedByUs++;
        assertArrayEquals(jackson(tried), ours, () -> "payload " + new String(tried, StandardCharsets.ISO_8859_1));
      }
    }
    assertTrue(decodedByUs > 12_000, "the fast path took " + decodedByUs + " of 20000");
  }
}

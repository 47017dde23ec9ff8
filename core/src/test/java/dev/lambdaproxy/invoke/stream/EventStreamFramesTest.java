package dev.lambdaproxy.invoke.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;
import software.amazon.eventstream.MessageDecoder;

class EventStreamFramesTest {

  @Test
  void anHttpStreamIsPreludeAndBodyInPayloadChunksThenInvokeCompleteAsAwsLibraryReadsIt() {
    byte[] body = "hello, world".getBytes(StandardCharsets.UTF_8);
    byte[] stream = EventStreamFrames.httpStream(404, Map.of("content-type", "text/plain"), List.of("a=1"), body, 5);
    List<Message> messages = new ArrayList<>();
    new MessageDecoder(messages::add).feed(stream);

    StringBuilder output = new StringBuilder();
    for (Message message : messages.subList(0, messages.size() - 1)) {
      assertEquals("PayloadChunk", message.getHeaders().get(":event-type").getString());
      assertEquals("event", message.getHeaders().get(":message-type").getString());
      assertTrue(message.getPayload().length <= 5);
      output.append(new String(message.getPayload(), StandardCharsets.ISO_8859_1));
    }
    assertEquals("{\"statusCode\":404,\"headers\":{\"content-type\":\"text/plain\"},\"cookies\":[\"a=1\"]}\0\0\0\0\0\0\0\0hello, world",
        output.toString());
    Message last = messages.get(messages.size() - 1);
    assertEquals("InvokeComplete", last.getHeaders().get(":event-type").getString());
    assertEquals("{}", new String(last.getPayload(), StandardCharsets.UTF_8));
  }

  @Test
  void headersTheLibraryCannotEncodeAreRefusedRatherThanSentCorrupt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EventStreamFrames.message(Map.of("b", HeaderValue.fromByte((byte) 1)), new byte[0]));
    assertTrue(e.getMessage().contains("write such frames by hand"), e.getMessage());
    assertEquals(EventStreamDecoder.MIN_MESSAGE_BYTES, ByteBuffer.wrap(EventStreamFrames.message(Map.of(), new byte[0])).remaining());
  }
}

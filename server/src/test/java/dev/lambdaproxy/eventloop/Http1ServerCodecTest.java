package dev.lambdaproxy.eventloop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Http1ServerCodecTest {

  private static List<Object> decode(String... pieces) {
    EmbeddedChannel channel = new EmbeddedChannel(new Http1ServerCodec());
    for (String piece : pieces) {
      channel.writeInbound(Unpooled.copiedBuffer(piece, StandardCharsets.ISO_8859_1));
    }
    List<Object> out = new ArrayList<>();
    for (Object message; (message = channel.readInbound()) != null; ) {
      out.add(message);
    }
    channel.finishAndReleaseAll();
    return out;
  }

  @Test
  void anObsFoldLineMakesTheRequestInvalidAndNothingAfterItIsDecoded() {
    List<Object> out = decode("POST /echo HTTP/1.1\r\nHost: a\r\nX-A: 1\r\n Transfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n{}"
        + "GET /hidden HTTP/1.1\r\nHost: a\r\n\r\n");
    assertEquals(1, out.size(), out.toString());
    assertTrue(((HttpRequest) out.get(0)).decoderResult().isFailure());
    out.forEach(ReferenceCountUtil::release);
  }

  @Test
  void anObsFoldSplitAcrossReadsIsFoundToo() {
    List<Object> out = decode("POST /echo HTTP/1.1\r\nHost: a\r\nX-A: 1\r", "\n", "\tmore\r\n\r\n");
    assertTrue(((HttpRequest) out.get(0)).decoderResult().isFailure(), out.toString());
    out.forEach(ReferenceCountUtil::release);
  }

  @Test
  void aBodyStartingWithASpaceAndPipelinedRequestsPass() {
    List<Object> out = decode("POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\n x\r\n",
        "GET /b HTTP/1.1\r\nHost: a\r\n\r\nGET /c HTTP/1.1\r\n", "Host: a\r\n\r\n");
    List<String> uris = new ArrayList<>();
    for (Object message : out) {
      if (message instanceof HttpRequest request) {
        assertTrue(request.decoderResult().isSuccess(), request.toString());
        uris.add(request.uri());
      }
      ReferenceCountUtil.release(message);
    }
    assertEquals(List.of("/a", "/b", "/c"), uris);
    assertTrue(out.get(out.size() - 1) instanceof LastHttpContent);
  }

  @Test
  void pathsAreDecodedAndNormalizedOrRefused() throws Exception {
    assertEquals("/users/caf\u00e9", RequestTarget.parse("/users/x/../caf%C3%A9?a=1").path());
    assertEquals("a=1", RequestTarget.parse("/x?a=1").rawQuery());
    assertEquals("/exact", RequestTarget.parse("http://evil.example/exact").path());
    assertEquals("/exact", RequestTarget.parse("/exact;p=1").path());
    assertNull(RequestTarget.normalize("/users/a%2Fb"));
    assertNull(RequestTarget.normalize("/../exact"));
    assertNull(RequestTarget.normalize("/%2e%2e/exact"));
    assertNull(RequestTarget.normalize("//exact"));
  }
}

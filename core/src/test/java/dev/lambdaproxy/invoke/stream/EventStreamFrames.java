package dev.lambdaproxy.invoke.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

/**
 * Builds InvokeWithResponseStream bodies the way Lambda frames them, encoded by AWS's own
 * {@code software.amazon.eventstream} library so that our decoder is checked against an independent
 * encoder. A fake Lambda serves {@link #stream} or {@link #httpStream} with Content-Type
 * {@value #EVENT_STREAM}.
 */
public final class EventStreamFrames {

  public static final String EVENT_STREAM = "application/vnd.amazon.eventstream";
  public static final String HTTP_INTEGRATION = LambdaStreamDecoder.HTTP_INTEGRATION_RESPONSE;

  private static final ObjectMapper JSON = new ObjectMapper();

  private EventStreamFrames() {}

  /**
   * One message with these headers (in order) and payload. Byte and short headers are refused:
   * version 1.0.1 of the library writes no value bytes for them, so it cannot read back its own output.
   */
  public static byte[] message(Map<String, HeaderValue> headers, byte[] payload) {
    Message message = new Message(headers, payload);
    ByteBuffer encoded = message.toByteBuffer();
    byte[] bytes = new byte[encoded.remaining()];
    encoded.get(bytes);
    try {
      if (message.equals(Message.decode(ByteBuffer.wrap(bytes)))) {
        return bytes;
      }
    } catch (RuntimeException e) {
      // Falls through to the explanation below.
    }
    throw new IllegalArgumentException("software.amazon.eventstream cannot encode " + headers.keySet()
        + " faithfully (1.0.1 drops the value of byte and short headers); write such frames by hand");
  }

  /** An {@code event} message of this {@code :event-type}. */
  public static byte[] event(String eventType, String contentType, byte[] payload) {
    Map<String, HeaderValue> headers = new LinkedHashMap<>();
    headers.put(":event-type", HeaderValue.fromString(eventType));
    headers.put(":content-type", HeaderValue.fromString(contentType));
    headers.put(":message-type", HeaderValue.fromString("event"));
    return message(headers, payload);
  }

  /** A {@code PayloadChunk} event: raw bytes of the function's output. */
  public static byte[] payloadChunk(byte[] output) {
    return event("PayloadChunk", "application/octet-stream", output);
  }

  public static byte[] payloadChunk(String output) {
    return payloadChunk(output.getBytes(StandardCharsets.UTF_8));
  }

  /** An {@code InvokeComplete} event; null arguments are left out of its JSON. */
  public static byte[] invokeComplete(String errorCode, String errorDetails) {
    return invokeComplete(errorCode, errorDetails, null);
  }

  public static byte[] invokeComplete(String errorCode, String errorDetails, String logResult) {
    ObjectNode complete = JSON.createObjectNode();
    putIfSet(complete, "ErrorCode", errorCode);
    putIfSet(complete, "ErrorDetails", errorDetails);
    putIfSet(complete, "LogResult", logResult);
    return event("InvokeComplete", "application/json", complete.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** An {@code exception} message, as Lambda ends a stream with a modeled error. */
  public static byte[] exception(String exceptionType, String message) {
    Map<String, HeaderValue> headers = new LinkedHashMap<>();
    headers.put(":exception-type", HeaderValue.fromString(exceptionType));
    headers.put(":content-type", HeaderValue.fromString("application/json"));
    headers.put(":message-type", HeaderValue.fromString("exception"));
    ObjectNode payload = JSON.createObjectNode();
    putIfSet(payload, "message", message);
    return message(headers, payload.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** An {@code error} message: an unmodeled error, described only in headers. */
  public static byte[] error(String errorCode, String errorMessage) {
    Map<String, HeaderValue> headers = new LinkedHashMap<>();
    headers.put(":message-type", HeaderValue.fromString("error"));
    headers.put(":error-code", HeaderValue.fromString(errorCode));
    headers.put(":error-message", HeaderValue.fromString(errorMessage));
    return message(headers, new byte[0]);
  }

  /**
   * The function's output that {@code awslambda.HttpResponseStream.from(stream, metadata)} starts with:
   * the metadata as JSON, then 8 NUL bytes. Wrap it (and the body after it) in {@link #payloadChunk}s.
   */
  public static byte[] httpPrelude(int statusCode, Map<String, String> headers, List<String> cookies) {
    ObjectNode metadata = JSON.createObjectNode();
    metadata.put("statusCode", statusCode);
    if (headers != null) {
      ObjectNode headerObject = metadata.putObject("headers");
      headers.forEach(headerObject::put);
    }
    if (cookies != null) {
      ArrayNode cookieArray = metadata.putArray("cookies");
      cookies.forEach(cookieArray::add);
    }
    return concat(metadata.toString().getBytes(StandardCharsets.UTF_8), new byte[LambdaStreamDecoder.HTTP_PRELUDE_DELIMITER_BYTES]);
  }

  /** A whole successful stream: {@code output} in PayloadChunks of at most {@code chunkBytes}, then InvokeComplete. */
  public static byte[] stream(byte[] output, int chunkBytes) {
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    for (int at = 0; at < output.length; at += chunkBytes) {
      stream.writeBytes(payloadChunk(Arrays.copyOfRange(output, at, Math.min(output.length, at + chunkBytes))));
    }
    stream.writeBytes(invokeComplete(null, null));
    return stream.toByteArray();
  }

  /** A whole successful stream of an HTTP integration response: prelude and body, chunked as in {@link #stream}. */
  public static byte[] httpStream(int statusCode, Map<String, String> headers, List<String> cookies, byte[] body, int chunkBytes) {
    return stream(concat(httpPrelude(statusCode, headers, cookies), body), chunkBytes);
  }

  public static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      joined.writeBytes(part);
    }
    return joined.toByteArray();
  }

  private static void putIfSet(ObjectNode object, String field, String value) {
    if (value != null) {
      object.put(field, value);
    }
  }
}

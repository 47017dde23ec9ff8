package dev.lambdaproxy.invoke.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lambdaproxy.invoke.stream.EventStreamException.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns the event stream of Lambda's InvokeWithResponseStream into the function's output: the bytes of
 * each {@code PayloadChunk} event, then the {@code InvokeComplete} event, or an {@code exception} or
 * {@code error} message. Unknown event types (such as an {@code initial-response}) are skipped, as the
 * AWS SDKs do.
 *
 * <p>When the function's output is an HTTP integration response — what
 * {@code awslambda.HttpResponseStream.from(stream, metadata)} writes: a JSON object with
 * {@code statusCode}, {@code headers} and {@code cookies}, then 8 NUL bytes, then the body — the prelude
 * is parsed however it is split across chunks, reported once, and stripped from the body. Whether to
 * expect it is the caller's decision, following the AWS front end being imitated: a Function URL looks
 * for it only when the function declared the content type
 * {@value #HTTP_INTEGRATION_RESPONSE} (see {@link #forContentType}); API Gateway's streaming Lambda
 * proxy integration requires it always. Neither guesses from the bytes, and neither does this class:
 * a plain function may well stream JSON followed by NUL bytes.
 *
 * @see <a href="https://docs.aws.amazon.com/lambda/latest/api/API_InvokeWithResponseStream.html">InvokeWithResponseStream</a>
 * @see <a href="https://docs.aws.amazon.com/lambda/latest/dg/configuration-response-streaming.html">Lambda response streaming</a>
 * @see <a href="https://docs.aws.amazon.com/apigateway/latest/developerguide/response-transfer-mode-lambda.html">API Gateway
 *     Lambda proxy integration with response streaming</a>
 */
public final class LambdaStreamDecoder {

  /** The content type {@code HttpResponseStream.from} sets on the function's response stream. */
  public static final String HTTP_INTEGRATION_RESPONSE = "application/vnd.awslambda.http-integration-response";
  /** How long the JSON of an HTTP integration prelude may be. */
  public static final int DEFAULT_MAX_HTTP_PRELUDE_BYTES = 64 * 1024;
  /** The NUL bytes between the prelude and the body. */
  public static final int HTTP_PRELUDE_DELIMITER_BYTES = 8;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int INITIAL_PRELUDE_BUFFER_BYTES = 512;

  /** What the function's stream says, in order: at most one prelude, payload, then complete or error. */
  public interface Listener {
    /**
     * The HTTP integration prelude, before any payload. Called only when a prelude was expected, and
     * not at all when the function ended without writing a byte (the runtime writes the prelude on
     * the first write).
     *
     * @param statusCode the prelude's {@code statusCode}, 200 when it has none
     * @param headers {@code headers} and {@code multiValueHeaders} (which win for the same name), in order
     * @param cookies {@code cookies}, each a {@code Set-Cookie} value
     */
    default void onHttpPrelude(int statusCode, Map<String, List<String>> headers, List<String> cookies) throws IOException {}

    /** Body bytes, never empty; a read-only view valid only until this returns. */
    void onPayload(ByteBuffer body) throws IOException;

    /**
     * The function finished. Each argument is null when InvokeComplete leaves it out.
     *
     * @param errorCode set when the function failed after streaming started
     * @param errorDetails what went wrong
     * @param logResult the last 4 KB of the log, base64, when {@code X-Amz-Log-Type: Tail} was asked
     */
    void onComplete(String errorCode, String errorDetails, String logResult) throws IOException;

    /**
     * Lambda ended the stream with an {@code exception} message ({@code type} is its
     * {@code :exception-type}) or an {@code error} message ({@code type} is its {@code :error-code}).
     * Either argument may be null.
     */
    void onError(String type, String message) throws IOException;
  }

  private enum Prelude { NOT_EXPECTED, JSON, DELIMITER, DONE }

  private final Listener listener;
  private final EventStreamDecoder events;
  private final int maxHttpPreludeBytes;
  private Prelude prelude;
  private byte[] preludeJson;
  private int preludeLength;
  private int delimiterBytes;
  private boolean ended;

  /**
   * @param expectHttpPrelude whether the function's output starts with an HTTP integration prelude
   * @param listener receives the function's output
   */
  public LambdaStreamDecoder(boolean expectHttpPrelude, Listener listener) {
    this(expectHttpPrelude, DEFAULT_MAX_HTTP_PRELUDE_BYTES, EventStreamDecoder.DEFAULT_MAX_MESSAGE_BYTES, listener);
  }

  /**
   * @param expectHttpPrelude whether the function's output starts with an HTTP integration prelude
   * @param maxHttpPreludeBytes the longest prelude JSON accepted, at least 2
   * @param maxMessageBytes the longest event-stream message accepted
   * @param listener receives the function's output
   */
  public LambdaStreamDecoder(boolean expectHttpPrelude, int maxHttpPreludeBytes, int maxMessageBytes, Listener listener) {
    if (maxHttpPreludeBytes < 2) {
      throw new IllegalArgumentException("maxHttpPreludeBytes must be at least 2, was " + maxHttpPreludeBytes);
    }
    this.listener = Objects.requireNonNull(listener, "listener");
    this.maxHttpPreludeBytes = maxHttpPreludeBytes;
    this.events = new EventStreamDecoder(maxMessageBytes, this::onMessage);
    this.prelude = expectHttpPrelude ? Prelude.JSON : Prelude.NOT_EXPECTED;
  }

  /**
   * A decoder that expects an HTTP integration prelude exactly when a Function URL would: when the
   * function's stream content type is {@value #HTTP_INTEGRATION_RESPONSE}.
   *
   * @param responseStreamContentType the function's content type, which InvokeWithResponseStream
   *     returns as {@code ResponseStreamContentType} in the {@code Content-Type} header; may be null
   */
  public static LambdaStreamDecoder forContentType(String responseStreamContentType, Listener listener) {
    return new LambdaStreamDecoder(isHttpIntegrationResponse(responseStreamContentType), listener);
  }

  /** Whether {@code contentType} is {@value #HTTP_INTEGRATION_RESPONSE}, ignoring case and parameters. */
  public static boolean isHttpIntegrationResponse(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
    return mediaType.equalsIgnoreCase(HTTP_INTEGRATION_RESPONSE);
  }

  /**
   * Consumes all of {@code chunk}, calling the listener for everything it completes.
   *
   * @throws EventStreamException when the stream or its content is malformed; the decoder is then unusable
   * @throws IOException whatever the listener threw
   */
  public void feed(ByteBuffer chunk) throws IOException {
    events.feed(chunk);
  }

  /**
   * Says the response body has ended.
   *
   * @throws EventStreamException when it ended inside a message, or before InvokeComplete or an error
   */
  public void endOfStream() throws EventStreamException {
    events.endOfStream();
    if (!ended) {
      throw new EventStreamException(Reason.TRUNCATED, "the stream ended before Lambda's InvokeComplete event");
    }
  }

  /** Whether InvokeComplete, an exception or an error has arrived. */
  public boolean isEnded() {
    return ended;
  }

  /** Bytes held now: an incomplete message and an incomplete prelude. */
  public int bufferedBytes() {
    return events.bufferedBytes() + preludeLength;
  }

  private void onMessage(EventStreamMessage message) throws IOException {
    String messageType = message.stringHeader(":message-type");
    if (ended) {
      throw new EventStreamException(Reason.MALFORMED_EVENT, "a message (" + messageType + ") arrived after the stream's end");
    }
    if ("event".equals(messageType)) {
      onEvent(message);
    } else if ("exception".equals(messageType)) {
      ended = true;
      listener.onError(message.stringHeader(":exception-type"), exceptionMessage(message));
    } else if ("error".equals(messageType)) {
      ended = true;
      listener.onError(message.stringHeader(":error-code"), message.stringHeader(":error-message"));
    } else {
      throw new EventStreamException(Reason.MALFORMED_EVENT,
          "message type " + (messageType == null ? "missing" : "'" + messageType + "'") + "; expected event, exception or error");
    }
  }

  private void onEvent(EventStreamMessage message) throws IOException {
    String eventType = message.stringHeader(":event-type");
    if ("PayloadChunk".equals(eventType)) {
      onPayload(message.payload().duplicate());
    } else if ("InvokeComplete".equals(eventType)) {
      onInvokeComplete(message);
    }
    // Any other event type is one this proxy does not know yet; like the AWS SDKs, skip it.
  }

  private void onPayload(ByteBuffer payload) throws IOException {
    while (payload.hasRemaining() && (prelude == Prelude.JSON || prelude == Prelude.DELIMITER)) {
      if (prelude == Prelude.JSON) {
        // JSON cannot hold a raw NUL (JSON.stringify escapes it), so the first NUL starts the delimiter.
        int nul = indexOfNul(payload);
        appendPreludeJson(payload, (nul < 0 ? payload.limit() : nul) - payload.position());
        if (nul >= 0) {
          prelude = Prelude.DELIMITER;
        }
      } else {
        while (payload.hasRemaining() && delimiterBytes < HTTP_PRELUDE_DELIMITER_BYTES) {
          byte next = payload.get();
          if (next != 0) {
            throw new EventStreamException(Reason.HTTP_PRELUDE, String.format(
                "the HTTP prelude must be followed by %d NUL bytes; found %d, then 0x%02x",
                HTTP_PRELUDE_DELIMITER_BYTES, delimiterBytes, next & 0xff));
          }
          delimiterBytes++;
        }
        if (delimiterBytes == HTTP_PRELUDE_DELIMITER_BYTES) {
          prelude = Prelude.DONE;
          emitHttpPrelude();
        }
      }
    }
    if (payload.hasRemaining()) {
      listener.onPayload(payload);
    }
  }

  private static int indexOfNul(ByteBuffer buffer) {
    for (int i = buffer.position(), end = buffer.limit(); i < end; i++) {
      if (buffer.get(i) == 0) {
        return i;
      }
    }
    return -1;
  }

  private void appendPreludeJson(ByteBuffer payload, int count) throws EventStreamException {
    if (preludeLength + count > maxHttpPreludeBytes) {
      throw new EventStreamException(Reason.HTTP_PRELUDE, "the HTTP prelude is longer than " + maxHttpPreludeBytes
          + " bytes without its " + HTTP_PRELUDE_DELIMITER_BYTES + "-NUL delimiter (is the function writing an HTTP integration response?)");
    }
    if (preludeJson == null || preludeJson.length < preludeLength + count) {
      int size = Math.max(preludeLength + count, preludeJson == null ? INITIAL_PRELUDE_BUFFER_BYTES : 2 * preludeJson.length);
      byte[] grown = new byte[Math.min(size, maxHttpPreludeBytes)];
      if (preludeLength > 0) {
        System.arraycopy(preludeJson, 0, grown, 0, preludeLength);
      }
      preludeJson = grown;
    }
    payload.get(preludeJson, preludeLength, count);
    preludeLength += count;
  }

  private void emitHttpPrelude() throws IOException {
    JsonNode metadata = readJson(preludeJson, preludeLength, Reason.HTTP_PRELUDE, "the HTTP prelude");
    preludeJson = null;
    preludeLength = 0;
    if (metadata == null || !metadata.isObject()) {
      throw new EventStreamException(Reason.HTTP_PRELUDE, "the HTTP prelude is not a JSON object");
    }
    int statusCode = 200;
    JsonNode status = metadata.get("statusCode");
    if (status != null && !status.isNull()) {
      if (!status.isIntegralNumber() || !status.canConvertToInt() || status.intValue() < 200 || status.intValue() > 599) {
        throw new EventStreamException(Reason.HTTP_PRELUDE, "the HTTP prelude's statusCode " + status
            + " is not a final HTTP status (200 to 599)");
      }
      statusCode = status.intValue();
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    JsonNode single = field(metadata, "headers", true);
    for (Iterator<Map.Entry<String, JsonNode>> it = single.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> header = it.next();
      String value = scalar(header.getValue(), "header '" + header.getKey() + "'");
      if (value != null) {
        headers.put(header.getKey(), List.of(value));
      }
    }
    JsonNode multi = field(metadata, "multiValueHeaders", true);
    for (Iterator<Map.Entry<String, JsonNode>> it = multi.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> header = it.next();
      headers.keySet().removeIf(name -> name.equalsIgnoreCase(header.getKey()));
      headers.put(header.getKey(), strings(header.getValue(), "multiValueHeaders '" + header.getKey() + "'"));
    }
    List<String> cookies = strings(field(metadata, "cookies", false), "cookies");
    listener.onHttpPrelude(statusCode, Collections.unmodifiableMap(headers), cookies);
  }

  /** The field as an object (or array), an empty one when absent or null. */
  private static JsonNode field(JsonNode metadata, String name, boolean object) throws EventStreamException {
    JsonNode node = metadata.get(name);
    if (node == null || node.isNull()) {
      return object ? JSON.createObjectNode() : JSON.createArrayNode();
    }
    if (object ? !node.isObject() : !node.isArray()) {
      throw new EventStreamException(Reason.HTTP_PRELUDE,
          "the HTTP prelude's " + name + " must be a JSON " + (object ? "object" : "array") + ", was " + node.getNodeType());
    }
    return node;
  }

  private static List<String> strings(JsonNode array, String what) throws EventStreamException {
    if (!array.isArray()) {
      String value = scalar(array, what);
      return value == null ? List.of() : List.of(value);
    }
    List<String> values = new ArrayList<>(array.size());
    for (JsonNode element : array) {
      String value = scalar(element, what);
      if (value != null) {
        values.add(value);
      }
    }
    return Collections.unmodifiableList(values);
  }

  /** A string, number or boolean as text; null for JSON null. */
  private static String scalar(JsonNode node, String what) throws EventStreamException {
    if (node.isNull()) {
      return null;
    }
    if (!node.isValueNode()) {
      throw new EventStreamException(Reason.HTTP_PRELUDE, "the HTTP prelude's " + what + " must be a string, was " + node.getNodeType());
    }
    return node.asText();
  }

  private void onInvokeComplete(EventStreamMessage message) throws IOException {
    ended = true;
    ByteBuffer payload = message.payload();
    JsonNode complete = null;
    if (payload.hasRemaining()) {
      byte[] json = message.payloadBytes();
      complete = readJson(json, json.length, Reason.MALFORMED_EVENT, "InvokeComplete");
      if (complete != null && !complete.isObject()) {
        throw new EventStreamException(Reason.MALFORMED_EVENT, "InvokeComplete is not a JSON object");
      }
    }
    String errorCode = text(complete, "ErrorCode");
    boolean insidePrelude = prelude == Prelude.JSON && preludeLength > 0 || prelude == Prelude.DELIMITER;
    if (insidePrelude && errorCode == null) {
      // A failed function is reported as such below; a successful one must not cut its own prelude short.
      throw new EventStreamException(Reason.HTTP_PRELUDE, "the function's stream ended inside its HTTP prelude");
    }
    listener.onComplete(errorCode, text(complete, "ErrorDetails"), text(complete, "LogResult"));
  }

  private static String text(JsonNode object, String field) {
    JsonNode value = object == null ? null : object.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    return value.isTextual() ? value.textValue() : value.toString();
  }

  /** The {@code message} of an exception's JSON payload, else the payload as text; null when empty. */
  private static String exceptionMessage(EventStreamMessage message) {
    byte[] payload = message.payloadBytes();
    if (payload.length == 0) {
      return null;
    }
    try {
      JsonNode json = JSON.readTree(payload);
      if (json != null && json.isObject()) {
        String text = text(json, "message");
        return text != null ? text : text(json, "Message");
      }
    } catch (IOException e) {
      // Not JSON: the text itself is the message.
    }
    return new String(payload, StandardCharsets.UTF_8).trim();
  }

  private static JsonNode readJson(byte[] bytes, int length, Reason reason, String what) throws EventStreamException {
    try {
      JsonNode node = JSON.readTree(bytes, 0, length);
      return node == null || node.isMissingNode() ? null : node;
    } catch (JsonProcessingException e) {
      throw new EventStreamException(reason, what + " is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new EventStreamException(reason, what + " could not be read: " + e.getMessage(), e);
    }
  }
}

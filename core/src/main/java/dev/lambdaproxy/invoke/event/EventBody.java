package dev.lambdaproxy.invoke.event;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;

/**
 * How a request body travels in an event: as the text it is, or base64-encoded with
 * {@code isBase64Encoded: true}.
 *
 * <p>A body is text when its bytes are valid UTF-8 and its Content-Type names text: {@code text/*},
 * JSON, XML, form data, JavaScript, YAML, GraphQL, including {@code +json} and {@code +xml} types.
 * Any other type (images, {@code application/octet-stream}, {@code multipart/*}...) goes as base64,
 * as Lambda's Function URLs do ("If the content type of the request is binary, the body is
 * base64-encoded", AWS Lambda Developer Guide, Request and response payloads). A body without
 * Content-Type is text when it is valid UTF-8: API Gateway would base64 it, but clients that forget
 * the header almost always send text, and a handler reading {@code body} as a string then works.
 * Bytes that are not UTF-8 always go as base64 since a JSON string cannot carry them
 * (serverless-java-container reads them back the same way).
 */
public final class EventBody {

  /** Subtypes of {@code application/} that are text whatever their bytes look like. */
  static final Set<String> TEXT_APPLICATION_SUBTYPES = Set.of(
      "json", "xml", "x-www-form-urlencoded", "javascript", "x-javascript", "ecmascript",
      "yaml", "x-yaml", "graphql", "x-ndjson", "jsonl", "csv", "sql");

  private EventBody() {}

  /** Whether a body with this Content-Type (null for none) travels as text. */
  public static boolean isText(String contentType, byte[] body) {
    return (contentType == null || contentType.isBlank() || isTextualMediaType(contentType)) && isUtf8(body);
  }

  static boolean isTextualMediaType(String contentType) {
    int semicolon = contentType.indexOf(';');
    String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    if (mediaType.startsWith("text/") || mediaType.endsWith("+json") || mediaType.endsWith("+xml")) {
      return true;
    }
    return mediaType.startsWith("application/") && TEXT_APPLICATION_SUBTYPES.contains(mediaType.substring("application/".length()));
  }

  /** Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF. */
  static boolean isUtf8(byte[] bytes) {
    int i = 0;
    while (i < bytes.length) {
      int lead = bytes[i] & 0xff;
      if (lead < 0x80) {
        i++;
        continue;
      }
      int continuations;
      if (lead >= 0xc2 && lead <= 0xdf) {
        continuations = 1;
      } else if (lead >= 0xe0 && lead <= 0xef) {
        continuations = 2;
      } else if (lead >= 0xf0 && lead <= 0xf4) {
        continuations = 3;
      } else {
        return false;
      }
      if (i + continuations >= bytes.length) {
        return false;
      }
      int second = bytes[i + 1] & 0xff;
      boolean outOfRange = (lead == 0xe0 && second < 0xa0) // overlong
          || (lead == 0xed && second > 0x9f) // UTF-16 surrogate
          || (lead == 0xf0 && second < 0x90) // overlong
          || (lead == 0xf4 && second > 0x8f); // above U+10FFFF
      if (outOfRange) {
        return false;
      }
      for (int k = 1; k <= continuations; k++) {
        if ((bytes[i + k] & 0xc0) != 0x80) {
          return false;
        }
      }
      i += continuations + 1;
    }
    return true;
  }

  /**
   * Writes {@code body} and {@code isBase64Encoded}, straight from the bytes: text is escaped as it
   * is copied and base64 encoded as it is written, so no String of the body is made.
   *
   * @param emptyAsNull whether an empty body is {@code body: null} (1.0) or left out (2.0)
   */
  static void write(JsonGenerator json, ClientRequestView request, boolean emptyAsNull) throws IOException {
    byte[] body = request.body();
    if (body.length == 0) {
      if (emptyAsNull) {
        json.writeNullField("body");
      }
      json.writeBooleanField("isBase64Encoded", false);
      return;
    }
    boolean text = isText(request.firstHeader("Content-Type"), body);
    json.writeFieldName("body");
    if (text) {
      json.writeUTF8String(body, 0, body.length);
    } else {
      json.writeBinary(body);
    }
    json.writeBooleanField("isBase64Encoded", !text);
  }
}

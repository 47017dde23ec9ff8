package dev.lambdaproxy.invoke.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/** What the 1.0 and 2.0 event writers share: the streaming generator and the fields both formats have. */
final class EventJson {

  /** The stage of every event: the proxy has no stages, and {@code $default} is what AWS sends when an API has none. */
  static final String STAGE = "$default";

  // A factory with a codec: the front door's authorizer context is written as a tree.
  private static final JsonFactory FACTORY = new com.fasterxml.jackson.databind.MappingJsonFactory();

  /** API Gateway's request time, {@code 12/Mar/2020:19:03:58 +0000} (CLF), always in UTC. */
  private static final DateTimeFormatter REQUEST_TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

  /** Room for the fields around the body, so that most events need no regrowth of the buffer. */
  private static final int ENVELOPE_BYTES = 2048;

  private EventJson() {}

  /** The fields of one event, written inside its top-level object. */
  interface Fields {
    void write(JsonGenerator json) throws IOException;
  }

  static byte[] write(ClientRequestView request, Fields fields) {
    // Base64 is the largest a body grows; escaped text rarely comes close.
    ByteArrayOutputStream out = new ByteArrayOutputStream(ENVELOPE_BYTES + request.body().length / 3 * 4 + 4);
    try (JsonGenerator json = FACTORY.createGenerator(out)) {
      json.writeStartObject();
      fields.write(json);
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory failed", e);
    }
    return out.toByteArray();
  }

  static String requestTime(long epochMillis) {
    return REQUEST_TIME.format(Instant.ofEpochMilli(epochMillis));
  }

  /** API Gateway's {@code domainPrefix}: the first label of the domain name. */
  static String domainPrefix(String domainName) {
    int dot = domainName.indexOf('.');
    return dot < 0 ? domainName : domainName.substring(0, dot);
  }

  /** An object of strings, or nothing at all when the map is empty: 1.0 writes null there, 2.0 leaves the field out. */
  static void writeStrings(JsonGenerator json, String field, Map<String, String> values, boolean emptyAsNull) throws IOException {
    if (values.isEmpty()) {
      if (emptyAsNull) {
        json.writeNullField(field);
      }
      return;
    }
    json.writeObjectFieldStart(field);
    for (Map.Entry<String, String> entry : values.entrySet()) {
      json.writeStringField(entry.getKey(), entry.getValue());
    }
    json.writeEndObject();
  }
}

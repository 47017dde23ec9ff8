package dev.lambdaproxy.invoke;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/** The payload of the raw Invoke call: which requests carry the client's body, and whether that body is JSON. */
public final class Payloads {

  /** What a request without a body of its own sends to the function. */
  public static final byte[] EMPTY_OBJECT = "{}".getBytes(StandardCharsets.US_ASCII);

  /** Methods whose body, if any, means nothing to a function in raw mode: they send {@code {}}. */
  static final Set<String> METHODS_WITHOUT_PAYLOAD = Set.of("GET", "HEAD", "DELETE", "OPTIONS");

  /** Jackson's defaults, named here so that the 400's message can say which one a body broke. */
  static final StreamReadConstraints LIMITS = StreamReadConstraints.defaults();

  private static final JsonFactory JSON = JsonFactory.builder().streamReadConstraints(LIMITS).build();

  private Payloads() {}

  public static boolean carriesClientBody(String method) {
    // Methods are case-sensitive (RFC 9110 9.1): "get" is not GET, and no copy is made per request.
    return !METHODS_WITHOUT_PAYLOAD.contains(method);
  }

  /**
   * Checks that the chunks hold exactly one JSON value, reading it as a stream so no copy is made.
   *
   * @return null when the body is JSON, else what is wrong with it, for the client
   */
  public static String jsonProblem(List<ByteBuffer> chunks) {
    try (JsonParser parser = JSON.createParser(stream(chunks))) {
      if (parser.nextToken() == null) {
        return "the body is empty";
      }
      parser.skipChildren();
      JsonToken after = parser.nextToken();
      return after == null ? null : "unexpected data after the JSON value at character " + parser.currentLocation().getCharOffset();
    } catch (StreamConstraintsException e) {
      // Thrown without a location (Jackson 2.15+): the body breaks one of the parser's limits.
      return limitBroken(e);
    } catch (JsonProcessingException e) {
      JsonLocation where = e.getLocation();
      return where == null ? e.getOriginalMessage()
          : e.getOriginalMessage() + " at line " + where.getLineNr() + ", column " + where.getColumnNr();
    } catch (IOException e) {
      return "the body could not be read";
    }
  }

  /** Which of Jackson's stream limits a body broke, in words that need no knowledge of Jackson. */
  static String limitBroken(StreamConstraintsException e) {
    String jackson = String.valueOf(e.getOriginalMessage());
    if (jackson.contains("nesting depth")) {
      return "the JSON is nested deeper than " + LIMITS.getMaxNestingDepth() + " levels";
    }
    if (jackson.contains("Number value length") || jackson.contains("Number length")) {
      return "the JSON has a number longer than " + LIMITS.getMaxNumberLength() + " characters";
    }
    if (jackson.contains("Name length") || jackson.contains("Name value length")) {
      return "the JSON has a property name longer than " + LIMITS.getMaxNameLength() + " bytes";
    }
    if (jackson.contains("String value length") || jackson.contains("String length")) {
      return "the JSON has a string longer than " + LIMITS.getMaxStringLength() + " characters";
    }
    return "the JSON is beyond what the proxy reads (" + jackson.replaceAll("\\s*\\(from `[^`]*`\\)", "") + ")";
  }

  private static InputStream stream(List<ByteBuffer> chunks) {
    if (chunks.size() == 1 && chunks.get(0).hasArray()) {
      ByteBuffer only = chunks.get(0);
      return new ByteArrayInputStream(only.array(), only.arrayOffset() + only.position(), only.remaining());
    }
    return new SequenceInputStream(Collections.enumeration(chunks.stream()
        .map(c -> (InputStream) new ByteArrayInputStream(c.array(), c.arrayOffset() + c.position(), c.remaining()))
        .toList()));
  }
}

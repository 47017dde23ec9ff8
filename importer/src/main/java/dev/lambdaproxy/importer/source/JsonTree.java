package dev.lambdaproxy.importer.source;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lambdaproxy.importer.ImportException;
import java.io.IOException;
import java.util.IdentityHashMap;

/** JSON to a tree, token by token, noting the line each value starts on (Jackson's own trees forget it). */
final class JsonTree {

  private static final JsonFactory FACTORY = JsonFactory.builder().build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final int MAX_DEPTH = 200;

  private JsonTree() {}

  static JsonNode parse(String text, String name, IdentityHashMap<JsonNode, Integer> lines) {
    try (JsonParser parser = FACTORY.createParser(text)) {
      JsonToken first = parser.nextToken();
      JsonNode root = value(parser, first, lines, 0, name);
      if (parser.nextToken() != null) {
        throw new ImportException(name + ":" + parser.currentTokenLocation().getLineNr()
            + ": not valid JSON: more after the end of the document");
      }
      return root;
    } catch (JsonProcessingException e) {
      JsonLocation location = e.getLocation();
      throw new ImportException(name + (location != null ? ":" + location.getLineNr() : "") + ": not valid JSON: "
          + e.getOriginalMessage().replaceAll("\\s+", " ").strip());
    } catch (IOException e) {
      throw new ImportException(name + ": cannot be read: " + e.getMessage());
    }
  }

  private static JsonNode value(JsonParser parser, JsonToken token, IdentityHashMap<JsonNode, Integer> lines, int depth, String name)
      throws IOException {
    if (depth > MAX_DEPTH) {
      throw new ImportException(name + ":" + parser.currentTokenLocation().getLineNr() + ": not valid JSON: nested too deep");
    }
    int line = parser.currentTokenLocation().getLineNr();
    JsonNode node;
    switch (token) {
      case START_OBJECT -> {
        ObjectNode object = NODES.objectNode();
        for (JsonToken next = parser.nextToken(); next != JsonToken.END_OBJECT; next = parser.nextToken()) {
          String field = parser.currentName();
          object.set(field, value(parser, parser.nextToken(), lines, depth + 1, name));
        }
        node = object;
      }
      case START_ARRAY -> {
        ArrayNode array = NODES.arrayNode();
        for (JsonToken next = parser.nextToken(); next != JsonToken.END_ARRAY; next = parser.nextToken()) {
          array.add(value(parser, next, lines, depth + 1, name));
        }
        node = array;
      }
      case VALUE_STRING -> node = Fresh.text(parser.getText());
      case VALUE_NUMBER_INT -> node = BigIntegerNode.valueOf(parser.getBigIntegerValue());
      case VALUE_NUMBER_FLOAT -> node = DecimalNode.valueOf(parser.getDecimalValue()); // as written: 1.0 stays 1.0
      case VALUE_TRUE -> node = Fresh.bool(true);
      case VALUE_FALSE -> node = Fresh.bool(false);
      case VALUE_NULL -> node = Fresh.nul();
      default -> throw new ImportException(name + ":" + line + ": not valid JSON: unexpected " + token);
    }
    lines.put(node, line);
    return node;
  }
}

package dev.lambdaproxy.importer.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lambdaproxy.importer.ImportException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.IdentityHashMap;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * YAML to a JSON tree, composed node by node (never constructed into objects), so that
 * CloudFormation's short-form tags become their long forms: {@code !Ref X} is {@code {"Ref": "X"}},
 * {@code !GetAtt A.B} is {@code {"Fn::GetAtt": ["A", "B"]}}, {@code !Condition C} is
 * {@code {"Condition": "C"}} and any other {@code !Name v} is {@code {"Fn::Name": v}}.
 */
final class YamlTree {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** Deeper than any real template; stops an alias that contains itself. */
  private static final int MAX_DEPTH = 200;

  private final String name;
  private final IdentityHashMap<JsonNode, Integer> lines;

  private YamlTree(String name, IdentityHashMap<JsonNode, Integer> lines) {
    this.name = name;
    this.lines = lines;
  }

  static JsonNode parse(String text, String name, IdentityHashMap<JsonNode, Integer> lines) {
    LoaderOptions options = new LoaderOptions();
    options.setProcessComments(false);
    Node document;
    try {
      document = new Yaml(options).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String where = mark != null ? ":" + (mark.getLine() + 1) : "";
      String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
      throw new ImportException(name + where + ": not valid YAML: " + oneLine(problem));
    } catch (YAMLException e) {
      throw new ImportException(name + ": not valid YAML: " + oneLine(e.getMessage()));
    }
    if (document == null) {
      throw new ImportException(name + ": the file is empty");
    }
    return new YamlTree(name, lines).convert(document, 0);
  }

  private static String oneLine(String text) {
    return text == null ? "unknown problem" : text.replaceAll("\\s+", " ").strip();
  }

  private JsonNode convert(Node node, int depth) {
    if (depth > MAX_DEPTH) {
      throw new ImportException(name + ":" + line(node) + ": not valid YAML: nested more than " + MAX_DEPTH + " deep");
    }
    String tag = node.getTag().getValue();
    JsonNode value = switch (node.getNodeId()) {
      case scalar -> scalar((ScalarNode) node);
      case sequence -> sequence((SequenceNode) node, depth);
      case mapping -> mapping((MappingNode) node, depth);
      default -> Fresh.nul();
    };
    if (tag.startsWith("!") && !tag.startsWith("!!")) {
      value = intrinsic(tag.substring(1), value, node);
    }
    lines.putIfAbsent(value, line(node));
    return value;
  }

  private JsonNode intrinsic(String function, JsonNode argument, Node node) {
    ObjectNode longForm = NODES.objectNode();
    switch (function) {
      case "Ref", "Condition" -> longForm.set(function, argument);
      case "GetAtt" -> {
        if (argument.isTextual()) {
          String text = argument.asText();
          int dot = text.indexOf('.');
          ArrayNode parts = longForm.putArray("Fn::GetAtt");
          parts.add(dot < 0 ? text : text.substring(0, dot));
          parts.add(dot < 0 ? "" : text.substring(dot + 1));
          lines.putIfAbsent(parts, line(node));
        } else {
          longForm.set("Fn::GetAtt", argument);
        }
      }
      default -> longForm.set("Fn::" + function, argument);
    }
    return longForm;
  }

  private JsonNode scalar(ScalarNode scalar) {
    String text = scalar.getValue();
    Tag tag = scalar.getTag();
    try {
      if (tag.equals(Tag.INT)) {
        BigInteger number = new BigInteger(text.replace("_", "").replace("+", ""));
        return number.bitLength() < 64 ? LongNode.valueOf(number.longValue()) : BigIntegerNode.valueOf(number);
      }
      if (tag.equals(Tag.FLOAT)) {
        return DecimalNode.valueOf(new BigDecimal(text.replace("_", ""))); // as written: 1.0 stays 1.0
      }
    } catch (NumberFormatException e) {
      return Fresh.text(text); // 0x1F, .inf and friends: kept as written
    }
    if (tag.equals(Tag.BOOL)) {
      return Fresh.bool(switch (text.toLowerCase(java.util.Locale.ROOT)) {
        case "true", "yes", "on", "y" -> true;
        default -> false;
      });
    }
    if (tag.equals(Tag.NULL)) {
      return Fresh.nul();
    }
    return Fresh.text(text); // strings, timestamps (Version: 2012-10-17), and the argument of a short-form tag
  }

  private JsonNode sequence(SequenceNode sequence, int depth) {
    ArrayNode array = NODES.arrayNode();
    for (Node element : sequence.getValue()) {
      array.add(convert(element, depth + 1));
    }
    return array;
  }

  private JsonNode mapping(MappingNode mapping, int depth) {
    ObjectNode object = NODES.objectNode();
    for (NodeTuple tuple : mapping.getValue()) {
      Node keyNode = tuple.getKeyNode();
      if (keyNode.getTag().equals(Tag.MERGE)) {
        JsonNode merged = convert(tuple.getValueNode(), depth + 1);
        for (JsonNode source : merged.isArray() ? merged : NODES.arrayNode().add(merged)) {
          for (java.util.Map.Entry<String, JsonNode> field : source.properties()) {
            if (!object.has(field.getKey())) {
              object.set(field.getKey(), field.getValue());
            }
          }
        }
        continue;
      }
      if (!(keyNode instanceof ScalarNode key)) {
        throw new ImportException(name + ":" + line(keyNode) + ": not valid YAML: a key that is not a plain value");
      }
      JsonNode value = convert(tuple.getValueNode(), depth + 1);
      lines.put(value, line(keyNode)); // a mapping's own mark is its first key: the line of its name says more
      object.set(key.getValue(), value);
    }
    return object;
  }

  private static int line(Node node) {
    return node.getStartMark() != null ? node.getStartMark().getLine() + 1 : 0;
  }
}

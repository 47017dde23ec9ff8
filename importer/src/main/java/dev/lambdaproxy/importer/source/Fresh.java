package dev.lambdaproxy.importer.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Value nodes that are never shared: Jackson hands out one {@code true}, one {@code null} and one
 * empty string for a whole tree, and lines are remembered per node.
 */
final class Fresh {

  private Fresh() {}

  static JsonNode text(String text) {
    return new TextNode(text);
  }

  static JsonNode bool(boolean value) {
    return new Bool(value);
  }

  static JsonNode nul() {
    return new Nul();
  }

  private static final class Bool extends BooleanNode {
    private static final long serialVersionUID = 1L;

    Bool(boolean value) {
      super(value);
    }
  }

  private static final class Nul extends NullNode {
    private static final long serialVersionUID = 1L;
  }
}

package dev.lambdaproxy.importer.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A value of an input file and where it is: reading code walks these instead of bare JSON nodes,
 * so that whatever it cannot carry is reported with its file, JSON pointer and line. A member that
 * is absent is a missing value at the pointer it would have had.
 */
public final class Src {

  private final SourceFile file;
  private final JsonNode node;
  private final String pointer;
  private final int line;

  Src(SourceFile file, JsonNode node, String pointer, int line) {
    this.file = file;
    this.node = node;
    this.pointer = pointer;
    this.line = line;
  }

  public SourceFile file() {
    return file;
  }

  public JsonNode node() {
    return node;
  }

  public Location location() {
    return new Location(file.name(), pointer, line);
  }

  /** A member of an object (a missing value when absent or when this is not an object). */
  public Src get(String key) {
    JsonNode child = node.isObject() ? node.get(key) : null;
    String childPointer = pointer + "/" + key.replace("~", "~0").replace("/", "~1");
    return child == null ? new Src(file, MissingNode.getInstance(), childPointer, line)
        : new Src(file, child, childPointer, file.line(child, line));
  }

  /** An element of an array (a missing value when out of range or when this is not an array). */
  public Src at(int index) {
    JsonNode child = node.isArray() ? node.get(index) : null;
    String childPointer = pointer + "/" + index;
    return child == null ? new Src(file, MissingNode.getInstance(), childPointer, line)
        : new Src(file, child, childPointer, file.line(child, line));
  }

  /** A value standing for this one (a resolved intrinsic, a followed $ref): reported where this one is. */
  public Src with(JsonNode value) {
    file.remember(value, line);
    return new Src(file, value, pointer, line);
  }

  /** The same value reported at another place (a $ref's target is reported where it is defined). */
  public static Src of(SourceFile file, JsonNode node, String pointer) {
    return new Src(file, node, pointer, file.line(node, 0));
  }

  public boolean present() {
    return !node.isMissingNode() && !node.isNull();
  }

  public boolean isObject() {
    return node.isObject();
  }

  public boolean isArray() {
    return node.isArray();
  }

  public boolean isText() {
    return node.isTextual();
  }

  public boolean isScalar() {
    return node.isValueNode() && !node.isNull();
  }

  /** A scalar's text ({@code 1.0} for a number written so), or null for anything else. */
  public String text() {
    return isScalar() ? node.asText() : null;
  }

  public boolean has(String key) {
    return node.isObject() && node.has(key);
  }

  /** The members of an object in the order written (empty for anything else). */
  public Map<String, Src> fields() {
    Map<String, Src> fields = new LinkedHashMap<>();
    if (node.isObject()) {
      for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        fields.put(name, get(name));
      }
    }
    return fields;
  }

  /** The elements of an array (empty for anything else). */
  public List<Src> elements() {
    List<Src> elements = new ArrayList<>();
    for (int i = 0; i < node.size() && node.isArray(); i++) {
      elements.add(at(i));
    }
    return elements;
  }

  @Override
  public String toString() {
    return location() + " " + node;
  }
}

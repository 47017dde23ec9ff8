package dev.lambdaproxy.importer.cfn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lambdaproxy.importer.source.Src;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A CloudFormation (or SAM) template: its resources by logical id, parameters, mappings, conditions and SAM's Globals. */
public final class Template {

  /** One resource. */
  public record Resource(String id, String type, Src properties, Src condition, Src definition) {}

  private final Src root;
  private final Path directory;
  private final Map<String, Resource> resources = new LinkedHashMap<>();

  /**
   * @param directory the folder of the template's file, against which a local {@code DefinitionUri} is read; null when unknown
   */
  public Template(Src root, Path directory) {
    this.root = root;
    this.directory = directory;
    for (Map.Entry<String, Src> entry : root.get("Resources").fields().entrySet()) {
      Src definition = entry.getValue();
      String type = definition.get("Type").text();
      resources.put(entry.getKey(), new Resource(entry.getKey(), type == null ? "" : type, definition.get("Properties"),
          definition.get("Condition"), definition));
    }
  }

  /** Whether a document is a template: a mapping with {@code Resources}. */
  public static boolean isTemplate(Src document) {
    return document.isObject() && document.get("Resources").isObject();
  }

  public Src root() {
    return root;
  }

  public Path directory() {
    return directory;
  }

  public Map<String, Resource> resources() {
    return resources;
  }

  public Resource resource(String id) {
    return id == null ? null : resources.get(id);
  }

  /** The resources of a type, in the order written. */
  public List<Resource> ofType(String type) {
    List<Resource> found = new ArrayList<>();
    for (Resource resource : resources.values()) {
      if (resource.type().equals(type)) {
        found.add(resource);
      }
    }
    return found;
  }

  public Src parameters() {
    return root.get("Parameters");
  }

  public Src mappings() {
    return root.get("Mappings");
  }

  public Src conditions() {
    return root.get("Conditions");
  }

  /**
   * A resource's properties with SAM's {@code Globals} section for its type merged in as SAM
   * merges them: maps member by member, lists global entries first, anything else the resource's.
   *
   * @param section {@code Function}, {@code Api} or {@code HttpApi}
   */
  public Src withGlobals(Src properties, String section) {
    Src globals = root.get("Globals").get(section);
    if (!globals.isObject()) {
      return properties;
    }
    JsonNode merged = merge(globals.node(), properties.present() ? properties.node() : JsonNodeFactory.instance.objectNode());
    return properties.with(merged);
  }

  /** The Globals of a type alone: the properties of SAM's implicit APIs. */
  public Src globals(String section) {
    return root.get("Globals").get(section);
  }

  private static JsonNode merge(JsonNode global, JsonNode local) {
    if (global.isObject() && local.isObject() && !isIntrinsic(local)) {
      ObjectNode merged = JsonNodeFactory.instance.objectNode();
      for (Map.Entry<String, JsonNode> field : global.properties()) {
        merged.set(field.getKey(), field.getValue());
      }
      for (Map.Entry<String, JsonNode> field : local.properties()) {
        JsonNode inGlobal = merged.get(field.getKey());
        merged.set(field.getKey(), inGlobal == null ? field.getValue() : merge(inGlobal, field.getValue()));
      }
      return merged;
    }
    if (global.isArray() && local.isArray()) {
      ArrayNode merged = JsonNodeFactory.instance.arrayNode();
      merged.addAll((ArrayNode) global);
      merged.addAll((ArrayNode) local);
      return merged;
    }
    return local;
  }

  private static boolean isIntrinsic(JsonNode node) {
    if (node.size() != 1) {
      return false;
    }
    String name = node.fieldNames().next();
    return name.equals("Ref") || name.startsWith("Fn::");
  }
}

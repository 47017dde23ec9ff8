package dev.lambdaproxy.importer.source;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lambdaproxy.importer.ImportException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * One input file parsed to a JSON tree (JSON as JSON, anything else as YAML with CloudFormation's
 * short-form tags in their long forms), with the line each value starts on.
 */
public final class SourceFile {

  private final String name;
  private final JsonNode root;
  private final Map<JsonNode, Integer> lines;

  SourceFile(String name, JsonNode root, IdentityHashMap<JsonNode, Integer> lines) {
    this.name = name;
    this.root = root;
    this.lines = lines;
  }

  /**
   * Reads and parses a file.
   *
   * @param name how messages name it (as given on the command line)
   * @throws ImportException naming the file when it cannot be read or parsed
   */
  public static SourceFile read(Path path, String name) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(path))).toString();
    } catch (NoSuchFileException e) {
      throw new ImportException(name + ": no such file");
    } catch (CharacterCodingException e) {
      throw new ImportException(name + ": not UTF-8 text");
    } catch (IOException e) {
      throw new ImportException(name + ": cannot be read: " + e.getMessage());
    }
    return parse(text, name);
  }

  /** Parses text: JSON when it starts with '{' or '[', else YAML. */
  public static SourceFile parse(String text, String name) {
    String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
    if (body.isBlank()) {
      throw new ImportException(name + ": the file is empty");
    }
    char first = body.strip().charAt(0);
    IdentityHashMap<JsonNode, Integer> lines = new IdentityHashMap<>();
    JsonNode root = first == '{' || first == '[' ? JsonTree.parse(body, name, lines) : YamlTree.parse(body, name, lines);
    return new SourceFile(name, root, lines);
  }

  public String name() {
    return name;
  }

  /** The whole document. */
  public Src root() {
    return new Src(this, root, "", line(root, 1));
  }

  int line(JsonNode node, int otherwise) {
    Integer line = lines.get(node);
    return line != null ? line : otherwise;
  }

  /** Records where a value made while reading (a resolved intrinsic, say) stands. */
  void remember(JsonNode node, int line) {
    lines.putIfAbsent(node, line);
  }
}

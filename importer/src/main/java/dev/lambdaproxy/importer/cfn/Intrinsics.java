package dev.lambdaproxy.importer.cfn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.lambdaproxy.importer.api.Report;
import dev.lambdaproxy.importer.openapi.ImportVariables;
import dev.lambdaproxy.importer.openapi.Resolver;
import dev.lambdaproxy.importer.source.Src;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CloudFormation's intrinsic functions, resolved as far as the template alone allows: a function
 * of the template is named by its {@code FunctionName} (else its logical id, as {@code sam local}
 * names it); a parameter takes its default; pseudo parameters, other resources' ids and attributes,
 * nested stacks' outputs and imports become {@code ${ENV}} placeholders, recorded in the report.
 */
public final class Intrinsics implements Resolver {

  static final Set<String> FUNCTION_TYPES = Set.of("AWS::Serverless::Function", "AWS::Lambda::Function");
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final int MAX_DEPTH = 64;

  private final Template template;
  private final Report report;
  /** The placeholder a resource's Ref became, back to its logical id (a user pool's id finds its app clients). */
  private final Map<String, String> refPlaceholders = new HashMap<>();
  private final Set<String> notedParameters = new HashSet<>();
  private final Set<String> notedFunctions = new HashSet<>();
  private final Map<String, Boolean> conditions = new HashMap<>();

  public Intrinsics(Template template, Report report) {
    this.template = template;
    this.report = report;
  }

  @Override
  public Src resolve(Src value) {
    JsonNode resolved = value(value, 0);
    return resolved == value.node() ? value : value.with(resolved);
  }

  /** The logical id a value refers to ({@code !Ref X}, {@code !GetAtt X.Y}, or the id written as a string), or null. */
  public String logicalId(Src value) {
    JsonNode node = value.node();
    if (node.isTextual()) {
      return template.resource(node.asText()) != null ? node.asText() : null;
    }
    if (node.isObject() && node.size() == 1) {
      if (node.has("Ref") && node.get("Ref").isTextual()) {
        return node.get("Ref").asText();
      }
      JsonNode getAtt = node.get("Fn::GetAtt");
      if (getAtt != null && getAtt.isArray() && getAtt.size() > 0) {
        return getAtt.get(0).asText();
      }
      if (getAtt != null && getAtt.isTextual()) {
        return getAtt.asText().split("\\.", 2)[0];
      }
    }
    return null;
  }

  /** The logical id whose Ref became this placeholder text, or null. */
  public String refOf(String placeholder) {
    return refPlaceholders.get(placeholder);
  }

  /** How a route names a function of the template: its FunctionName, else its logical id. */
  public String functionName(String id) {
    Template.Resource function = template.resource(id);
    String name = function == null ? null : text(function.properties().get("FunctionName"));
    if (name != null) {
      return name;
    }
    if (notedFunctions.add(id)) {
      report.note(function != null ? function.definition().location() : template.root().location(), "function " + id
          + " has no FunctionName: routes call it " + id + ", as `sam local` names it; deployed, CloudFormation names it"
          + " STACK-" + id + "-SUFFIX: put that name (or a FunctionName) in the routes");
    }
    return id;
  }

  /** A SAM function's AutoPublishAlias (what its events invoke), or null. */
  public String autoPublishAlias(String id) {
    Template.Resource function = template.resource(id);
    if (function == null || !function.type().equals("AWS::Serverless::Function")) {
      return null;
    }
    return text(template.withGlobals(function.properties(), "Function").get("AutoPublishAlias"));
  }

  /** Whether a resource's Condition holds: true, false, or null when the template alone cannot tell. */
  public Boolean holds(Template.Resource resource) {
    String name = resource.condition().text();
    return name == null ? Boolean.TRUE : condition(name, 0);
  }

  // ------------------------------------------------------------------------------------------

  private JsonNode value(Src src, int depth) {
    JsonNode node = src.node();
    if (depth > MAX_DEPTH) {
      return placeholder("UNRESOLVED", "a value nested too deep to resolve", src);
    }
    if (node.isObject()) {
      if (node.size() == 1) {
        String name = node.fieldNames().next();
        if (name.equals("Ref") || name.startsWith("Fn::")) {
          return function(name, src.get(name), src, depth);
        }
      }
      ObjectNode out = NODES.objectNode();
      boolean changed = false;
      for (Map.Entry<String, Src> field : src.fields().entrySet()) {
        JsonNode value = value(field.getValue(), depth + 1);
        changed |= value != field.getValue().node();
        if (!value.isMissingNode()) {
          out.set(field.getKey(), value);
        }
      }
      return changed ? remember(out, src) : node;
    }
    if (node.isArray()) {
      ArrayNode out = NODES.arrayNode();
      boolean changed = false;
      for (Src element : src.elements()) {
        JsonNode value = value(element, depth + 1);
        changed |= value != element.node();
        if (!value.isMissingNode()) {
          out.add(value);
        }
      }
      return changed ? remember(out, src) : node;
    }
    return node;
  }

  private JsonNode remember(JsonNode node, Src where) {
    where.with(node);
    return node;
  }

  @Override
  public String text(Src src) {
    JsonNode value = value(src, 0);
    return value.isValueNode() && !value.isNull() && !value.isMissingNode() ? value.asText() : null;
  }

  private JsonNode function(String name, Src argument, Src src, int depth) {
    return switch (name) {
      case "Ref" -> ref(argument.text(), src, depth);
      case "Fn::GetAtt" -> getAtt(argument, src, depth);
      case "Fn::Sub" -> sub(argument, src, depth);
      case "Fn::Join" -> join(argument, src, depth);
      case "Fn::Select" -> select(argument, src, depth);
      case "Fn::Split" -> split(argument, src, depth);
      case "Fn::If" -> ifThen(argument, src, depth);
      case "Fn::FindInMap" -> findInMap(argument, src, depth);
      case "Fn::ImportValue" -> {
        String export = text(argument);
        yield placeholder(Report.envName("IMPORT", export != null ? export : "VALUE"),
            "the value another stack exports as " + (export != null ? export : argument.node()), src);
      }
      case "Fn::Base64" -> {
        String text = text(argument);
        yield text == null ? placeholder("UNRESOLVED_BASE64", "a Fn::Base64 the template alone cannot resolve", src)
            : new TextNode(Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)));
      }
      case "Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or" -> {
        Boolean value = booleanOf(src, depth);
        yield value == null ? placeholder("UNRESOLVED_CONDITION", "a condition the template alone cannot decide", src)
            : NODES.booleanNode(value);
      }
      default -> placeholder(Report.envName(name.replace("Fn::", "")), name + " is not resolved by the importer", src);
    };
  }

  private JsonNode ref(String name, Src src, int depth) {
    if (name == null) {
      return placeholder("UNRESOLVED_REF", "a Ref without a name", src);
    }
    if (name.equals("AWS::NoValue")) {
      return MissingNode.getInstance();
    }
    if (name.startsWith("AWS::")) {
      String pseudo = ImportVariables.pseudo(name, report, src);
      return new TextNode(pseudo != null ? pseudo : "${" + Report.envName(name) + "}");
    }
    Src parameter = template.parameters().get(name);
    if (parameter.isObject()) {
      return parameter(name, parameter, src, depth);
    }
    int dot = name.indexOf('.');
    if (dot > 0 && template.resource(name.substring(0, dot)) != null) {
      String function = name.substring(0, dot);
      String attribute = name.substring(dot + 1);
      if (attribute.equals("Alias") && autoPublishAlias(function) != null) {
        return new TextNode(functionArn(function, src) + ":" + autoPublishAlias(function));
      }
      return placeholder(Report.envName(function, attribute), "the " + attribute + " of " + function, src);
    }
    Template.Resource resource = template.resource(name);
    if (resource == null) {
      return placeholder(Report.envName(name), "!Ref " + name + ": not in this template", src);
    }
    if (FUNCTION_TYPES.contains(resource.type())) {
      return new TextNode(functionName(name));
    }
    if (resource.type().equals("AWS::Lambda::Alias")) {
      String function = logicalId(resource.properties().get("FunctionName"));
      String alias = text(resource.properties().get("Name"));
      if (function != null && alias != null && template.resource(function) != null) {
        return new TextNode(functionArn(function, src) + ":" + alias);
      }
    }
    String placeholder = "${" + Report.envName(name) + "}";
    refPlaceholders.put(placeholder, name);
    return placeholder(Report.envName(name), "the id of " + name + " (" + resource.type() + "), known once the stack is deployed",
        src);
  }

  private JsonNode parameter(String name, Src parameter, Src src, int depth) {
    Src defaultValue = parameter.get("Default");
    String type = parameter.get("Type").text();
    boolean list = type != null && (type.startsWith("List<") || type.equals("CommaDelimitedList"));
    if (defaultValue.present()) {
      JsonNode value = value(defaultValue, depth + 1);
      if (notedParameters.add(name)) {
        report.note(defaultValue.location(), "parameter " + name + ": its default " + value.asText() + " is used");
      }
      if (list && value.isTextual()) {
        ArrayNode parts = NODES.arrayNode();
        for (String part : value.asText().split(",")) {
          parts.add(part.strip());
        }
        return parts;
      }
      return value;
    }
    return placeholder(Report.envName(name), "parameter " + name + " of the template (it has no default)", src);
  }

  private JsonNode getAtt(Src argument, Src src, int depth) {
    String id;
    String attribute;
    if (argument.isArray()) {
      id = argument.at(0).text();
      String attributeText = text(argument.at(1));
      attribute = attributeText != null ? attributeText : "";
    } else {
      String text = argument.text();
      int dot = text == null ? -1 : text.indexOf('.');
      id = dot < 0 ? text : text.substring(0, dot);
      attribute = dot < 0 ? "" : text.substring(dot + 1);
    }
    return attribute(id, attribute, src);
  }

  private JsonNode attribute(String id, String attribute, Src src) {
    Template.Resource resource = template.resource(id);
    if (resource == null) {
      return placeholder(Report.envName(id, attribute), "!GetAtt " + id + "." + attribute + ": not in this template", src);
    }
    if (FUNCTION_TYPES.contains(resource.type()) && attribute.equals("Arn")) {
      return new TextNode(functionArn(id, src));
    }
    if (resource.type().equals("AWS::Cognito::UserPool")) {
      String pool = ref(id, src, 0).asText();
      String region = ImportVariables.pseudo("AWS::Region", report, src);
      switch (attribute) {
        case "Arn" -> {
          return new TextNode("arn:" + ImportVariables.pseudo("AWS::Partition", report, src) + ":cognito-idp:" + region + ":"
              + ImportVariables.pseudo("AWS::AccountId", report, src) + ":userpool/" + pool);
        }
        case "ProviderURL", "ProviderName" -> {
          return new TextNode("cognito-idp." + region + ".amazonaws.com/" + pool);
        }
        default -> {
          // falls through to a placeholder
        }
      }
    }
    String meaning = attribute.startsWith("Outputs.")
        ? "the output " + attribute.substring(8) + " of the nested stack " + id
        : "!GetAtt " + id + "." + attribute + " (" + resource.type() + "), known once the stack is deployed";
    return placeholder(Report.envName(id, attribute.replace("Outputs.", "")), meaning, src);
  }

  /** The ARN of a function of the template, in the stack's region and account (the proxy's, once it runs). */
  private String functionArn(String id, Src src) {
    return "arn:" + ImportVariables.pseudo("AWS::Partition", report, src) + ":lambda:"
        + ImportVariables.pseudo("AWS::Region", report, src) + ":" + ImportVariables.pseudo("AWS::AccountId", report, src)
        + ":function:" + functionName(id);
  }

  private JsonNode sub(Src argument, Src src, int depth) {
    String template;
    Map<String, Src> variables = new HashMap<>();
    if (argument.isArray()) {
      template = argument.at(0).text();
      variables.putAll(argument.at(1).fields());
    } else {
      template = argument.text();
    }
    if (template == null) {
      return placeholder("UNRESOLVED_SUB", "a Fn::Sub without a string", src);
    }
    StringBuilder out = new StringBuilder();
    int from = 0;
    for (int start = template.indexOf("${"); start >= 0; start = template.indexOf("${", from)) {
      int end = template.indexOf('}', start);
      if (end < 0) {
        break;
      }
      out.append(template, from, start);
      String name = template.substring(start + 2, end).strip();
      from = end + 1;
      if (name.startsWith("!")) {
        out.append("${").append(name.substring(1)).append('}');
        continue;
      }
      JsonNode value;
      if (variables.containsKey(name)) {
        value = value(variables.get(name), depth + 1);
      } else if (name.startsWith("stageVariables.")) {
        String variable = name.substring("stageVariables.".length());
        value = new TextNode(report.placeholder(variable, "the stage variable " + variable + " (set it as the stage did)",
            src.location()));
      } else if (name.startsWith("AWS::")) {
        value = ref(name, src, depth + 1);
      } else if (name.contains(".")) {
        int dot = name.indexOf('.');
        value = attribute(name.substring(0, dot), name.substring(dot + 1), src);
      } else {
        value = ref(name, src, depth + 1);
      }
      out.append(value.isValueNode() ? value.asText() : value.isArray() ? joinTexts(value, ",") : value.toString());
    }
    out.append(template.substring(from));
    return new TextNode(out.toString());
  }

  private static String joinTexts(JsonNode array, String delimiter) {
    List<String> parts = new ArrayList<>();
    array.forEach(element -> parts.add(element.asText()));
    return String.join(delimiter, parts);
  }

  private JsonNode join(Src argument, Src src, int depth) {
    String delimiter = argument.at(0).text();
    JsonNode parts = value(argument.at(1), depth + 1);
    if (delimiter == null || !parts.isArray()) {
      return placeholder("UNRESOLVED_JOIN", "a Fn::Join the template alone cannot resolve", src);
    }
    return new TextNode(joinTexts(parts, delimiter));
  }

  private JsonNode select(Src argument, Src src, int depth) {
    String index = text(argument.at(0));
    JsonNode list = value(argument.at(1), depth + 1);
    try {
      int i = Integer.parseInt(index == null ? "" : index.strip());
      if (list.isArray() && i >= 0 && i < list.size()) {
        return list.get(i);
      }
    } catch (NumberFormatException e) {
      // a placeholder below
    }
    return placeholder("UNRESOLVED_SELECT", "a Fn::Select the template alone cannot resolve", src);
  }

  private JsonNode split(Src argument, Src src, int depth) {
    String delimiter = argument.at(0).text();
    String text = text(argument.at(1));
    if (delimiter == null || text == null) {
      return placeholder("UNRESOLVED_SPLIT", "a Fn::Split the template alone cannot resolve", src);
    }
    ArrayNode parts = NODES.arrayNode();
    for (String part : text.split(java.util.regex.Pattern.quote(delimiter), -1)) {
      parts.add(part);
    }
    return parts;
  }

  private JsonNode ifThen(Src argument, Src src, int depth) {
    String condition = argument.at(0).text();
    Boolean holds = condition == null ? null : condition(condition, 0);
    if (holds == null) {
      report.note(src.location(), "condition " + condition + " cannot be decided from the template alone: its first branch is used");
      holds = Boolean.TRUE;
    }
    return value(argument.at(holds ? 1 : 2), depth + 1);
  }

  private JsonNode findInMap(Src argument, Src src, int depth) {
    String map = text(argument.at(0));
    String top = text(argument.at(1));
    String second = text(argument.at(2));
    Src found = template.mappings().get(map == null ? "" : map).get(top == null ? "" : top).get(second == null ? "" : second);
    if (found.present()) {
      return value(found, depth + 1);
    }
    return placeholder(Report.envName(map, top, second), "Fn::FindInMap " + map + "/" + top + "/" + second
        + " (a key that depends on the deployment)", src);
  }

  /** A condition of the template, decided with the parameters' defaults; null when they do not decide it. */
  private Boolean condition(String name, int depth) {
    if (conditions.containsKey(name)) {
      return conditions.get(name);
    }
    conditions.put(name, null); // a condition that refers to itself stays undecided
    Src definition = template.conditions().get(name);
    Boolean value = definition.present() && depth < MAX_DEPTH ? booleanOf(definition, depth + 1) : null;
    conditions.put(name, value);
    return value;
  }

  private Boolean booleanOf(Src src, int depth) {
    JsonNode node = src.node();
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    if (!node.isObject() || node.size() != 1) {
      return null;
    }
    String name = node.fieldNames().next();
    Src argument = src.get(name);
    switch (name) {
      case "Condition" -> {
        return argument.text() == null ? null : condition(argument.text(), depth + 1);
      }
      case "Fn::Equals" -> {
        String a = text(argument.at(0));
        String b = text(argument.at(1));
        if (a == null || b == null || a.contains("${") || b.contains("${")) {
          return null;
        }
        return a.equals(b);
      }
      case "Fn::Not" -> {
        Boolean inner = booleanOf(argument.at(0), depth + 1);
        return inner == null ? null : !inner;
      }
      case "Fn::And", "Fn::Or" -> {
        boolean and = name.equals("Fn::And");
        boolean unknown = false;
        for (Src element : argument.elements()) {
          Boolean value = booleanOf(element, depth + 1);
          if (value == null) {
            unknown = true;
          } else if (value != and) {
            return !and;
          }
        }
        return unknown ? null : and;
      }
      default -> {
        return null;
      }
    }
  }

  private JsonNode placeholder(String env, String meaning, Src src) {
    return new TextNode(report.placeholder(env, meaning, src.location()));
  }
}

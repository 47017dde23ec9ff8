package dev.lambdaproxy.importer;

import dev.lambdaproxy.importer.api.ApiDef;
import dev.lambdaproxy.importer.api.ApiKeyDef;
import dev.lambdaproxy.importer.api.ApiKind;
import dev.lambdaproxy.importer.api.Report;
import dev.lambdaproxy.importer.api.UsagePlanDef;
import dev.lambdaproxy.importer.cfn.Template;
import dev.lambdaproxy.importer.cfn.TemplateApis;
import dev.lambdaproxy.importer.cfn.TemplateReader;
import dev.lambdaproxy.importer.conf.Conf;
import dev.lambdaproxy.importer.conf.ConfBuilder;
import dev.lambdaproxy.importer.conf.ConfWriter;
import dev.lambdaproxy.importer.openapi.AuthorizerReader;
import dev.lambdaproxy.importer.openapi.ImportVariables;
import dev.lambdaproxy.importer.openapi.OpenApiReader;
import dev.lambdaproxy.importer.source.SourceFile;
import dev.lambdaproxy.importer.source.Src;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads API Gateway exports (OpenAPI 3 or Swagger 2 with {@code x-amazon-apigateway-*}, JSON or
 * YAML) and SAM / CloudFormation templates, and makes {@code routes.properties} and
 * {@code lambda-proxy.properties} that reproduce their APIs, with a report of what they cannot.
 */
public final class Importer {

  /** One input: where it is, and how messages name it. */
  public record Input(Path path, String name) {}

  private Importer() {}

  /**
   * @throws ImportException naming the file when an input cannot be read, parsed, or holds no API
   */
  public static ImportResult run(List<Input> inputs) {
    Report report = new Report();
    report.files(inputs.stream().map(Input::name).toList());
    List<ApiDef> apis = new ArrayList<>();
    List<UsagePlanDef> plans = new ArrayList<>();
    List<ApiKeyDef> keys = new ArrayList<>();
    List<String> summaries = new ArrayList<>();
    for (Input input : inputs) {
      SourceFile source = SourceFile.read(input.path(), input.name());
      Path directory = input.path().toAbsolutePath().getParent();
      try {
        summaries.add(read(source, directory, report, apis, plans, keys));
      } catch (ImportException e) {
        throw e;
      } catch (RuntimeException e) {
        // A shape no rule expected: still one line naming the file, never a stack trace.
        throw new ImportException(input.name() + ": cannot be read as an API (" + e + ")");
      }
    }
    ConfBuilder.ConfLines lines = new ConfBuilder(report).build(apis, plans, keys);
    List<String> names = inputs.stream().map(Input::name).toList();
    Conf conf = ConfWriter.write(names, lines, report);
    return new ImportResult(conf, report, summaries);
  }

  /** Reads one parsed file into the lists; what it was, in a few words. */
  static String read(SourceFile source, Path directory, Report report, List<ApiDef> apis, List<UsagePlanDef> plans,
      List<ApiKeyDef> keys) {
    Src root = source.root();
    String name = source.name();
    if (!root.isObject()) {
      throw new ImportException(name + ": not an API Gateway export or a SAM/CloudFormation template (the document is not a mapping)");
    }
    if (OpenApiReader.isDefinition(root)) {
      if (!root.get("paths").isObject()) {
        throw new ImportException(name + ": " + (root.has("swagger") ? "a Swagger" : "an OpenAPI") + " document without paths");
      }
      ImportVariables resolver = new ImportVariables(report);
      ApiKind kind = OpenApiReader.kindOf(root);
      OpenApiReader reader = new OpenApiReader(resolver, report, new AuthorizerReader(resolver, report, pool -> List.of()));
      ApiDef api = reader.read(root, name, kind);
      apis.add(api);
      return name + ": " + (root.has("swagger") ? "Swagger 2" : "OpenAPI 3") + " export of " + (kind == ApiKind.REST ? "a REST" : "an HTTP")
          + " API, " + api.operations().size() + (api.operations().size() == 1 ? " method" : " methods");
    }
    if (Template.isTemplate(root)) {
      TemplateApis template = TemplateReader.read(root, directory, report);
      if (template.apis().isEmpty()) {
        throw new ImportException(name + ": a template with no API (no AWS::Serverless::Api or HttpApi, no function with an Api or"
            + " HttpApi event, no AWS::ApiGateway::RestApi or AWS::ApiGatewayV2::Api)");
      }
      apis.addAll(template.apis());
      plans.addAll(template.plans());
      keys.addAll(template.keys());
      return name + ": template with " + template.apis().size() + (template.apis().size() == 1 ? " API" : " APIs") + " ("
          + String.join(", ", template.apis().stream().map(ApiDef::name).toList()) + ")";
    }
    throw new ImportException(name + ": not an API Gateway export (no 'openapi' or 'swagger') or a SAM/CloudFormation template"
        + " (no 'Resources')");
  }
}

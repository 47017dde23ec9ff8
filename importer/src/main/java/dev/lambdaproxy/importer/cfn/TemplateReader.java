package dev.lambdaproxy.importer.cfn;

import dev.lambdaproxy.importer.api.Report;
import dev.lambdaproxy.importer.openapi.AuthorizerReader;
import dev.lambdaproxy.importer.source.Src;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A SAM or CloudFormation template: its SAM APIs, raw REST and HTTP APIs, usage plans and keys, and what they lack. */
public final class TemplateReader {

  /** Resources that change what clients see and that the proxy does not do. */
  private static final Map<String, String> NOT_CARRIED = Map.ofEntries(
      Map.entry("AWS::ApiGateway::DomainName", "the custom domain is not carried: point its DNS at the proxy"),
      Map.entry("AWS::ApiGateway::BasePathMapping", "the base path mapping is not carried: the proxy routes the paths themselves"),
      Map.entry("AWS::ApiGatewayV2::DomainName", "the custom domain is not carried: point its DNS at the proxy"),
      Map.entry("AWS::ApiGatewayV2::ApiMapping", "the API mapping is not carried: the proxy routes the paths themselves"),
      Map.entry("AWS::ApiGateway::GatewayResponse", "the customized gateway response is not carried"),
      Map.entry("AWS::ApiGateway::ClientCertificate", "the client certificate for backends is not carried"),
      Map.entry("AWS::WAFv2::WebACLAssociation", "the WAF web ACL is not carried"),
      Map.entry("AWS::WAFRegional::WebACLAssociation", "the WAF web ACL is not carried"));

  private TemplateReader() {}

  /**
   * Reads a template.
   *
   * @param directory the template's folder, for a SAM definition in a local file; may be null
   */
  public static TemplateApis read(Src root, Path directory, Report report) {
    Template template = new Template(root, directory);
    Intrinsics resolver = new Intrinsics(template, report);
    AuthorizerReader authorizers = new AuthorizerReader(resolver, report, poolId -> clientsOf(template, resolver, poolId));
    TemplateApis out = TemplateApis.empty();
    new SamReader(template, resolver, report, authorizers, out).read();
    new RestResources(template, resolver, report, authorizers).read(out);
    new HttpResources(template, resolver, report, authorizers).read(out);
    UsagePlans.read(template, resolver, out);
    for (Template.Resource resource : template.resources().values()) {
      String text = NOT_CARRIED.get(resource.type());
      if (text != null && !out.apis().isEmpty()) {
        report.leftOut(resource.definition().location(), resource.id() + " (" + resource.type() + "): " + text);
      }
    }
    return out;
  }

  /** The app clients of a user pool of the template, by the placeholder its id became; their ids are placeholders too. */
  private static List<String> clientsOf(Template template, Intrinsics resolver, String poolId) {
    String pool = resolver.refOf(poolId);
    List<String> clients = new ArrayList<>();
    if (pool == null) {
      return clients;
    }
    for (Template.Resource client : template.ofType("AWS::Cognito::UserPoolClient")) {
      if (pool.equals(resolver.logicalId(client.properties().get("UserPoolId")))) {
        clients.add(resolver.text(client.definition().get("Properties").get("UserPoolId").with(
            com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("Ref", client.id()))));
      }
    }
    return clients;
  }
}

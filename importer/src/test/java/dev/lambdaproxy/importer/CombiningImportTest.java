package dev.lambdaproxy.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Several APIs into one proxy: one route table, one CORS setting, one namespace of authorizers. */
class CombiningImportTest {

  private static String export(String path, String function, String extra) {
    return """
        openapi: 3.0.1
        %s
        paths:
          %s:
            get:
              x-amazon-apigateway-integration:
                type: aws_proxy
                payloadFormatVersion: '2.0'
                uri: arn:aws:lambda:eu-west-1:123456789012:function:%s
        """.formatted(extra, path, function);
  }

  @Test
  void aMethodTwoApisRouteKeepsTheFirstAndTheSecondIsListed() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("a.yaml", export("/users/{id}", "first", ""));
    files.put("b.yaml", export("/users/{name}", "second", ""));
    files.put("c.yaml", export("/users/{id}", "first", ""));
    Imported imported = Imported.files(files);
    assertEquals(List.of("/users/{id} = arn:aws:lambda:eu-west-1:123456789012:function:first ; methods=GET ; event=apigw-v2"),
        imported.routes());
    imported.leftOutWith("b.yaml:5 /paths/~1users~1{name}/get", "GET /users/{name} of b.yaml is routed already by a.yaml",
        "(a.yaml:5 /paths/~1users~1{id}/get)");
    assertEquals(1, imported.leftOut().size(), "the same route twice is no conflict: " + imported.leftOut());
  }

  @Test
  void theProxyHasOneCorsSettingAnotherApisIsListedAndAnApiWithoutCorsGetsCorsFalse() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("a.yaml", export("/a", "a", "x-amazon-apigateway-cors: {allowOrigins: [https://a.example]}"));
    files.put("b.yaml", export("/b", "b", "x-amazon-apigateway-cors: {allowOrigins: [https://b.example]}"));
    files.put("c.yaml", export("/c", "c", ""));
    files.put("d.yaml", export("/d", "d", "x-amazon-apigateway-cors: {allowOrigins: [https://a.example]}"));
    Imported imported = Imported.files(files);
    assertEquals("https://a.example", imported.settings().get("cors.allow-origins"));
    assertEquals(List.of(
        "/a = arn:aws:lambda:eu-west-1:123456789012:function:a ; methods=GET ; event=apigw-v2",
        "/b = arn:aws:lambda:eu-west-1:123456789012:function:b ; methods=GET ; event=apigw-v2",
        "/c = arn:aws:lambda:eu-west-1:123456789012:function:c ; methods=GET ; event=apigw-v2 ; cors=false",
        "/d = arn:aws:lambda:eu-west-1:123456789012:function:d ; methods=GET ; event=apigw-v2"), imported.routes());
    imported.leftOutWith("b.yaml:2 /x-amazon-apigateway-cors", "differs from that of a.yaml");
    assertEquals(1, imported.leftOut().size(), imported.leftOut()::toString);
  }

  @Test
  void authorizersOfOneNameInTwoApisAreTwoSettingsUnlessTheyAreTheSame() {
    String scheme = """
        security: [{auth: []}]
        components:
          securitySchemes:
            auth:
              type: oauth2
              x-amazon-apigateway-authorizer:
                type: jwt
                jwtConfiguration: {issuer: %s, audience: [app]}
        """;
    Map<String, String> files = new LinkedHashMap<>();
    files.put("a.yaml", export("/a", "a", scheme.formatted("https://one.example")));
    files.put("b.yaml", export("/b", "b", scheme.formatted("https://two.example")));
    files.put("c.yaml", export("/c", "c", scheme.formatted("https://one.example")));
    Imported imported = Imported.files(files);
    assertEquals(List.of(
        "/a = arn:aws:lambda:eu-west-1:123456789012:function:a ; methods=GET ; event=apigw-v2 ; authorizer=auth",
        "/b = arn:aws:lambda:eu-west-1:123456789012:function:b ; methods=GET ; event=apigw-v2 ; authorizer=auth-2",
        "/c = arn:aws:lambda:eu-west-1:123456789012:function:c ; methods=GET ; event=apigw-v2 ; authorizer=auth"), imported.routes());
    assertEquals("https://one.example", imported.settings().get("authorizer.auth.issuer"));
    assertEquals("https://two.example", imported.settings().get("authorizer.auth-2.issuer"));
    assertFalse(imported.settings().containsKey("authorizer.auth-3.issuer"));
  }

  @Test
  void aLineTheProxysParserWouldRefuseIsListedWithItsReasonInsteadOfWritten() {
    Imported imported = Imported.of("bad.yaml", """
        Resources:
          Fn:
            Type: AWS::Lambda::Function
            Properties: {FunctionName: "not a name"}
          Api:
            Type: AWS::ApiGatewayV2::Api
            Properties: {ProtocolType: HTTP, Target: !GetAtt Fn.Arn}
        """);
    assertEquals(List.of(), imported.routes());
    imported.leftOutWith("bad.yaml:7 /Resources/Api/Properties/Target", "/*: 'not a name' is not a Lambda function name");
  }

  @Test
  void aValueWithASemicolonOrBlanksIsQuoted() {
    Imported imported = Imported.of("quoted.yaml", export("/q", "q", """
        security: [{auth: ["read;write", "admin"]}]
        components:
          securitySchemes:
            auth:
              type: oauth2
              x-amazon-apigateway-authorizer: {type: jwt, jwtConfiguration: {issuer: "https://i.example"}}
        """));
    assertEquals("/q = arn:aws:lambda:eu-west-1:123456789012:function:q ; methods=GET ; event=apigw-v2 ; authorizer=auth"
        + " ; scopes=\"read;write,admin\"", imported.route("/q"));
  }

  @Test
  void settingsTheProxysOwnReadersWouldRefuseAreLeftOutAndWhatTheyGuardIsNotWritten() {
    Imported imported = Imported.of("refused.yaml", export("/a", "a", """
        security: [{plain: []}]
        components:
          securitySchemes:
            plain:
              type: oauth2
              x-amazon-apigateway-authorizer:
                type: jwt
                jwtConfiguration: {issuer: "http://issuer.example.com", audience: [app]}
        x-amazon-apigateway-cors:
          allowOrigins: [https://ok.example.com, not-an-origin]
        """));
    assertEquals(List.of(), imported.routes(), "a route whose authorizer the proxy would refuse is not written open");
    imported.leftOutWith("refused.yaml", "authorizer plain cannot be carried", "issuer");
    imported.leftOutWith("/a: its authorizer plain cannot be carried; the route is not written rather than written open");
    imported.leftOutWith("the CORS origin 'not-an-origin' is not carried");
  }
}

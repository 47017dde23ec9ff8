package dev.lambdaproxy.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** API Gateway exports (OpenAPI 3 and Swagger 2 with x-amazon-apigateway-*): routes, targets, event formats and what is left out. */
class ExportImportTest {

  private static final String FN = "arn:aws:lambda:eu-west-1:123456789012:function:";

  /** A Lambda proxy integration of the function, as an export writes it. */
  private static String lambda(String function, String extra) {
    return """
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/%s%s/invocations
        %s""".formatted(FN, function, extra == null ? "" : extra.indent(8));
  }

  private static String http(String function, String version) {
    return lambda(function, "payloadFormatVersion: '" + version + "'");
  }

  @Test
  void aRestExportBecomesLambdaRoutesWithPayloadOneAndTheFunctionsFullArn() {
    Imported imported = Imported.of("rest.yaml", """
        openapi: 3.0.1
        paths:
          /users/{id}:
            get:
        %s""".formatted(lambda("users:live", null)));
    assertEquals(List.of("/users/{id} = " + FN + "users:live ; methods=GET ; event=apigw-v1"), imported.routes());
    assertEquals("29000", imported.settings().get("timeout-ms"), "API Gateway's REST timeout");
    imported.nothingLeftOut();
  }

  @Test
  void anHttpApiExportTakesEachIntegrationsPayloadFormatVersionWrittenAsANumberOrAString() {
    Imported imported = Imported.of("http.json", """
        {"openapi": "3.0.1", "paths": {
          "/one": {"get": {"x-amazon-apigateway-integration": {"type": "aws_proxy", "payloadFormatVersion": 1.0,
              "uri": "%1$sone"}}},
          "/two": {"get": {"x-amazon-apigateway-integration": {"type": "AWS_PROXY", "payloadFormatVersion": "2.0",
              "uri": "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/%1$stwo/invocations"}}},
          "/three": {"get": {"x-amazon-apigateway-integration": {"type": "aws_proxy", "uri": "%1$sthree"}}}}}
        """.formatted(FN));
    assertEquals(FN + "one ; methods=GET ; event=apigw-v1", imported.route("/one").split(" = ")[1]);
    assertEquals(FN + "two ; methods=GET ; event=apigw-v2", imported.route("/two").split(" = ")[1]);
    assertEquals(FN + "three ; methods=GET ; event=apigw-v2", imported.route("/three").split(" = ")[1]);
    imported.noteWith("http.json:6 /paths/~1three/get/x-amazon-apigateway-integration", "no payloadFormatVersion; 2.0 assumed");
    assertEquals("30000", imported.settings().get("timeout-ms"), "API Gateway's HTTP API timeout");
  }

  @Test
  void methodsOfOnePathWithDifferentTargetsBecomeOneLineEachAndAnyTakesTheRest() {
    Imported imported = Imported.of("pets.yaml", """
        openapi: 3.0.1
        paths:
          /pets:
            get:
        %s
            head:
        %s
            post:
        %s
            x-amazon-apigateway-any-method:
        %s
          /pets/{petId}:
            get:
        %s
            delete:
        %s
        """.formatted(http("list", "2.0"), http("list", "2.0"), http("create", "2.0"), http("other", "1.0"),
        http("pet", "2.0"), http("pet", "2.0")));
    assertEquals(List.of(
        "/pets = " + FN + "list ; methods=GET,HEAD ; event=apigw-v2",
        "/pets = " + FN + "create ; methods=POST ; event=apigw-v2",
        "/pets = " + FN + "other ; methods=PUT,PATCH,DELETE,OPTIONS ; event=apigw-v1",
        "/pets/{petId} = " + FN + "pet ; methods=GET,DELETE ; event=apigw-v2"), imported.routes());
  }

  @Test
  void anyAloneTakesEveryMethodAndGreedyAndDefaultRoutesKeepTheirMeaning() {
    Imported imported = Imported.of("any.yaml", """
        openapi: 3.0.1
        paths:
          /{proxy+}:
            x-amazon-apigateway-any-method:
        %s
          $default:
            x-amazon-apigateway-any-method:
              isDefaultRoute: true
        %s
        """.formatted(http("proxy", "2.0"), http("fallback", "2.0")));
    assertEquals(List.of("/{proxy+} = " + FN + "proxy ; event=apigw-v2", "/* = " + FN + "fallback ; event=apigw-v2"),
        imported.routes());
  }

  @Test
  void aTrailingSlashIsDroppedAsApiGatewayIgnoresItAndSaidSo() {
    Imported imported = Imported.of("slash.yaml", """
        openapi: 3.0.1
        paths:
          /plantest/:
            get:
        %s""".formatted(lambda("plan", null)));
    assertEquals(List.of("/plantest = " + FN + "plan ; methods=GET ; event=apigw-v1"), imported.routes());
    imported.noteWith("slash.yaml:4 /paths/~1plantest~1/get", "routed as /plantest");
  }

  @Test
  void integrationsReusedThroughRefAreFollowed() {
    Imported imported = Imported.of("ref.json", """
        {"openapi": "3.0.1",
         "paths": {"/a": {"get": {"x-amazon-apigateway-integration": {"$ref": "#/components/x-amazon-apigateway-integrations/one"}}},
                   "/b": {"get": {"x-amazon-apigateway-integration": {"$ref": "#/components/x-amazon-apigateway-integrations/nope"}}}},
         "components": {"x-amazon-apigateway-integrations": {"one": {"type": "aws_proxy", "payloadFormatVersion": "1.0",
             "uri": "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/%sone/invocations"}}}}
        """.formatted(FN));
    assertEquals("/a = " + FN + "one ; methods=GET ; event=apigw-v1", imported.route("/a"));
    imported.leftOutWith("ref.json:3 /paths/~1b/get/x-amazon-apigateway-integration", "names nothing in the document");
    assertEquals(1, imported.leftOut().size(), () -> "the broken $ref alone explains the missing route: " + imported.leftOut());
  }

  @Test
  void apiGatewaysImportVariablesBecomePlaceholdersAndAFunctionOfTheStacksOwnAccountIsNamedByName() {
    Imported imported = Imported.of("vars.yaml", """
        openapi: 3.0.1
        paths:
          /own:
            get:
              x-amazon-apigateway-integration:
                type: aws_proxy
                uri: arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:Tasks/invocations
          /other:
            get:
              x-amazon-apigateway-integration:
                type: aws_proxy
                uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:${AWS::AccountId}:function:Other:2/invocations
        """);
    assertEquals("/own = Tasks ; methods=GET ; event=apigw-v1", imported.route("/own"));
    assertEquals("/other = arn:aws:lambda:us-east-1:${AWS_ACCOUNT_ID}:function:Other:2 ; methods=GET ; event=apigw-v1",
        imported.route("/other"));
    assertEquals(List.of("AWS_ACCOUNT_ID"), List.copyOf(imported.placeholders().keySet()),
        "only the placeholders the files name are listed");
    assertTrue(imported.result().conf().settings().contains("set region here or AWS_REGION"));
  }

  @Test
  void stageVariablesInAUriComeFromTheEnvironment() {
    Imported imported = Imported.of("stage.yaml", """
        openapi: 3.0.1
        paths:
          /fn:
            get:
              x-amazon-apigateway-integration:
                type: aws_proxy
                uri: arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:${stageVariables.fnName}/invocations
          /site/{proxy+}:
            get:
              x-amazon-apigateway-integration:
                type: http_proxy
                httpMethod: GET
                uri: https://${stageVariables.backend}/app/{proxy}
                requestParameters:
                  integration.request.path.proxy: method.request.path.proxy
        """);
    assertEquals("/fn = " + FN + "${fnName} ; methods=GET ; event=apigw-v1", imported.route("/fn"));
    assertEquals("/site/{proxy+} = https://${backend}/app/{proxy} ; methods=GET", imported.route("/site/{proxy+}"));
    assertEquals(Map.of("fnName", "the stage variable fnName (set it as the stage did)",
        "backend", "the stage variable backend (set it as the stage did)"), imported.placeholders());
  }

  @Test
  void httpProxyIntegrationsBecomeEndpointRoutesWithTheirPathVariables() {
    Imported imported = Imported.of("petstore.json", """
        {"openapi": "3.0.1", "paths": {
          "/pets/{petId}": {"get": {"x-amazon-apigateway-integration": {"type": "HTTP_PROXY", "httpMethod": "GET",
              "uri": "http://petstore.example.com/petstore/pets/{petId}", "payloadFormatVersion": 1.0, "timeoutInMillis": 5000}}},
          "/pets": {"post": {"x-amazon-apigateway-integration": {"type": "HTTP_PROXY", "httpMethod": "PUT",
              "uri": "http://petstore.example.com/petstore/pets"}}},
          "/bad/{id}": {"get": {"x-amazon-apigateway-integration": {"type": "HTTP_PROXY", "httpMethod": "GET",
              "uri": "http://petstore.example.com/{other}"}}}},
         "x-amazon-apigateway-cors": {"allowOrigins": ["*"]}}
        """);
    assertEquals(List.of("/pets/{petId} = http://petstore.example.com/petstore/pets/{petId} ; methods=GET ; timeout-ms=5000"),
        imported.routes());
    imported.leftOutWith("petstore.json:4 /paths/~1pets/post/x-amazon-apigateway-integration", "called with PUT");
    imported.leftOutWith("petstore.json:6 /paths/~1bad~1{id}/get/x-amazon-apigateway-integration", "{other} takes no path variable");
  }

  @Test
  void whatTheProxyDoesNotDoIsListedWithFileAndPointerAndTheRestIsStillWritten() {
    Imported imported = Imported.of("calc.json", """
        {"swagger": "2.0", "basePath": "/test",
         "x-amazon-apigateway-request-validators": {"all": {"validateRequestBody": true, "validateRequestParameters": true},
                                                   "none": {"validateRequestBody": false}},
         "x-amazon-apigateway-request-validator": "all",
         "x-amazon-apigateway-policy": {"Version": "2012-10-17"},
         "x-amazon-apigateway-gateway-responses": {"DEFAULT_4XX": {}},
         "x-amazon-apigateway-minimum-compression-size": 1024,
         "paths": {
          "/calc": {"get": {"x-amazon-apigateway-integration": {"type": "aws", "uri": "%1$scalc",
              "requestTemplates": {"application/json": "{}"}}},
                    "post": {"x-amazon-apigateway-request-validator": "none",
                             "x-amazon-apigateway-integration": {"type": "mock"}}},
          "/proxied": {"get": {"x-amazon-apigateway-integration": {"type": "aws_proxy",
              "uri": "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/%1$sproxied/invocations",
              "requestParameters": {"integration.request.header.X-Tenant": "method.request.header.tenant"},
              "credentials": "arn:aws:iam::123456789012:role/invoker"}}},
          "/queue": {"post": {"x-amazon-apigateway-integration": {"type": "aws",
              "uri": "arn:aws:apigateway:eu-west-1:sqs:path/123456789012/queue"}}},
          "/none": {"get": {"responses": {}}}}}
        """.formatted(FN));
    assertEquals(List.of("/proxied = " + FN + "proxied ; methods=GET ; event=apigw-v1"), imported.routes());
    imported.leftOutWith("calc.json:9 /paths/~1calc/get/x-amazon-apigateway-integration", "non-proxy integration (type aws");
    imported.leftOutWith("calc.json:12 /paths/~1calc/post/x-amazon-apigateway-integration", "a mock integration is not carried");
    imported.leftOutWith("calc.json:13 /paths/~1proxied/get", "request validation ('all': body and parameters)");
    imported.leftOutWith("calc.json:15 /paths/~1proxied/get/x-amazon-apigateway-integration/requestParameters",
        "integration.request.header.X-Tenant = method.request.header.tenant");
    imported.leftOutWith("calc.json:17 /paths/~1queue/post/x-amazon-apigateway-integration", "non-proxy integration (type aws");
    imported.leftOutWith("calc.json:19 /paths/~1none/get", "has no integration");
    imported.leftOutWith("calc.json:5 /x-amazon-apigateway-policy", "resource policy");
    imported.leftOutWith("calc.json:6 /x-amazon-apigateway-gateway-responses", "gateway responses");
    imported.leftOutWith("calc.json:7 /x-amazon-apigateway-minimum-compression-size", "compression");
    imported.noteWith("calc.json:1 /basePath", "base path /test");
    imported.noteWith("calc.json:13 /paths/~1proxied/get/x-amazon-apigateway-integration", "not the role arn:aws:iam::123456789012:role/invoker");
    assertEquals(9, imported.leftOut().size(), () -> String.join("\n", imported.leftOut()));
    String routesFile = imported.result().conf().routes();
    assertTrue(routesFile.startsWith("# routes.properties written by `lambda-proxy import` from:\n#   calc.json\n"), routesFile);
    for (String finding : imported.leftOut()) {
      assertTrue(routesFile.contains("#   " + finding + "\n"), "the file lists " + finding);
    }
  }

  @Test
  void anAwsServiceIntegrationOfAnHttpApiIsLeftOut() {
    Imported imported = Imported.of("sqs.yaml", """
        openapi: 3.0.1
        paths:
          /submit:
            post:
              x-amazon-apigateway-integration:
                type: aws_proxy
                integrationSubtype: SQS-SendMessage
                payloadFormatVersion: "1.0"
                requestParameters:
                  QueueUrl: https://sqs.example/queue
        """);
    assertTrue(imported.routes().isEmpty());
    imported.leftOutWith("sqs.yaml:5 /paths/~1submit/post/x-amazon-apigateway-integration", "SQS-SendMessage is not carried");
    assertTrue(imported.result().conf().routes().contains("# No route could be carried."));
  }

  @Test
  void jwtAuthorizersScopesAndCorsOfAnHttpApi() {
    Imported imported = Imported.of("jwt.yaml", """
        openapi: 3.0.1
        security:
          - users: [read]
        paths:
          /me:
            get:
        %s
          /admin:
            get:
              security:
                - users: [admin, root]
        %s
          /public:
            get:
              security: []
        %s
        components:
          securitySchemes:
            users:
              type: oauth2
              x-amazon-apigateway-authorizer:
                type: jwt
                identitySource: $request.header.Authorization
                jwtConfiguration:
                  issuer: https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example
                  audience: [client-a, client-b]
        x-amazon-apigateway-cors:
          allowOrigins: [https://app.example.com]
          allowMethods: [GET, POST]
          allowHeaders: [authorization]
          exposeHeaders: [x-request-id]
          maxAge: 600
          allowCredentials: true
        """.formatted(http("me", "2.0"), http("admin", "2.0"), http("public", "2.0")));
    assertEquals("/me = " + FN + "me ; methods=GET ; event=apigw-v2 ; authorizer=users ; scopes=read", imported.route("/me"));
    assertEquals("/admin = " + FN + "admin ; methods=GET ; event=apigw-v2 ; authorizer=users ; scopes=admin,root",
        imported.route("/admin"));
    assertEquals("/public = " + FN + "public ; methods=GET ; event=apigw-v2", imported.route("/public"));
    Map<String, String> settings = imported.settings();
    assertEquals("jwt", settings.get("authorizer.users.type"));
    assertEquals("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example", settings.get("authorizer.users.issuer"));
    assertEquals("client-a, client-b", settings.get("authorizer.users.audience"));
    assertFalse(settings.containsKey("authorizer.users.identity-source"), "the default identity source is not written");
    assertEquals("https://app.example.com", settings.get("cors.allow-origins"));
    assertEquals("GET, POST", settings.get("cors.allow-methods"));
    assertEquals("authorization", settings.get("cors.allow-headers"));
    assertEquals("x-request-id", settings.get("cors.expose-headers"));
    assertEquals("600", settings.get("cors.max-age"));
    assertEquals("true", settings.get("cors.allow-credentials"));
    imported.nothingLeftOut();
  }

  @Test
  void lambdaAuthorizersOfRestAndHttpApisWithTheirIdentitySourcesTtlAndPayload() {
    Imported rest = Imported.of("rest.yaml", """
        swagger: "2.0"
        paths:
          /token:
            get:
              security: [{tok: []}]
        %s
          /request:
            get:
              security: [{req: []}]
        %s
        securityDefinitions:
          tok:
            type: apiKey
            name: X-Token
            in: header
            x-amazon-apigateway-authtype: custom
            x-amazon-apigateway-authorizer:
              type: token
              authorizerUri: arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/%sauth/invocations
              identityValidationExpression: "^Bearer .+"
          req:
            type: apiKey
            name: Unused
            in: header
            x-amazon-apigateway-authtype: custom
            x-amazon-apigateway-authorizer:
              type: request
              authorizerUri: arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/%sauth:live/invocations
              identitySource: method.request.header.Auth, method.request.querystring.key, context.sourceIp
              authorizerResultTtlInSeconds: 60
              authorizerCredentials: arn:aws:iam::123456789012:role/auth
        """.formatted(lambda("token", null), lambda("request", null), FN, FN));
    Map<String, String> settings = rest.settings();
    assertEquals("token", settings.get("authorizer.tok.type"));
    assertEquals(FN + "auth", settings.get("authorizer.tok.function"));
    assertEquals("$request.header.X-Token", settings.get("authorizer.tok.identity-source"), "a token authorizer reads its scheme's header");
    assertEquals("300s", settings.get("authorizer.tok.ttl"), "API Gateway's default");
    assertEquals("request-v1", settings.get("authorizer.req.type"), "a REST request authorizer gets payload 1.0");
    assertEquals(FN + "auth:live", settings.get("authorizer.req.function"));
    assertEquals("$request.header.Auth, $request.querystring.key", settings.get("authorizer.req.identity-source"));
    assertEquals("60s", settings.get("authorizer.req.ttl"));
    assertFalse(settings.containsKey("authorizer.req.simple-responses"));
    rest.leftOutWith("rest.yaml", "/securityDefinitions/req/x-amazon-apigateway-authorizer/identitySource", "context.sourceIp");
    rest.leftOutWith("/securityDefinitions/tok/x-amazon-apigateway-authorizer/identityValidationExpression", "^Bearer .+");
    rest.noteWith("/securityDefinitions/req/x-amazon-apigateway-authorizer/authorizerCredentials", "proxy's own credentials");
    assertEquals("/token = " + FN + "token ; methods=GET ; event=apigw-v1 ; authorizer=tok", rest.route("/token"));

    Imported http = Imported.of("http.yaml", """
        openapi: 3.0.1
        paths:
          /a:
            get:
              security: [{simple: []}]
        %s
          /b:
            get:
              security: [{policy: []}]
        %s
        components:
          securitySchemes:
            simple:
              type: apiKey
              name: Authorization
              in: header
              x-amazon-apigateway-authorizer:
                type: request
                identitySource: [$request.header.Authorization, $request.querystring.k]
                authorizerUri: arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/%sauth/invocations
                authorizerPayloadFormatVersion: '2.0'
                enableSimpleResponses: true
                authorizerResultTtlInSeconds: 0
            policy:
              type: apiKey
              name: Authorization
              in: header
              x-amazon-apigateway-authorizer:
                type: request
                authorizerUri: arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/%spolicy/invocations
                authorizerPayloadFormatVersion: 1.0
        """.formatted(http("a", "2.0"), http("b", "2.0"), FN, FN));
    Map<String, String> httpSettings = http.settings();
    assertEquals("request", httpSettings.get("authorizer.simple.type"));
    assertEquals("$request.header.Authorization, $request.querystring.k", httpSettings.get("authorizer.simple.identity-source"));
    assertEquals("0s", httpSettings.get("authorizer.simple.ttl"));
    assertEquals("true", httpSettings.get("authorizer.simple.simple-responses"));
    assertEquals("request-v1", httpSettings.get("authorizer.policy.type"));
    assertEquals("0s", httpSettings.get("authorizer.policy.ttl"), "no identity source, nothing to cache on");
    assertFalse(httpSettings.containsKey("authorizer.policy.simple-responses"));
  }

  @Test
  void cognitoUserPoolAuthorizersBecomeJwtAuthorizersWithThePoolsIssuer() {
    Imported imported = Imported.of("cognito.yaml", """
        swagger: "2.0"
        paths:
          /me:
            get:
              security: [{pool: [email]}]
        %s
        securityDefinitions:
          pool:
            type: apiKey
            name: Authorization
            in: header
            x-amazon-apigateway-authtype: cognito_user_pools
            x-amazon-apigateway-authorizer:
              type: cognito_user_pools
              providerARNs:
                - arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbC
                - arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Other
        """.formatted(lambda("me", null)));
    Map<String, String> settings = imported.settings();
    assertEquals("jwt", settings.get("authorizer.pool.type"));
    assertEquals("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC", settings.get("authorizer.pool.issuer"));
    assertEquals("${POOL_AUDIENCE}", settings.get("authorizer.pool.audience"));
    assertTrue(imported.placeholders().get("POOL_AUDIENCE").contains("app client ids"));
    assertEquals("/me = " + FN + "me ; methods=GET ; event=apigw-v1 ; authorizer=pool ; scopes=email", imported.route("/me"));
    imported.leftOutWith("/securityDefinitions/pool/x-amazon-apigateway-authorizer/providerARNs", "only the first of 2 user pools");
  }

  @Test
  void aRouteWhoseAuthorizationCannotBeCarriedIsNotWrittenRatherThanWrittenOpen() {
    Imported imported = Imported.of("iam.yaml", """
        swagger: "2.0"
        paths:
          /sigv4:
            get:
              security: [{sigv4: []}]
        %s
          /unknown:
            get:
              security: [{nobody: []}]
        %s
          /either:
            get:
              security: [{key: []}, {sigv4: []}]
        %s
        securityDefinitions:
          sigv4:
            type: apiKey
            name: Authorization
            in: header
            x-amazon-apigateway-authtype: awsSigv4
          key:
            type: apiKey
            name: x-api-key
            in: header
        """.formatted(lambda("a", null), lambda("b", null), lambda("c", null)));
    assertEquals(List.of(), imported.routes());
    assertTrue(imported.result().conf().routes().contains("\n# /either = " + FN + "c ; methods=GET ; event=apigw-v1 ; require-api-key=true\n"),
        "a route that needs an API key no setting defines is written commented out, not open");
    imported.leftOutWith("/paths/~1either/get", "requires an API key, but no usable key is defined here");
    imported.leftOutWith("iam.yaml:4 /paths/~1sigv4/get", "IAM authorization", "not written rather than written open");
    imported.leftOutWith("/paths/~1unknown/get", "nobody", "not written rather than written open");
    imported.leftOutWith("/paths/~1either/get/security/1", "only the first of 2 security alternatives");
  }
}

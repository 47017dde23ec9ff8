package dev.lambdaproxy.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SAM templates: APIs as SAM's transform makes them from definition bodies, events, Globals, Auth and CORS. */
class SamImportTest {

  private static final String HEADER = "Transform: AWS::Serverless-2016-10-31\n";

  @Test
  void implicitApisTakeTheEventsOfFunctionsNamedByFunctionNameOrLogicalId() {
    Imported imported = Imported.of("implicit.yaml", HEADER + """
        Resources:
          Named:
            Type: AWS::Serverless::Function
            Properties:
              FunctionName: WeatherFunction
              Events:
                Post:
                  Type: Api
                  Properties: {Path: /, Method: POST}
          Unnamed:
            Type: AWS::Serverless::Function
            Properties:
              Events:
                Get:
                  Type: HttpApi
                  Properties: {Path: "/items/{id}", Method: get, PayloadFormatVersion: '1.0', TimeoutInMillis: 5000}
                Default:
                  Type: HttpApi
        """);
    assertEquals(List.of(
        "/ = WeatherFunction ; methods=POST ; event=apigw-v1 ; timeout-ms=29000",
        "/items/{id} = Unnamed ; methods=GET ; event=apigw-v1 ; timeout-ms=5000",
        "/* = Unnamed ; event=apigw-v2"), imported.routes());
    assertEquals("30000", imported.settings().get("timeout-ms"), "a REST and an HTTP API: REST routes say 29 s of their own");
    imported.noteWith("implicit.yaml:11 /Resources/Unnamed", "has no FunctionName: routes call it Unnamed");
    assertTrue(imported.result().summaries().get(0).contains("ServerlessRestApi (implicit AWS::Serverless::Api)"));
    assertTrue(imported.result().summaries().get(0).contains("ServerlessHttpApi (implicit AWS::Serverless::HttpApi)"));
  }

  @Test
  void autoPublishAliasFromGlobalsKeepsTheAliasOnEventsButNotOnTheBodysOwnArn() {
    Imported imported = Imported.of("alias.yaml", HEADER + """
        Globals:
          Function:
            AutoPublishAlias: live
        Resources:
          Store:
            Type: AWS::Serverless::Function
            Properties:
              Events:
                Proxy:
                  Type: Api
                  Properties: {Path: "/{proxy+}", Method: ANY, RestApiId: !Ref Api}
          Api:
            Type: AWS::Serverless::Api
            Properties:
              StageName: prod
              DefinitionBody:
                swagger: "2.0"
                paths:
                  /raw:
                    get:
                      x-amazon-apigateway-integration:
                        type: aws_proxy
                        uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Store.Arn}/invocations
        """);
    assertEquals("/{proxy+} = Store:live ; event=apigw-v1", imported.route("/{proxy+}"));
    assertEquals("/raw = Store ; methods=GET ; event=apigw-v1", imported.route("/raw"));
  }

  @Test
  void anEventWhosePathTheBodyAlreadyIntegratesKeepsTheBodysIntegrationWithTheEventsTimeout() {
    Imported imported = Imported.of("merge.yaml", HEADER + """
        Parameters:
          Timeout: {Type: Number, Default: 15000}
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              FunctionName: fn
              Events:
                Existing:
                  Type: HttpApi
                  Properties: {ApiId: !Ref Api, Path: /basic, Method: post, TimeoutInMillis: !Ref Timeout}
                NonProxy:
                  Type: Api
                  Properties: {RestApiId: !Ref Rest, Path: /, Method: any}
          Api:
            Type: AWS::Serverless::HttpApi
            Properties:
              DefinitionBody:
                openapi: 3.0.1
                paths:
                  /basic:
                    post:
                      x-amazon-apigateway-integration:
                        type: aws_proxy
                        payloadFormatVersion: '1.0'
                        uri: !Sub arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Other.Arn}/invocations
          Rest:
            Type: AWS::Serverless::Api
            Properties:
              StageName: prod
              DefinitionBody:
                swagger: "2.0"
                paths:
                  /:
                    x-amazon-apigateway-any-method:
                      x-amazon-apigateway-integration:
                        type: aws
                        uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations
                        requestTemplates: {application/json: "{}"}
        """);
    assertEquals(List.of("/basic = ${OTHER_ARN} ; methods=POST ; event=apigw-v1 ; timeout-ms=15000"), imported.routes());
    assertEquals("!GetAtt Other.Arn: not in this template", imported.placeholders().get("OTHER_ARN"));
    imported.noteWith("/Resources/Fn/Properties/Events/Existing", "already integrates POST /basic; SAM keeps that integration");
    imported.leftOutWith("/Resources/Rest/Properties/DefinitionBody/paths/~1/x-amazon-apigateway-any-method/x-amazon-apigateway-integration",
        "non-proxy integration");
    imported.noteWith("/Parameters/Timeout/Default", "its default 15000 is used");
  }

  @Test
  void defaultAuthorizerGuardsEveryMethodUnlessAnEventSaysNoneAndApiKeysFollowApiKeyRequired() {
    Imported imported = Imported.of("auth.yaml", HEADER + """
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              FunctionName: fn
              Events:
                Guarded:
                  Type: Api
                  Properties: {RestApiId: !Ref Api, Path: /guarded, Method: get}
                Open:
                  Type: Api
                  Properties:
                    RestApiId: !Ref Api
                    Path: /open
                    Method: get
                    Auth: {Authorizer: NONE, ApiKeyRequired: false}
                Token:
                  Type: Api
                  Properties:
                    RestApiId: !Ref Api
                    Path: /token
                    Method: get
                    Auth: {Authorizer: TokenAuth}
                Iam:
                  Type: Api
                  Properties:
                    RestApiId: !Ref Api
                    Path: /iam
                    Method: get
                    Auth: {Authorizer: AWS_IAM}
                Scoped:
                  Type: Api
                  Properties:
                    RestApiId: !Ref Api
                    Path: /scoped
                    Method: get
                    Auth: {AuthorizationScopes: [admin]}
          AuthFn:
            Type: AWS::Serverless::Function
            Properties:
              FunctionName: auth
          Api:
            Type: AWS::Serverless::Api
            Properties:
              StageName: prod
              Auth:
                DefaultAuthorizer: Users
                ApiKeyRequired: true
                UsagePlan:
                  CreateUsagePlan: PER_API
                  Quota: {Limit: 1000, Period: WEEK}
                  Throttle: {RateLimit: 5, BurstLimit: 10}
                Authorizers:
                  Users:
                    UserPoolArn: !GetAtt Pool.Arn
                    AuthorizationScopes: [email]
                  TokenAuth:
                    FunctionArn: !GetAtt AuthFn.Arn
                    Identity: {Header: X-Token, ReauthorizeEvery: 30, ValidationExpression: "^x"}
          Pool:
            Type: AWS::Cognito::UserPool
          Client:
            Type: AWS::Cognito::UserPoolClient
            Properties: {UserPoolId: !Ref Pool}
        """);
    assertEquals("/guarded = fn ; methods=GET ; event=apigw-v1 ; authorizer=Users ; scopes=email ; require-api-key=true",
        imported.route("/guarded"));
    assertEquals("/open = fn ; methods=GET ; event=apigw-v1", imported.route("/open"));
    assertEquals("/token = fn ; methods=GET ; event=apigw-v1 ; authorizer=TokenAuth ; require-api-key=true", imported.route("/token"));
    assertEquals("/scoped = fn ; methods=GET ; event=apigw-v1 ; authorizer=Users ; scopes=admin ; require-api-key=true",
        imported.route("/scoped"));
    assertFalse(imported.routes().stream().anyMatch(route -> route.startsWith("/iam ")));
    imported.leftOutWith("/Resources/Fn/Properties/Events/Iam", "IAM authorization", "not written rather than written open");
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("timeout-ms", "29000");
    expected.put("authorizer.Users.type", "jwt");
    expected.put("authorizer.Users.issuer", "https://cognito-idp.${AWS_REGION}.amazonaws.com/${POOL}");
    expected.put("authorizer.Users.audience", "${CLIENT}");
    expected.put("authorizer.TokenAuth.type", "token");
    expected.put("authorizer.TokenAuth.function", "auth");
    expected.put("authorizer.TokenAuth.identity-source", "$request.header.X-Token");
    expected.put("authorizer.TokenAuth.ttl", "30s");
    expected.put("usage-plan.ApiUsagePlan.rate", "5");
    expected.put("usage-plan.ApiUsagePlan.burst", "10");
    expected.put("usage-plan.ApiUsagePlan.quota", "1000/WEEK");
    expected.put("api-key.ApiApiKey.value", "${API_API_KEY}");
    expected.put("api-key.ApiApiKey.plan", "ApiUsagePlan");
    assertEquals(expected, imported.settings());
    imported.leftOutWith("/Resources/Api/Properties/Auth/Authorizers/TokenAuth/Identity/ValidationExpression", "^x");
    assertEquals("the id of Pool (AWS::Cognito::UserPool), known once the stack is deployed", imported.placeholders().get("POOL"));
    assertEquals("the id of Client (AWS::Cognito::UserPoolClient), known once the stack is deployed",
        imported.placeholders().get("CLIENT"));
    assertTrue(imported.placeholders().get("API_API_KEY").startsWith("the value of API key ApiApiKey"));
  }

  @Test
  void httpApiAuthorizersJwtAndLambdaWithIdentityAndSimpleResponses() {
    Imported imported = Imported.of("http-auth.yaml", HEADER + """
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              FunctionName: fn
              Events:
                Jwt:
                  Type: HttpApi
                  Properties: {ApiId: !Ref Api, Path: /jwt, Method: get, Auth: {Authorizer: Jwt, AuthorizationScopes: [read]}}
                Lambda:
                  Type: HttpApi
                  Properties: {ApiId: !Ref Api, Path: /lambda, Method: get}
          AuthFn:
            Type: AWS::Lambda::Function
            Properties: {FunctionName: gate}
          Api:
            Type: AWS::Serverless::HttpApi
            Properties:
              Auth:
                DefaultAuthorizer: Gate
                Authorizers:
                  Jwt:
                    IdentitySource: $request.querystring.token
                    JwtConfiguration:
                      issuer: https://issuer.example.com
                      audience: [one, two]
                  Gate:
                    FunctionArn: !GetAtt AuthFn.Arn
                    AuthorizerPayloadFormatVersion: 2.0
                    EnableSimpleResponses: true
                    Identity:
                      Headers: [Authorization]
                      QueryStrings: [key]
                      Context: [requestId]
                      ReauthorizeEvery: 120
        """);
    assertEquals("/jwt = fn ; methods=GET ; event=apigw-v2 ; authorizer=Jwt ; scopes=read", imported.route("/jwt"));
    assertEquals("/lambda = fn ; methods=GET ; event=apigw-v2 ; authorizer=Gate", imported.route("/lambda"));
    Map<String, String> settings = imported.settings();
    assertEquals("https://issuer.example.com", settings.get("authorizer.Jwt.issuer"));
    assertEquals("one, two", settings.get("authorizer.Jwt.audience"));
    assertEquals("$request.querystring.token", settings.get("authorizer.Jwt.identity-source"));
    assertEquals("request", settings.get("authorizer.Gate.type"));
    assertEquals("gate", settings.get("authorizer.Gate.function"));
    assertEquals("$request.header.Authorization, $request.querystring.key", settings.get("authorizer.Gate.identity-source"));
    assertEquals("120s", settings.get("authorizer.Gate.ttl"));
    assertEquals("true", settings.get("authorizer.Gate.simple-responses"));
    imported.leftOutWith("/Resources/Api/Properties/Auth/Authorizers/Gate/Identity/Context", "requestId");
  }

  @Test
  void corsOfRestAndHttpApisWithGlobalsMergedAsSamMergesThem() {
    Imported rest = Imported.of("rest-cors.yaml", HEADER + """
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              FunctionName: fn
              Events:
                Get: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /x, Method: get}}
          Api:
            Type: AWS::Serverless::Api
            Properties:
              StageName: dev
              Cors:
                AllowMethods: "'GET, OPTIONS'"
                AllowHeaders: "'Content-Type,Authorization'"
                AllowOrigin: "'https://app.example.com'"
                MaxAge: "'500'"
                AllowCredentials: true
        """);
    Map<String, String> settings = rest.settings();
    assertEquals("https://app.example.com", settings.get("cors.allow-origins"));
    assertEquals("GET, OPTIONS", settings.get("cors.allow-methods"));
    assertEquals("Content-Type, Authorization", settings.get("cors.allow-headers"));
    assertEquals("500", settings.get("cors.max-age"));
    assertEquals("true", settings.get("cors.allow-credentials"));

    Imported http = Imported.of("http-cors.yaml", HEADER + """
        Globals:
          HttpApi:
            CorsConfiguration:
              AllowOrigins: [https://global.example.com]
              AllowMethods: [GET]
              MaxAge: 6000
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              FunctionName: fn
              Events:
                Get: {Type: HttpApi, Properties: {ApiId: !Ref Api, Path: /x, Method: get}}
          Api:
            Type: AWS::Serverless::HttpApi
            Properties:
              CorsConfiguration:
                AllowOrigins: [https://local.example.com]
              DefinitionBody:
                openapi: 3.0.1
                paths: {}
                x-amazon-apigateway-cors: {allowOrigins: [https://overridden.example.com]}
        """);
    assertEquals("https://global.example.com, https://local.example.com", http.settings().get("cors.allow-origins"));
    assertEquals("GET", http.settings().get("cors.allow-methods"));
    assertEquals("6000", http.settings().get("cors.max-age"));

    Imported open = Imported.of("open-cors.yaml", HEADER + """
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              FunctionName: fn
              Events:
                Get: {Type: HttpApi, Properties: {Path: /x, Method: get}}
        Globals:
          HttpApi:
            CorsConfiguration: true
        """);
    assertEquals("*", open.settings().get("cors.allow-origins"));
    assertEquals("*", open.settings().get("cors.allow-headers"));
  }

  @Test
  void throttlingOfStagesAndRoutesBecomesRateAndBurst() {
    Imported imported = Imported.of("throttle.yaml", HEADER + """
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              FunctionName: fn
              Events:
                A: {Type: Api, Properties: {RestApiId: !Ref Rest, Path: /a, Method: get}}
                B: {Type: Api, Properties: {RestApiId: !Ref Rest, Path: "/b/{id}", Method: post}}
                C: {Type: HttpApi, Properties: {ApiId: !Ref Http, Path: /c, Method: get, RouteSettings: {ThrottlingRateLimit: 2, ThrottlingBurstLimit: 4}}}
                D: {Type: HttpApi, Properties: {ApiId: !Ref Http, Path: /d, Method: get}}
          Rest:
            Type: AWS::Serverless::Api
            Properties:
              StageName: prod
              CacheClusterEnabled: true
              MethodSettings:
                - {ResourcePath: "/*", HttpMethod: "*", ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200}
                - {ResourcePath: "/~1b~1{id}", HttpMethod: POST, ThrottlingRateLimit: 0.5, ThrottlingBurstLimit: 1}
          Http:
            Type: AWS::Serverless::HttpApi
            Properties:
              DefaultRouteSettings: {ThrottlingRateLimit: 50, ThrottlingBurstLimit: 60}
        """);
    assertEquals("/a = fn ; methods=GET ; event=apigw-v1 ; timeout-ms=29000 ; rate=100 ; burst=200", imported.route("/a"));
    assertEquals("/b/{id} = fn ; methods=POST ; event=apigw-v1 ; timeout-ms=29000 ; rate=0.5 ; burst=1", imported.route("/b/{id}"));
    assertEquals("/c = fn ; methods=GET ; event=apigw-v2 ; rate=2 ; burst=4", imported.route("/c"));
    assertEquals("/d = fn ; methods=GET ; event=apigw-v2 ; rate=50 ; burst=60", imported.route("/d"));
    imported.leftOutWith("/Resources/Rest/Properties/CacheClusterEnabled", "API Gateway's cache is not carried");
  }

  @Test
  void aDefinitionInALocalFileIsReadAndOneInS3IsLeftOut() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("app/template.yaml", HEADER + """
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties: {FunctionName: fn}
          Local:
            Type: AWS::Serverless::HttpApi
            Properties:
              DefinitionUri: ./openapi.yaml
          Included:
            Type: AWS::Serverless::Api
            Properties:
              StageName: prod
              DefinitionBody:
                Fn::Transform:
                  Name: AWS::Include
                  Parameters: {Location: ./included.yaml}
          Remote:
            Type: AWS::Serverless::Api
            Properties:
              StageName: prod
              DefinitionUri: s3://bucket/api.yaml
        """);
    files.put("app/openapi.yaml", """
        openapi: 3.0.1
        paths:
          /local:
            get:
              x-amazon-apigateway-integration:
                type: aws_proxy
                payloadFormatVersion: '2.0'
                uri: arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:local/invocations
        """);
    files.put("app/included.yaml", """
        swagger: "2.0"
        paths:
          /included:
            get:
              x-amazon-apigateway-integration:
                type: aws_proxy
                uri: arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:included/invocations
        """);
    Imported imported = Imported.files(files);
    assertTrue(imported.route("/local").startsWith("/local = arn:aws:lambda:eu-west-1:123456789012:function:local ; methods=GET"));
    assertTrue(imported.route("/included").startsWith("/included = arn:aws:lambda:eu-west-1:123456789012:function:included"));
    imported.leftOutWith("app/template.yaml:22 /Resources/Remote/Properties/DefinitionUri", "s3://bucket/api.yaml", "is not read");
  }

  @Test
  void aFunctionWhoseConditionIsFalseWithTheDefaultsIsSkipped() {
    Imported imported = Imported.of("conditions.yaml", HEADER + """
        Parameters:
          Env: {Type: String, Default: dev}
        Conditions:
          IsProd: !Equals [!Ref Env, prod]
        Resources:
          ProdOnly:
            Type: AWS::Serverless::Function
            Condition: IsProd
            Properties:
              Events:
                Get: {Type: HttpApi, Properties: {Path: /prod, Method: get}}
          Always:
            Type: AWS::Serverless::Function
            Properties:
              FunctionName: !If [IsProd, prod-fn, dev-fn]
              Events:
                Get: {Type: HttpApi, Properties: {Path: /always, Method: get}}
        """);
    assertEquals(List.of("/always = dev-fn ; methods=GET ; event=apigw-v2"), imported.routes());
    imported.noteWith("/Resources/ProdOnly", "is skipped: its condition IsProd is false");
  }

  @Test
  void whatASamApiDoesThatTheProxyDoesNotIsListed() {
    Imported imported = Imported.of("rest-extras.yaml", HEADER + """
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              FunctionName: fn
              Events:
                Get:
                  Type: Api
                  Properties:
                    RestApiId: !Ref Api
                    Path: /x
                    Method: get
                    RequestModel: {Model: Item, Required: true}
                    RequestParameters: [{method.request.header.X-Id: {Required: true}}]
          Api:
            Type: AWS::Serverless::Api
            Properties:
              StageName: prod
              EndpointConfiguration: {Type: PRIVATE}
              Domain: {DomainName: api.example.com}
              GatewayResponses: {DEFAULT_4XX: {}}
              Auth:
                ResourcePolicy: {IpRangeWhitelist: [10.0.0.0/8]}
          Waf:
            Type: AWS::WAFv2::WebACLAssociation
            Properties: {ResourceArn: x, WebACLArn: y}
        """);
    assertEquals(List.of("/x = fn ; methods=GET ; event=apigw-v1"), imported.routes());
    imported.leftOutWith("/Resources/Fn/Properties/Events/Get/Properties/RequestModel", "request model validation");
    imported.leftOutWith("/Resources/Fn/Properties/Events/Get/Properties/RequestParameters/0/method.request.header.X-Id",
        "X-Id is not checked");
    imported.leftOutWith("/Resources/Api/Properties/EndpointConfiguration", "private endpoint");
    imported.leftOutWith("/Resources/Api/Properties/Domain", "custom domain");
    imported.leftOutWith("/Resources/Api/Properties/GatewayResponses", "gateway responses");
    imported.leftOutWith("/Resources/Api/Properties/Auth/ResourcePolicy", "resource policy");
    imported.leftOutWith("/Resources/Waf", "WAF web ACL");
  }
}

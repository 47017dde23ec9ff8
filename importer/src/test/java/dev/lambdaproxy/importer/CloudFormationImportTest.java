package dev.lambdaproxy.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Raw CloudFormation: AWS::ApiGateway::* and AWS::ApiGatewayV2::* resources, usage plans and keys. */
class CloudFormationImportTest {

  @Test
  void aRestApisResourceTreeMethodsAndAuthorizersBecomeRoutes() {
    Imported imported = Imported.of("rest.yaml", """
        Resources:
          Api:
            Type: AWS::ApiGateway::RestApi
            Properties: {Name: shop}
          Orders:
            Type: AWS::ApiGateway::Resource
            Properties: {RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: orders}
          Order:
            Type: AWS::ApiGateway::Resource
            Properties: {RestApiId: !Ref Api, ParentId: !Ref Orders, PathPart: "{id}"}
          ListOrders:
            Type: AWS::ApiGateway::Method
            Properties:
              RestApiId: !Ref Api
              ResourceId: !Ref Orders
              HttpMethod: GET
              AuthorizationType: COGNITO_USER_POOLS
              AuthorizerId: !Ref Users
              AuthorizationScopes: [orders/read]
              ApiKeyRequired: true
              Integration:
                Type: AWS_PROXY
                IntegrationHttpMethod: POST
                TimeoutInMillis: 10000
                Uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${OrdersFn.Arn}/invocations
          GetOrder:
            Type: AWS::ApiGateway::Method
            Properties:
              RestApiId: !Ref Api
              ResourceId: !Ref Order
              HttpMethod: ANY
              AuthorizationType: CUSTOM
              AuthorizerId: !Ref Gate
              Integration:
                Type: AWS_PROXY
                Uri: !Join ['', ['arn:aws:apigateway:', !Ref AWS::Region, ':lambda:path/2015-03-31/functions/', !GetAtt OrdersFn.Arn, ':live/invocations']]
          Root:
            Type: AWS::ApiGateway::Method
            Properties:
              RestApiId: !Ref Api
              ResourceId: !GetAtt Api.RootResourceId
              HttpMethod: GET
              AuthorizationType: AWS_IAM
              Integration: {Type: AWS_PROXY, Uri: !Sub "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${OrdersFn.Arn}/invocations"}
          Users:
            Type: AWS::ApiGateway::Authorizer
            Properties:
              RestApiId: !Ref Api
              Type: COGNITO_USER_POOLS
              Name: users
              IdentitySource: method.request.header.Authorization
              ProviderARNs: [arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Pool]
          Gate:
            Type: AWS::ApiGateway::Authorizer
            Properties:
              RestApiId: !Ref Api
              Type: REQUEST
              Name: gate
              IdentitySource: method.request.header.X-Key, method.request.querystring.tenant
              AuthorizerResultTtlInSeconds: 0
              AuthorizerUri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${GateFn.Arn}/invocations
          Stage:
            Type: AWS::ApiGateway::Stage
            Properties:
              RestApiId: !Ref Api
              StageName: prod
              Variables: {color: blue}
              MethodSettings:
                - {ResourcePath: "/~1orders", HttpMethod: GET, ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40}
          OrdersFn:
            Type: AWS::Lambda::Function
            Properties: {FunctionName: orders}
          GateFn:
            Type: AWS::Lambda::Function
            Properties: {FunctionName: gate}
          Plan:
            Type: AWS::ApiGateway::UsagePlan
            Properties:
              UsagePlanName: basic plan
              Throttle: {RateLimit: 10, BurstLimit: 20}
              Quota: {Limit: 5000, Period: MONTH, Offset: 2}
          Key:
            Type: AWS::ApiGateway::ApiKey
            Properties: {Name: mobile, Enabled: true, Value: never-written}
          Disabled:
            Type: AWS::ApiGateway::ApiKey
            Properties: {Name: old}
          Link:
            Type: AWS::ApiGateway::UsagePlanKey
            Properties: {KeyId: !Ref Key, KeyType: API_KEY, UsagePlanId: !Ref Plan}
          Domain:
            Type: AWS::ApiGateway::DomainName
            Properties: {DomainName: api.example.com}
        """);
    assertEquals(List.of(
        "/orders = orders ; methods=GET ; event=apigw-v1 ; timeout-ms=10000 ; authorizer=users ; scopes=orders/read"
            + " ; require-api-key=true ; rate=20 ; burst=40",
        "/orders/{id} = orders:live ; event=apigw-v1 ; authorizer=gate"), imported.routes());
    imported.leftOutWith("rest.yaml:37 /Resources/Root", "IAM authorization");
    Map<String, String> settings = imported.settings();
    assertEquals("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Pool", settings.get("authorizer.users.issuer"));
    assertEquals("request-v1", settings.get("authorizer.gate.type"));
    assertEquals("gate", settings.get("authorizer.gate.function"));
    assertEquals("$request.header.X-Key, $request.querystring.tenant", settings.get("authorizer.gate.identity-source"));
    assertEquals("0s", settings.get("authorizer.gate.ttl"));
    assertEquals("10", settings.get("usage-plan.basic-plan.rate"));
    assertEquals("20", settings.get("usage-plan.basic-plan.burst"));
    assertEquals("5000/MONTH", settings.get("usage-plan.basic-plan.quota"));
    assertEquals("${MOBILE_API_KEY}", settings.get("api-key.mobile.value"));
    assertEquals("basic-plan", settings.get("api-key.mobile.plan"));
    assertTrue(settings.keySet().stream().noneMatch(key -> key.startsWith("api-key.old")), "a disabled key is not written");
    assertTrue(imported.result().conf().settings().lines().noneMatch(line -> line.contains("never-written")), "a key's value never");
    imported.leftOutWith("/Resources/Plan/Properties/Quota/Offset", "quota offset");
    imported.leftOutWith("/Resources/Domain", "custom domain");
    imported.noteWith("/Resources/Stage/Properties/Variables/color", "stage variable color = blue");
    imported.noteWith("/Resources/Disabled", "API key old is disabled");
  }

  @Test
  void anHttpApisRoutesIntegrationsAndAuthorizersBecomeRoutes() {
    Imported imported = Imported.of("http.yaml", """
        Resources:
          Api:
            Type: AWS::ApiGatewayV2::Api
            Properties:
              Name: items
              ProtocolType: HTTP
              CorsConfiguration: {AllowOrigins: [https://app.example.com], AllowMethods: [GET, PUT]}
          ItemsIntegration:
            Type: AWS::ApiGatewayV2::Integration
            Properties:
              ApiId: !Ref Api
              IntegrationType: AWS_PROXY
              IntegrationUri: !GetAtt ItemsFn.Arn
              PayloadFormatVersion: '2.0'
              TimeoutInMillis: 8000
          LegacyIntegration:
            Type: AWS::ApiGatewayV2::Integration
            Properties:
              ApiId: !Ref Api
              IntegrationType: HTTP_PROXY
              IntegrationMethod: ANY
              IntegrationUri: https://legacy.example.com/{proxy}
              PayloadFormatVersion: '1.0'
          GetItem:
            Type: AWS::ApiGatewayV2::Route
            Properties:
              ApiId: !Ref Api
              RouteKey: GET /items/{id}
              AuthorizationType: JWT
              AuthorizerId: !Ref Jwt
              AuthorizationScopes: [items:read]
              Target: !Join [/, [integrations, !Ref ItemsIntegration]]
          PutItem:
            Type: AWS::ApiGatewayV2::Route
            Properties:
              ApiId: !Ref Api
              RouteKey: PUT /items/{id}
              AuthorizationType: CUSTOM
              AuthorizerId: !Ref Gate
              Target: !Sub integrations/${ItemsIntegration}
          Legacy:
            Type: AWS::ApiGatewayV2::Route
            Properties:
              ApiId: !Ref Api
              RouteKey: ANY /legacy/{proxy+}
              Target: !Sub integrations/${LegacyIntegration}
          Jwt:
            Type: AWS::ApiGatewayV2::Authorizer
            Properties:
              ApiId: !Ref Api
              AuthorizerType: JWT
              Name: users
              IdentitySource: [$request.header.Authorization]
              JwtConfiguration: {Issuer: https://issuer.example.com, Audience: [items]}
          Gate:
            Type: AWS::ApiGatewayV2::Authorizer
            Properties:
              ApiId: !Ref Api
              AuthorizerType: REQUEST
              Name: gate
              AuthorizerPayloadFormatVersion: '2.0'
              EnableSimpleResponses: true
              IdentitySource: [$request.header.X-Key, $context.sourceIp]
              AuthorizerUri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${GateFn.Arn}/invocations
          Stage:
            Type: AWS::ApiGatewayV2::Stage
            Properties:
              ApiId: !Ref Api
              StageName: $default
              DefaultRouteSettings: {ThrottlingRateLimit: 100, ThrottlingBurstLimit: 50}
          ItemsFn:
            Type: AWS::Lambda::Function
            Properties: {FunctionName: items}
          GateFn:
            Type: AWS::Lambda::Function
            Properties: {FunctionName: gate}
        """);
    assertEquals(List.of(
        "/items/{id} = items ; methods=GET ; event=apigw-v2 ; timeout-ms=8000 ; authorizer=users ; scopes=items:read ; rate=100 ; burst=50",
        "/items/{id} = items ; methods=PUT ; event=apigw-v2 ; timeout-ms=8000 ; authorizer=gate ; rate=100 ; burst=50",
        "/legacy/{proxy+} = https://legacy.example.com/{proxy} ; rate=100 ; burst=50"), imported.routes());
    Map<String, String> settings = imported.settings();
    assertEquals("https://app.example.com", settings.get("cors.allow-origins"));
    assertEquals("GET, PUT", settings.get("cors.allow-methods"));
    assertEquals("https://issuer.example.com", settings.get("authorizer.users.issuer"));
    assertEquals("items", settings.get("authorizer.users.audience"));
    assertEquals("request", settings.get("authorizer.gate.type"));
    assertEquals("$request.header.X-Key", settings.get("authorizer.gate.identity-source"));
    assertEquals("true", settings.get("authorizer.gate.simple-responses"));
    imported.leftOutWith("/Resources/Gate/Properties/IdentitySource", "$context.sourceIp");
  }

  @Test
  void aQuickCreateHttpApiIsADefaultRouteWithItsManagedOverrides() {
    Imported imported = Imported.of("quick.yaml", """
        Resources:
          Api:
            Type: AWS::ApiGatewayV2::Api
            Properties: {Name: quick, ProtocolType: HTTP, Target: !GetAtt Fn.Arn}
          Overrides:
            Type: AWS::ApiGatewayV2::ApiGatewayManagedOverrides
            Properties:
              ApiId: !Ref Api
              Route: {AuthorizationType: JWT, AuthorizerId: !Ref Jwt}
              Integration: {TimeoutInMillis: 12000, PayloadFormatVersion: '1.0'}
          Jwt:
            Type: AWS::ApiGatewayV2::Authorizer
            Properties:
              ApiId: !Ref Api
              AuthorizerType: JWT
              Name: jwt
              IdentitySource: [$request.querystring.access_token]
              JwtConfiguration: {Issuer: !Sub "https://cognito-idp.${AWS::Region}.amazonaws.com/${Pool}", Audience: [!Ref Client]}
          Fn:
            Type: AWS::Lambda::Function
            Properties: {}
          Pool:
            Type: AWS::Cognito::UserPool
          Client:
            Type: AWS::Cognito::UserPoolClient
            Properties: {UserPoolId: !Ref Pool}
          Socket:
            Type: AWS::ApiGatewayV2::Api
            Properties: {Name: chat, ProtocolType: WEBSOCKET}
        """);
    assertEquals(List.of("/* = Fn ; event=apigw-v1 ; timeout-ms=12000 ; authorizer=jwt"), imported.routes());
    assertEquals("https://cognito-idp.${AWS_REGION}.amazonaws.com/${POOL}", imported.settings().get("authorizer.jwt.issuer"));
    assertEquals("${CLIENT}", imported.settings().get("authorizer.jwt.audience"));
    assertEquals("$request.querystring.access_token", imported.settings().get("authorizer.jwt.identity-source"));
    imported.leftOutWith("/Resources/Socket", "WebSocket APIs are not carried");
    assertEquals(List.of("AWS_REGION", "POOL", "CLIENT"), List.copyOf(imported.placeholders().keySet()));
  }
}

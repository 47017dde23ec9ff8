package dev.lambdaproxy.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lambdaproxy.config.EventFormat;
import dev.lambdaproxy.importer.api.Finding;
import dev.lambdaproxy.importer.source.SourceFile;
import dev.lambdaproxy.importer.source.Src;
import dev.lambdaproxy.route.RouteTable;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The import corpus (../shared/import-corpus): real exports and templates nobody on this project
 * wrote. Each imports; what it writes parses with the proxy's own parser; every finding points at
 * something that is in its file; and each file's own constructs come out as expected.
 */
class CorpusTest {

  private static final Path CORPUS = Path.of(System.getProperty("lambda-proxy.import-corpus", "../../shared/import-corpus"));

  static Stream<String> files() throws IOException {
    if (!Files.isDirectory(CORPUS)) {
      return Stream.of();
    }
    try (Stream<Path> listing = Files.list(CORPUS)) {
      return listing.map(path -> path.getFileName().toString()).filter(name -> name.matches("\\d\\d-.*\\.(json|yaml)")).sorted()
          .toList().stream();
    }
  }

  private static Imported imported(String... names) {
    Assumptions.assumeTrue(Files.isDirectory(CORPUS), "the import corpus is not at " + CORPUS.toAbsolutePath());
    List<Path> paths = new ArrayList<>();
    for (String name : names) {
      paths.add(CORPUS.resolve(name));
    }
    return Imported.paths(paths);
  }

  private static String file(String prefix) throws IOException {
    return files().filter(name -> name.startsWith(prefix)).findFirst().orElseThrow();
  }

  @Test
  void theCorpusHasItsTwentyThreeFiles() throws IOException {
    Assumptions.assumeTrue(Files.isDirectory(CORPUS), "the import corpus is not at " + CORPUS.toAbsolutePath());
    assertEquals(23, files().count());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void eachFileImportsAndWhatItWritesTheProxyParsesAndEveryFindingPointsIntoTheFile(String name) throws IOException {
    Imported imported = imported(name);
    checkParses(imported.result().conf().routes());
    Src root = SourceFile.read(CORPUS.resolve(name), name).root();
    List<Finding> findings = new ArrayList<>(imported.result().report().leftOut());
    findings.addAll(imported.result().report().notes());
    for (Finding finding : findings) {
      assertEquals(name, finding.where().file(), finding::toString);
      assertTrue(finding.where().line() > 0, finding::toString);
      assertTrue(resolves(root, finding.where().pointer()), () -> "the pointer of " + finding + " names nothing in " + name);
    }
    assertEquals(imported.result().conf(), imported(name).result().conf(), "the same input gives the same files");
  }

  @Test
  void allFilesAtOnceMakeOneTableTheProxyParses() throws IOException {
    Imported imported = imported(files().toArray(String[]::new));
    checkParses(imported.result().conf().routes());
    assertTrue(imported.routes().size() > 20, imported.routes()::toString);
  }

  /** The routes file as the proxy reads it, its placeholders set. */
  private static void checkParses(String routesFile) throws IOException {
    Map<String, String> env = new HashMap<>();
    Matcher placeholders = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)\\}").matcher(routesFile);
    while (placeholders.find()) {
      env.put(placeholders.group(1), placeholders.group(1).equals("AWS_REGION") ? "us-east-1" : "stand-in");
    }
    RouteTable.parse(new StringReader(routesFile), env, EventFormat.RAW);
  }

  private static boolean resolves(Src root, String pointer) {
    Src at = root;
    if (pointer.isEmpty()) {
      return true;
    }
    for (String part : pointer.substring(1).split("/", -1)) {
      String key = part.replace("~1", "/").replace("~0", "~");
      at = at.isArray() ? at.at(Integer.parseInt(key)) : at.get(key);
      if (!at.present()) {
        return false;
      }
    }
    return true;
  }

  private static void routes(Imported imported, String... expected) {
    assertEquals(List.of(expected), imported.routes());
  }

  @Test
  void petStoreHttpApiProxiesItsHttpEndpointsWithThePathVariableAndCors() throws IOException {
    Imported imported = imported(file("01-"));
    routes(imported,
        "/pets = http://petstore.execute-api.us-west-1.amazonaws.com/petstore/pets ; methods=GET,POST",
        "/pets/{petId} = http://petstore.execute-api.us-west-1.amazonaws.com/petstore/pets/{petId} ; methods=GET");
    assertEquals("*", imported.settings().get("cors.allow-origins"));
    assertEquals("GET, OPTIONS, POST", imported.settings().get("cors.allow-methods"));
    imported.nothingLeftOut();
  }

  @Test
  void lambdaCalcHasOnlyNonProxyIntegrationsAndEveryOneIsListed() throws IOException {
    Imported imported = imported(file("02-"));
    routes(imported);
    assertEquals(3, imported.leftOut().stream().filter(finding -> finding.contains("non-proxy integration (type aws")).count());
    imported.noteWith("/basePath", "base path /test");
  }

  @Test
  void reusedIntegrationsOfAnHttpApiKeepPayloadOneAndFullArns() throws IOException {
    routes(imported(file("03-")),
        "/ = arn:aws:lambda:us-east-2:123456789012:function:my-function ; methods=GET ; event=apigw-v1",
        "/pets = arn:aws:lambda:us-east-2:123456789012:function:my-function ; methods=GET ; event=apigw-v1",
        "/checkout = arn:aws:lambda:us-east-2:123456789012:function:example-function ; methods=GET ; event=apigw-v1");
  }

  @Test
  void awsImportVariablesNameAFunctionOfTheStacksOwnAccount() throws IOException {
    Imported imported = imported(file("04-"));
    routes(imported, "/ = LambdaFunctionName ; methods=GET ; event=apigw-v1");
    assertTrue(imported.placeholders().isEmpty(), imported.placeholders()::toString);
  }

  @Test
  void anHttpProxyExportWithParameterMappingIsWrittenAndItsMappingsListed() throws IOException {
    Imported imported = imported(file("07-"));
    assertEquals(3, imported.routes().size());
    assertTrue(imported.routes().stream().allMatch(route -> route.endsWith(" ; methods=GET ; timeout-ms=12000")), imported.routes()::toString);
    assertEquals(3, imported.leftOut().stream().filter(finding -> finding.contains("request parameter mapping")).count());
    assertEquals(3, imported.leftOut().stream().filter(finding -> finding.contains("response parameter mapping")).count());
    assertEquals("false", imported.settings().get("cors.allow-credentials"));
    assertEquals("300", imported.settings().get("cors.max-age"));
  }

  @Test
  void aJwtAuthorizerFromANestedStacksOutputsIsPlaceholdersAndCorsTakesTheParametersDefault() throws IOException {
    Imported imported = imported(file("08-"));
    routes(imported, "/ = AppFunction ; methods=GET ; event=apigw-v2 ; authorizer=OAuth2Authorizer ; scopes=email");
    assertEquals("${AUTH_STACK_ISSUER}", imported.settings().get("authorizer.OAuth2Authorizer.issuer"));
    assertEquals("${AUTH_STACK_USER_POOL_CLIENT_ID}", imported.settings().get("authorizer.OAuth2Authorizer.audience"));
    assertEquals("https://myapp.com", imported.settings().get("cors.allow-origins"));
    imported.noteWith("/Parameters/Client/Default", "its default https://myapp.com is used");
  }

  @Test
  void aPrivateRestApisAnyMethodIsOneRouteAndItsPolicyIsListed() throws IOException {
    Imported imported = imported(file("09-"));
    routes(imported, "/get = LambdaFunction ; event=apigw-v1");
    imported.leftOutWith("/Resources/PrivateApi/Properties/DefinitionBody/x-amazon-apigateway-policy", "resource policy");
    imported.leftOutWith("/Resources/PrivateApi/Properties/EndpointConfiguration", "private endpoint");
  }

  @Test
  void samKeepsTheBodysNonProxyIntegrationSoNothingIsRouted() throws IOException {
    Imported imported = imported(file("10-"));
    routes(imported);
    imported.leftOutWith("/Resources/ApiRegional/Properties/DefinitionBody/paths/~1/x-amazon-apigateway-any-method/x-amazon-apigateway-integration",
        "non-proxy integration");
  }

  @Test
  void rawRestMethodsReachFunctionsNamedWithTheStackNameAndMocksGiveCors() throws IOException {
    Imported imported = imported(file("11-"));
    routes(imported,
        "/standard = ${AWS_STACK_NAME}-counter-standard ; methods=GET ; event=apigw-v1",
        "/isolated = ${AWS_STACK_NAME}-counter-isolated ; methods=GET ; event=apigw-v1");
    assertEquals("*", imported.settings().get("cors.allow-origins"));
    assertTrue(imported.settings().get("cors.allow-headers").endsWith(", x-tenant-id"), imported.settings()::toString);
    imported.leftOutWith("/Resources/IsolatedMethod/Properties/RequestValidatorId", "request validation (parameters)");
    assertEquals(2, imported.leftOut().stream().filter(finding -> finding.contains("X-Amz-Tenant-Id")).count());
  }

  @Test
  void aCognitoDefaultAuthorizerBecomesAJwtAuthorizerWithThePoolsIssuerAndClient() throws IOException {
    Imported imported = imported(file("12-"));
    routes(imported, "/lambdaExample = myFunction ; methods=GET ; event=apigw-v1 ; authorizer=MyCognitoAuthorizer");
    assertEquals("https://cognito-idp.${AWS_REGION}.amazonaws.com/${R_USER_POOL}",
        imported.settings().get("authorizer.MyCognitoAuthorizer.issuer"));
    assertEquals("${R_AMPLIFY_COGNITO_CLIENT}", imported.settings().get("authorizer.MyCognitoAuthorizer.audience"));
    assertEquals("500", imported.settings().get("cors.max-age"));
  }

  @Test
  void aUsagePlanAndItsKeyGuardBothMethodsOfOnePath() throws IOException {
    Imported imported = imported(file("13-"));
    routes(imported, "/plantest = UsagePlanFunction ; methods=GET,POST ; event=apigw-v1 ; require-api-key=true");
    assertEquals("15", imported.settings().get("usage-plan.DailyLimit.rate"));
    assertEquals("30", imported.settings().get("usage-plan.DailyLimit.burst"));
    assertEquals("50/DAY", imported.settings().get("usage-plan.DailyLimit.quota"));
    assertEquals("${USAGE_PLAN_API_KEY}", imported.settings().get("api-key.UsagePlanApiKey.value"));
    assertEquals("DailyLimit", imported.settings().get("api-key.UsagePlanApiKey.plan"));
    imported.leftOutWith("/Resources/UsagePlan/Properties/ApiStages/0/Throttle", "/plantest/POST");
  }

  @Test
  void autoPublishAliasKeepsLiveOnTheGreedyAnyRoute() throws IOException {
    routes(imported(file("14-")), "/{proxy+} = UnicornStoreSpringFunction:live ; event=apigw-v1");
  }

  @Test
  void anSqsIntegrationIsListedAndItsUnusedAuthorizerNoted() throws IOException {
    Imported imported = imported(file("15-"));
    routes(imported);
    imported.leftOutWith("SQS-SendMessage is not carried");
    imported.noteWith("/Resources/HttpApi/Properties/Auth/Authorizers/AuthorizerFunction", "guards no route that was written");
  }

  @Test
  void anHttpApisPathAndItsGreedyChildBothGoToTheFunctionInPayloadTwo() throws IOException {
    Imported imported = imported(file("16-"));
    routes(imported, "/api = LambdaFunction ; methods=GET ; event=apigw-v2", "/api/{proxy+} = LambdaFunction ; methods=GET ; event=apigw-v2");
    assertEquals("GET, HEAD, OPTIONS, POST", imported.settings().get("cors.allow-methods"));
  }

  @Test
  void theImplicitRestApiCallsTheLiteralFunctionName() throws IOException {
    routes(imported(file("17-")), "/ = WeatherFunction ; methods=POST ; event=apigw-v1");
  }

  @Test
  void anExistingOpenApiBodyMergedWithEventsAsSamMergesIt() throws IOException {
    Imported imported = imported(file("18-"));
    routes(imported,
        "/basic = ${DIFFERENT_FUNCTION_ARN} ; methods=POST ; event=apigw-v1 ; timeout-ms=10000 ; authorizer=OpenIdAuth ; scopes=scope3",
        "/get/{something}/with/{params} = HttpApiFunction ; methods=GET ; event=apigw-v2",
        "/integration = HttpApiFunction ; methods=POST ; event=apigw-v1 ; authorizer=OpenIdAuth ; scopes=scope1,scope2",
        "/* = HttpApiFunction ; event=apigw-v1 ; timeout-ms=15000 ; authorizer=OpenIdAuth ; scopes=scope1,scope2",
        "/oauth2 = HttpApiFunction ; methods=POST ; event=apigw-v1 ; authorizer=oauth2Auth ; scopes=scope4");
    assertEquals("https://global.com, https://local.com", imported.settings().get("cors.allow-origins"));
    assertEquals("$request.querystring.param", imported.settings().get("authorizer.OpenIdAuth.identity-source"));
  }

  @Test
  void aLambdaAuthorizerWithEveryIdentitySourceKeepsHeadersAndQueryStrings() throws IOException {
    Imported imported = imported(file("19-"));
    routes(imported, "/basic = HttpApiFunction ; methods=GET,POST ; event=apigw-v2 ; authorizer=LambdaAuth",
        "/* = HttpApiFunction ; event=apigw-v2 ; authorizer=LambdaAuth");
    assertEquals("$request.header.Authorization, $request.querystring.petId", imported.settings().get("authorizer.LambdaAuth.identity-source"));
    assertEquals("60s", imported.settings().get("authorizer.LambdaAuth.ttl"));
    assertEquals("true", imported.settings().get("authorizer.LambdaAuth.simple-responses"));
    imported.leftOutWith("stageVar");
    imported.leftOutWith("contextVar");
  }

  @Test
  void functionsWhoseLogicalIdsArePrefixesOfEachOtherStayApart() throws IOException {
    routes(imported(file("20-")),
        "/basic = HttpApiFunction ; methods=POST ; event=apigw-v2",
        "/* = HttpApiFunction ; event=apigw-v2",
        "/basic2 = HttpApiFunction2 ; methods=POST ; event=apigw-v2",
        "/get/{something}/with/{params} = HttpApiFunction2 ; methods=POST ; event=apigw-v2");
  }

  @Test
  void apiKeyRequiredFromGlobalsWithNoKeyDefinedLeavesTheBodysMethodsCommentedOutRatherThanOpen() throws IOException {
    Imported imported = imported(file("21-"));
    routes(imported);
    String routesFile = imported.result().conf().routes();
    assertTrue(routesFile.contains("\n# /apione = MyFunction ; methods=GET ; event=apigw-v1 ; require-api-key=true\n"), routesFile);
    assertTrue(routesFile.contains("\n# /apitwo = MyFunction ; methods=GET ; event=apigw-v1 ; require-api-key=true\n"), routesFile);
    imported.leftOutWith("/Resources/MyApi/Properties/DefinitionBody/paths/~1apione/get", "requires an API key", "commented out");
    imported.leftOutWith("/Resources/MyApi/Properties/DefinitionBody/paths/~1apitwo/get", "requires an API key", "commented out");
    imported.leftOutWith("/Resources/MyApi/Properties/Cors", "the CORS origin 'origins' is not carried", "is not an origin");
    imported.leftOutWith("/Resources/MyApi/Properties/Cors", "CORS is not written: no origin of it can be carried");
    assertTrue(imported.settings().keySet().stream().noneMatch(key -> key.startsWith("cors.")), imported.settings()::toString);
  }

  @Test
  void aRestRequestAuthorizerWithAHeaderAndAQueryString() throws IOException {
    Imported imported = imported(file("22-"));
    routes(imported, "/ = MyProxyFunction ; methods=GET ; event=apigw-v1 ; authorizer=my-authorizer");
    assertEquals("request-v1", imported.settings().get("authorizer.my-authorizer.type"));
    assertEquals("$request.header.HeaderAuth1, $request.querystring.QueryString1",
        imported.settings().get("authorizer.my-authorizer.identity-source"));
  }

  @Test
  void aQuickCreateHttpApiWithAJwtAuthorizerReadingTheQueryString() throws IOException {
    Imported imported = imported(file("23-"));
    routes(imported, "/* = MyLambdaFunction ; event=apigw-v2 ; authorizer=test-jwt-authorizer");
    assertEquals("$request.querystring.access_token", imported.settings().get("authorizer.test-jwt-authorizer.identity-source"));
    assertEquals("https://cognito-idp.${AWS_REGION}.amazonaws.com/${USER_POOL}",
        imported.settings().get("authorizer.test-jwt-authorizer.issuer"));
  }

  @Test
  void aTokenAuthorizerWhoseUrisAreJoined() throws IOException {
    Imported imported = imported(file("24-"));
    routes(imported, "/ = AppFunction ; methods=GET ; event=apigw-v1 ; authorizer=LambdaAuthorizerToken");
    assertEquals("token", imported.settings().get("authorizer.LambdaAuthorizerToken.type"));
    assertEquals("TokenAuthorizerFunction", imported.settings().get("authorizer.LambdaAuthorizerToken.function"));
    assertEquals("$request.header.authorizationToken", imported.settings().get("authorizer.LambdaAuthorizerToken.identity-source"));
  }

  @Test
  void aVpcLinkBackendIsCalledDirectlyAndTheLinkIsListed() throws IOException {
    Imported imported = imported(file("25-"));
    routes(imported,
        "/ = http://${NETWORK_STACK_O_NETWORK_LOAD_BALANCER_DNS_NAME}/ ; authorizer=CognitoAuthorizer",
        "/{proxy+} = http://${NETWORK_STACK_O_NETWORK_LOAD_BALANCER_DNS_NAME}/{proxy} ; authorizer=CognitoAuthorizer");
    assertEquals(2, imported.leftOut().stream().filter(finding -> finding.contains("the VPC link is not carried")).count());
    imported.leftOutWith("/Resources/rApiGateway/Properties/Policy", "resource policy");
  }
}

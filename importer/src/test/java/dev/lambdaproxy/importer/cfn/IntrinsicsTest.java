package dev.lambdaproxy.importer.cfn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lambdaproxy.importer.api.Report;
import dev.lambdaproxy.importer.source.SourceFile;
import dev.lambdaproxy.importer.source.Src;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** CloudFormation's intrinsics, resolved as far as the template alone allows. */
class IntrinsicsTest {

  private static final String TEMPLATE = """
      Parameters:
        Stage:
          Type: String
          Default: prod
        Origins:
          Type: CommaDelimitedList
          Default: "https://a.example, https://b.example"
        NoDefault:
          Type: String
      Mappings:
        Regions:
          prod:
            Host: api.example.com
      Conditions:
        IsProd: !Equals [!Ref Stage, prod]
        IsDev: !Not [!Condition IsProd]
        Unknown: !Equals [!Ref NoDefault, x]
      Resources:
        Named:
          Type: AWS::Serverless::Function
          Properties:
            FunctionName: !Sub "${AWS::StackName}-named"
        Literal:
          Type: AWS::Lambda::Function
          Properties:
            FunctionName: weather
        Unnamed:
          Type: AWS::Serverless::Function
          Properties:
            AutoPublishAlias: live
        LiveAlias:
          Type: AWS::Lambda::Alias
          Properties:
            FunctionName: !Ref Literal
            Name: blue
        Pool:
          Type: AWS::Cognito::UserPool
        Nested:
          Type: AWS::Serverless::Application
      Outputs: {}
      Values:
        refParameter: !Ref Stage
        refList: !Ref Origins
        refNoDefault: !Ref NoDefault
        region: !Ref AWS::Region
        urlSuffix: !Sub "execute-api.${AWS::Region}.${AWS::URLSuffix}"
        namedFunction: !Ref Named
        literalFunction: !Ref Literal
        unnamedArn: !GetAtt Unnamed.Arn
        alias: !Ref LiveAlias
        samAlias: !Ref Unnamed.Alias
        subArn: !Sub "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Literal.Arn}/invocations"
        subVars: !Sub ["${Host}/${!Literal}/${Stage}", {Host: !FindInMap [Regions, !Ref Stage, Host]}]
        subStageVariable: !Sub "fn-${stageVariables.alias}"
        join: !Join ["", ["arn:", !Ref AWS::Partition, ":x:", !GetAtt Literal.Arn]]
        select: !Select [1, !Ref Origins]
        split: !Select [0, !Split ["/", "a/b/c"]]
        ifTrue: !If [IsProd, yes-prod, not-prod]
        ifFalse: !If [IsDev, dev, not-dev]
        ifUnknown: !If [Unknown, first, second]
        importValue: !ImportValue shared-user-pool
        nestedOutput: !GetAtt Nested.Outputs.Issuer
        poolArn: !GetAtt Pool.Arn
        poolUrl: !GetAtt Pool.ProviderURL
        missing: !Ref NotInTemplate
        missingAtt: !GetAtt Other.Arn
        base64: !Base64 hi
        noValue:
          keep: 1
          drop: !Ref AWS::NoValue
      """;

  private final Report report = new Report();
  private final Src root = SourceFile.parse(TEMPLATE, "t.yaml").root();
  private final Intrinsics intrinsics = new Intrinsics(new Template(root, null), report);

  private String value(String name) {
    return intrinsics.text(root.get("Values").get(name));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "refParameter|prod",
      "refNoDefault|${NO_DEFAULT}",
      "region|${AWS_REGION}",
      "urlSuffix|execute-api.${AWS_REGION}.amazonaws.com",
      "namedFunction|${AWS_STACK_NAME}-named",
      "literalFunction|weather",
      "unnamedArn|arn:${AWS_PARTITION}:lambda:${AWS_REGION}:${AWS_ACCOUNT_ID}:function:Unnamed",
      "alias|arn:${AWS_PARTITION}:lambda:${AWS_REGION}:${AWS_ACCOUNT_ID}:function:weather:blue",
      "samAlias|arn:${AWS_PARTITION}:lambda:${AWS_REGION}:${AWS_ACCOUNT_ID}:function:Unnamed:live",
      "subArn|arn:aws:apigateway:${AWS_REGION}:lambda:path/2015-03-31/functions/arn:${AWS_PARTITION}:lambda:${AWS_REGION}:${AWS_ACCOUNT_ID}:function:weather/invocations",
      "subVars|api.example.com/${Literal}/prod",
      "subStageVariable|fn-${alias}",
      "join|arn:${AWS_PARTITION}:x:arn:${AWS_PARTITION}:lambda:${AWS_REGION}:${AWS_ACCOUNT_ID}:function:weather",
      "select|https://b.example",
      "split|a",
      "ifTrue|yes-prod",
      "ifFalse|not-dev",
      "ifUnknown|first",
      "importValue|${IMPORT_SHARED_USER_POOL}",
      "nestedOutput|${NESTED_ISSUER}",
      "poolArn|arn:${AWS_PARTITION}:cognito-idp:${AWS_REGION}:${AWS_ACCOUNT_ID}:userpool/${POOL}",
      "poolUrl|cognito-idp.${AWS_REGION}.amazonaws.com/${POOL}",
      "missing|${NOT_IN_TEMPLATE}",
      "missingAtt|${OTHER_ARN}",
      "base64|aGk=",
  })
  void resolvesWhatTheTemplateSaysAndLeavesPlaceholdersForTheRest(String name, String expected) {
    assertEquals(expected, value(name));
  }

  @Test
  void everyPlaceholderIsRecordedWithWhatItStandsFor() {
    value("refNoDefault");
    value("nestedOutput");
    value("missing");
    value("importValue");
    assertEquals("parameter NoDefault of the template (it has no default)", report.placeholders().get("NO_DEFAULT").meaning());
    assertEquals("the output Issuer of the nested stack Nested", report.placeholders().get("NESTED_ISSUER").meaning());
    assertEquals("!Ref NotInTemplate: not in this template", report.placeholders().get("NOT_IN_TEMPLATE").meaning());
    assertEquals("the value another stack exports as shared-user-pool",
        report.placeholders().get("IMPORT_SHARED_USER_POOL").meaning());
    assertEquals("t.yaml:65 /Values/missing", report.placeholders().get("NOT_IN_TEMPLATE").where().toString());
  }

  @Test
  void choicesAreNotedOnce() {
    value("refParameter");
    value("refParameter");
    value("unnamedArn");
    value("ifUnknown");
    assertEquals(1, report.notes().stream().filter(note -> note.text().startsWith("parameter Stage: its default prod is used")).count());
    assertTrue(report.notes().stream().anyMatch(note -> note.text().startsWith("function Unnamed has no FunctionName")
        && note.where().toString().equals("t.yaml:27 /Resources/Unnamed")));
    assertTrue(report.notes().stream().anyMatch(note -> note.text().startsWith("condition Unknown cannot be decided")));
  }

  @Test
  void aListParameterAndNoValueResolveToLists() {
    assertEquals("[\"https://a.example\",\"https://b.example\"]", intrinsics.resolve(root.get("Values").get("refList")).node().toString());
    assertEquals("{\"keep\":1}", intrinsics.resolve(root.get("Values").get("noValue")).node().toString());
  }

  @Test
  void logicalIdsAndConditionsOfResources() {
    Src values = root.get("Values");
    assertEquals("Literal", intrinsics.logicalId(root.get("Resources").get("LiveAlias").get("Properties").get("FunctionName")));
    assertEquals("Nested", intrinsics.logicalId(values.get("nestedOutput")));
    assertEquals("live", intrinsics.autoPublishAlias("Unnamed"));
    assertEquals("Unnamed", intrinsics.functionName("Unnamed"));
    assertTrue(intrinsics.holds(new Template(root, null).resource("Pool")));
    assertFalse(report.placeholders().containsKey("AWS_REGION"), "nothing resolved yet names the region");
  }
}

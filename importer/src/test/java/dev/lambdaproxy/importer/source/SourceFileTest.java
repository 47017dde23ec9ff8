package dev.lambdaproxy.importer.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lambdaproxy.importer.ImportException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SourceFileTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static String longForm(String yaml) {
    return SourceFile.parse("value: " + yaml + "\n", "t.yaml").root().get("value").node().toString();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "!Ref MyFunction|{\"Ref\":\"MyFunction\"}",
      "!GetAtt MyFunction.Arn|{\"Fn::GetAtt\":[\"MyFunction\",\"Arn\"]}",
      "!GetAtt AuthStack.Outputs.Issuer|{\"Fn::GetAtt\":[\"AuthStack\",\"Outputs.Issuer\"]}",
      "!GetAtt [MyFunction, Arn]|{\"Fn::GetAtt\":[\"MyFunction\",\"Arn\"]}",
      "!Sub 'arn:${AWS::Partition}:x'|{\"Fn::Sub\":\"arn:${AWS::Partition}:x\"}",
      "!Sub ['${A}-b', {A: !Ref P}]|{\"Fn::Sub\":[\"${A}-b\",{\"A\":{\"Ref\":\"P\"}}]}",
      "!Join ['', [a, !Ref B]]|{\"Fn::Join\":[\"\",[\"a\",{\"Ref\":\"B\"}]]}",
      "!If [IsProd, a, b]|{\"Fn::If\":[\"IsProd\",\"a\",\"b\"]}",
      "!Select [0, !Split [',', 'a,b']]|{\"Fn::Select\":[0,{\"Fn::Split\":[\",\",\"a,b\"]}]}",
      "!FindInMap [Map, Key, Value]|{\"Fn::FindInMap\":[\"Map\",\"Key\",\"Value\"]}",
      "!ImportValue shared-vpc|{\"Fn::ImportValue\":\"shared-vpc\"}",
      "!Base64 text|{\"Fn::Base64\":\"text\"}",
      "!GetAZs ''|{\"Fn::GetAZs\":\"\"}",
      "!Equals [!Ref Env, prod]|{\"Fn::Equals\":[{\"Ref\":\"Env\"},\"prod\"]}",
      "!Not [!Condition IsProd]|{\"Fn::Not\":[{\"Condition\":\"IsProd\"}]}",
      "!And [!Condition A, !Condition B]|{\"Fn::And\":[{\"Condition\":\"A\"},{\"Condition\":\"B\"}]}",
      "!Or [!Condition A, !Condition B]|{\"Fn::Or\":[{\"Condition\":\"A\"},{\"Condition\":\"B\"}]}",
      "!Cidr [10.0.0.0/16, 4, 8]|{\"Fn::Cidr\":[\"10.0.0.0/16\",4,8]}",
  })
  void cloudFormationShortFormTagsBecomeTheirLongForms(String yaml, String json) throws Exception {
    assertEquals(JSON.readTree(json).toString(), longForm(yaml));
  }

  @Test
  void yamlScalarsKeepHowTheyWereWritten() {
    Src root = SourceFile.parse("""
        version: 1.0
        two: 2.0
        count: 15000
        enabled: true
        date: 2012-10-17
        quoted: '1.0'
        empty:
        """, "t.yaml").root();
    assertEquals("1.0", root.get("version").text());
    assertEquals("2.0", root.get("two").text());
    assertEquals("15000", root.get("count").text());
    assertEquals("true", root.get("enabled").text());
    assertEquals("2012-10-17", root.get("date").text());
    assertEquals("1.0", root.get("quoted").text());
    assertFalse(root.get("empty").present());
  }

  @Test
  void everyValueKnowsItsPointerAndLineInYaml() {
    Src root = SourceFile.parse("""
        # comment
        Resources:
          My/Api:
            Properties:
              Paths:
                - first
                - !Ref Second
        """, "t.yaml").root();
    Src second = root.get("Resources").get("My/Api").get("Properties").get("Paths").at(1);
    assertEquals(new Location("t.yaml", "/Resources/My~1Api/Properties/Paths/1", 7), second.location());
    assertEquals("t.yaml:7 /Resources/My~1Api/Properties/Paths/1", second.location().toString());
    Src missing = root.get("Resources").get("My/Api").get("Nope").get("Deeper");
    assertFalse(missing.present());
    assertEquals("/Resources/My~1Api/Nope/Deeper", missing.location().pointer());
    assertEquals(3, missing.location().line(), "an absent value is reported where its nearest present parent is named");
  }

  @Test
  void everyValueKnowsItsPointerAndLineInJson() {
    Src root = SourceFile.parse("{\n  \"paths\": {\n    \"/a~b\": {\n      \"get\": true,\n      \"post\": null\n    }\n  }\n}\n",
        "t.json").root();
    Src get = root.get("paths").get("/a~b").get("get");
    assertEquals(new Location("t.json", "/paths/~1a~0b/get", 4), get.location());
    assertEquals(5, root.get("paths").get("/a~b").get("post").location().line(), "each true and null has a line of its own");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "t.yaml|a: [1, 2|t.yaml:1: not valid YAML:",
      "t.yaml|a: 1\\n  b: 2\\n|t.yaml:2: not valid YAML:",
      "t.yaml|a: !Ref x\\n---\\nb: 2\\n|t.yaml:",
      "t.json|{\"a\": 1,\\n \"b\": }|t.json:2: not valid JSON:",
      "t.json|{\"a\": 1} {}|t.json:1: not valid JSON:",
      "t.yaml|   \\n\\n|t.yaml: the file is empty",
  })
  void unparseableInputIsOneLineNamingTheFileAndLine(String name, String text, String expectedStart) {
    String message = assertThrows(ImportException.class, () -> SourceFile.parse(text.replace("\\n", "\n"), name)).getMessage();
    assertTrue(message.startsWith(expectedStart), message);
    assertFalse(message.contains("\n"), message);
  }

  @Test
  void aFileThatIsNotUtf8OrNotThereIsNamed(@TempDir Path dir) throws Exception {
    Path latin1 = dir.resolve("latin1.yaml");
    Files.write(latin1, new byte[] {'a', ':', ' ', (byte) 0xE9, '\n'});
    assertEquals("latin1.yaml: not UTF-8 text",
        assertThrows(ImportException.class, () -> SourceFile.read(latin1, "latin1.yaml")).getMessage());
    assertEquals("gone.json: no such file",
        assertThrows(ImportException.class, () -> SourceFile.read(dir.resolve("gone.json"), "gone.json")).getMessage());
  }

  @Test
  void aByteOrderMarkIsSkipped() {
    assertEquals("3.0.1", SourceFile.parse("\uFEFF{\"openapi\": \"3.0.1\"}", "t.json").root().get("openapi").text());
  }
}

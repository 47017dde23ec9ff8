package dev.lambdaproxy.invoke.event;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GroupedTest {

  /** The query as {@code {name=[values]}} in order; an empty value prints as {@code []}. */
  private static String parse(String rawQuery) {
    Map<String, List<String>> parsed = new LinkedHashMap<>();
    for (Grouped.Group group : Grouped.query(rawQuery).groups()) {
      parsed.put(group.name, group.values);
    }
    return parsed.toString();
  }

  @ParameterizedTest(name = "{0} parses as {1}")
  @CsvSource(delimiter = '|', nullValues = "NONE", value = {
      "NONE|{}",
      "''|{}",
      "a=1|{a=[1]}",
      "a=1&a=2&b=|{a=[1, 2], b=[]}",
      "flag|{flag=[]}",
      "a=1&&b=2&|{a=[1], b=[2]}",
      "a=x=y|{a=[x=y]}",
      "A=1&a=2|{A=[1], a=[2]}",
      "q=caf%C3%A9+cr%C3%A8me|{q=[café crème]}",
      "plus=%2B1|{plus=[+1]}",
      "check=%E2%9C%93|{check=[✓]}",
      "caf%C3%A9=1|{café=[1]}",
      "bad=%zz%4|{bad=[%zz%4]}",
      "bad=100%|{bad=[100%]}",
      "latin=%E9|{latin=[\uFFFD]}",
      "mixed=a%20b%2Cc|{mixed=[a b,c]}",
  })
  void queryNamesAndValuesAreFormDecoded(String rawQuery, String expected) {
    assertEquals(expected, parse(rawQuery));
  }
}

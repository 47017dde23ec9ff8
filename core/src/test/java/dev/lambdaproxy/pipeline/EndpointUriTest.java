package dev.lambdaproxy.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lambdaproxy.route.RouteTable;
import java.io.IOException;
import java.io.StringReader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The URL an HTTP endpoint route calls: its path variables filled in, the rest of a greedy or prefix path, the query. */
class EndpointUriTest {

  @ParameterizedTest(name = "{0} {2} -> {3}")
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      "/pets/{petId}|http://h/petstore/pets/{petId}|/pets/7|-|http://h/petstore/pets/7",
      "/pets/{petId}|http://h/petstore/pets/{petId}|/pets/a b|q=1|http://h/petstore/pets/a%20b?q=1",
      "/a/{x}/b/{y}|http://h/{y}/and/{x}|/a/1/b/2|-|http://h/2/and/1",
      "/{proxy+}|http://h/base/{proxy}|/x/y%z|-|http://h/base/x/y%25z",
      "/{proxy+}|http://h/base/{proxy+}|/x/y|-|http://h/base/x/y",
      "/api/{proxy+}|http://h/base|/api/x/y|-|http://h/base/x/y",
      "/api/{v}/{proxy+}|http://h/{v}|/api/v2/x/y|-|http://h/v2/x/y",
      "/api/*|http://h/base/|/api/x|a=b|http://h/base/x?a=b",
  })
  void theRoutesPathVariablesAndRemainderFillTheUrl(String route, String url, String path, String query, String expected)
      throws IOException {
    RouteTable table = RouteTable.parse(new StringReader(route + " = " + url + "\n"));
    var match = table.match(path, "GET");
    assertEquals(expected, Prepare.endpointUri(match.route().endpoint(), match, query));
  }
}

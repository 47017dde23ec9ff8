package dev.lambdaproxy.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lambdaproxy.config.ConfigException;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which route a path picks when exact paths, templates, greedy templates and prefixes overlap. */
class RouteMatchingTest {

  private static final String TABLE = """
      /users/me = exact-me
      /users/{id} = user
      /users/{id}/posts/{post} = post
      /users/{id}/posts/latest = latest-post
      /a/{x}/c = axc
      /a/b/{y} = aby
      /{x}/b/c = xbc
      /files/{path+} = files
      /files/{name}/meta = file-meta
      /api/* = api
      /api/v1/* = api-v1
      /api/v1/users/{id} = api-user
      /* = fallback
      """;

  private static RouteTable table() throws IOException {
    return RouteTable.parse(new StringReader(TABLE));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      "/users/me|exact-me|-|",
      "/users/42|user|id=42|",
      "/users/é ü|user|id=é ü|",
      "/users/42/posts/7|post|id=42,post=7|",
      "/users/42/posts/latest|latest-post|id=42|",
      "/a/b/c|aby|y=c|",
      "/a/z/c|axc|x=z|",
      "/q/b/c|xbc|x=q|",
      "/files/a.txt|files|path=a.txt|a.txt",
      "/files/dir/sub/a.txt|files|path=dir/sub/a.txt|dir/sub/a.txt",
      "/files/x/meta|file-meta|name=x|",
      "/api|api|-|",
      "/api/|api|-|",
      "/api/anything/at/all|api|-|anything/at/all",
      "/api/v1|api-v1|-|",
      "/api/v1/things|api-v1|-|things",
      "/api/v1/users/9|api-user|id=9|",
      "/apix|fallback|-|apix",
      "/files|fallback|-|files",
      "/users/|fallback|-|users/",
      "/|fallback|-|",
  })
  void theMostSpecificRouteWins(String path, String function, String parameters, String remainder) throws IOException {
    RouteMatch match = table().match(path);
    assertEquals(function, match.route().function().function().reference(), path);
    Map<String, String> expected = new java.util.LinkedHashMap<>();
    if (parameters != null) {
      for (String pair : parameters.split(",")) {
        String[] kv = pair.split("=", 2);
        expected.put(kv[0], kv[1]);
      }
    }
    assertEquals(expected, match.pathParameters());
    assertEquals(remainder == null ? "" : remainder, match.remainder());
  }

  @Test
  void withoutACatchAllAnUnmatchedPathHasNoRoute() throws IOException {
    RouteTable table = RouteTable.parse(new StringReader("/users/{id} = user\n/files/{p+} = files\n/api/* = api\n"));
    assertNull(table.match("/users"));
    assertNull(table.match("/users/1/more"));
    assertNull(table.match("/files"));
    assertNull(table.match("/files/"));
    assertNull(table.match("/other"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "/users/{id} = a\\n/users/{name} = b|routes.properties:2: route /users/{name} and /users/{id} on line 1 match the same paths",
      "/f/{a+} = a\\n/f/{b+} = b|routes.properties:2: route /f/{b+} and /f/{a+} on line 1 match the same paths",
      "/api/* = a\\n/api/* = b|routes.properties:2: duplicate route for /api/* (first on line 1)",
      "/a/{x}/{x} = a|routes.properties:1: route path '/a/{x}/{x}': {x} appears twice",
      "/a/{x+}/b = a|routes.properties:1: route path '/a/{x+}/b': a greedy {x+} must be the last segment",
      "/a/x{y} = a|routes.properties:1: route path '/a/x{y}': a {variable} must be a whole segment",
      "/a/*/b = a|routes.properties:1: route path '/a/*/b': '*' may only end a path",
      "/a/{x}/* = a|routes.properties:1: route path '/a/{x}/*': a prefix route /path/* cannot have {variables}",
      "/a/{} = a|routes.properties:1: route path '/a/{}': '{}' is not a {name} or {name+}",
  })
  void ambiguousOrMalformedPatternsStopTheStart(String file, String expectedStart) {
    String message = assertThrows(ConfigException.class,
        () -> RouteTable.parse(new StringReader(file.replace("\\n", "\n") + "\n"))).getMessage();
    assertTrue(message.startsWith(expectedStart), () -> "message was: " + message);
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      "GET|/pets|list-pets|",
      "HEAD|/pets|list-pets|",
      "POST|/pets|create-pet|",
      "GET|/pets/7|get-pet|id=7",
      "DELETE|/pets/7|delete-pet|name=7",
      "PUT|/pets/7|pet-any|pet=7",
      "PATCH|/pets/7|pet-any|pet=7",
      "GET|/files/a/b|read-file|path=a/b",
      "PUT|/files/a/b|write-file|path=a/b",
  })
  void onePathOnSeveralLinesGoesToTheLineThatTakesTheMethod(String method, String path, String function, String parameters)
      throws IOException {
    RouteTable table = RouteTable.parse(new StringReader("""
        /pets = list-pets ; methods=GET,HEAD
        /pets = create-pet ; methods=POST
        /pets/{id} = get-pet ; methods=GET
        /pets/{name} = delete-pet ; methods=DELETE
        /pets/{pet} = pet-any ; methods=PUT,PATCH,POST
        /files/{path+} = read-file ; methods=GET
        /files/{path+} = write-file ; methods=PUT
        """));
    RouteMatch match = table.match(path, method);
    assertEquals(function, match.route().function().function().reference());
    assertTrue(match.route().allows(method));
    Map<String, String> expected = new java.util.LinkedHashMap<>();
    if (parameters != null) {
      String[] kv = parameters.split("=", 2);
      expected.put(kv[0], kv[1]);
    }
    assertEquals(expected, match.pathParameters());
  }

  @Test
  void aMethodNoLineOfThePathTakesIsRefusedWithWhatTheLinesTakeTogether() throws IOException {
    RouteTable table = RouteTable.parse(new StringReader("""
        /pets = list-pets ; methods=GET,HEAD
        /pets = create-pet ; methods=POST
        /pets/{id} = get-pet ; methods=GET
        /pets/{id} = delete-pet ; methods=DELETE
        /other = other
        """));
    RouteMatch pets = table.match("/pets", "DELETE");
    assertFalse(pets.route().allows("DELETE"));
    assertEquals(List.of("GET", "HEAD", "POST"), List.copyOf(pets.allowedMethods()));
    RouteMatch pet = table.match("/pets/3", "PUT");
    assertFalse(pet.route().allows("PUT"));
    assertEquals(List.of("GET", "DELETE"), List.copyOf(pet.allowedMethods()));
    assertEquals(Map.of("id", "3"), pet.pathParameters());
    assertEquals(Set.of(), table.match("/other", "PUT").allowedMethods(), "a line without methods= takes every method");
  }

  @Test
  void withoutAMethodTheFirstLineOfThePathIsTheMatch() throws IOException {
    RouteTable table = RouteTable.parse(new StringReader("/pets = create-pet ; methods=POST\n/pets = list-pets ; methods=GET\n"));
    assertEquals("create-pet", table.match("/pets").route().function().function().reference());
    assertEquals(2, table.size());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "/a = one ; methods=GET,POST\\n/a = two ; methods=PUT,POST|routes.properties:2: duplicate route for POST /a (first on line 1); lines of one path need methods= that do not overlap",
      "/a = one ; methods=GET\\n/a = two|routes.properties:2: duplicate route for GET /a (first on line 1); lines of one path need methods= that do not overlap",
      "/a = one\\n/a = two ; methods=DELETE|routes.properties:2: duplicate route for DELETE /a (first on line 1); lines of one path need methods= that do not overlap",
      "/a/{x} = one ; methods=GET\\n/a/{y} = two ; methods=GET,HEAD|routes.properties:2: route /a/{y} and /a/{x} on line 1 match the same paths for GET and neither is more specific",
      "/a/{x+} = one ; methods=GET\\n/b = b\\n/a/{x+} = two ; methods=PATCH,GET|routes.properties:3: duplicate route for GET /a/{x+} (first on line 1)",
  })
  void linesOfOnePathWhoseMethodsOverlapAreRefusedNamingBoth(String file, String expectedStart) {
    String message = assertThrows(ConfigException.class,
        () -> RouteTable.parse(new StringReader(file.replace("\\n", "\n") + "\n"))).getMessage();
    assertTrue(message.startsWith(expectedStart), () -> "message was: " + message);
  }

  @Test
  void patternsThatLookAlikeButCannotMatchTheSamePathAreFine() throws IOException {
    RouteTable table = RouteTable.parse(new StringReader("/users/{id} = u\n/posts/{id} = p\n/users/{id}/x = ux\n"));
    assertEquals(3, table.size());
  }
}

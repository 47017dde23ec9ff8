package dev.lambdaproxy.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lambdaproxy.config.EventFormat;
import dev.lambdaproxy.route.FunctionTarget;
import dev.lambdaproxy.route.Route;
import dev.lambdaproxy.route.RouteTable;
import dev.lambdaproxy.testing.FakeHttpFunction;
import dev.lambdaproxy.testing.FakeLambda;
import dev.lambdaproxy.testing.Invocation;
import dev.lambdaproxy.testing.LambdaReply;
import dev.lambdaproxy.testing.ProxyHarness;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Imports an export or template with the import command, starts the proxy on the two files it
 * wrote, unchanged, and calls every imported route that no front-door check guards: through the
 * Lambda fixture (which verifies each signature), the function the route names must get the
 * event format the route says, for the method and path called; an HTTP endpoint whose host came
 * from a placeholder gets the request on the path the route maps to; a method that none of a
 * path's lines take is 405 with their methods in Allow. A route an authorizer guards is defined
 * in lambda-proxy.properties and refuses a caller without credentials (the function is not
 * called); one that requires an API key refuses a caller without one and, when the settings
 * define a key, reaches its function with it.
 */
class ImportRoundTripTest {

  private static final String KEY = "AKIDIMPORTTEST";
  private static final String SECRET = "import/test+SECRET/8Hd7s6Fk";
  private static final Path CORPUS = Path.of(System.getProperty("lambda-proxy.import-corpus", "../../shared/import-corpus"));
  private static final Path OWN = Path.of("src/test/resources/import");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)\\}");
  private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");

  @TempDir
  Path out;

  static Stream<Path> inputs() throws IOException {
    List<Path> inputs = new ArrayList<>();
    try (Stream<Path> own = Files.list(OWN)) {
      own.sorted().forEach(inputs::add);
    }
    if (Files.isDirectory(CORPUS)) {
      try (Stream<Path> corpus = Files.list(CORPUS)) {
        corpus.filter(path -> path.getFileName().toString().matches("\\d\\d-.*\\.(json|yaml)")).sorted().forEach(inputs::add);
      }
    }
    return inputs.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inputs")
  void everyImportedRouteReachesItsFunctionInItsEventFormat(Path input) throws Exception {
    String name = input.getFileName().toString();
    ByteArrayOutputStream report = new ByteArrayOutputStream();
    int status = ImportCommand.run(new String[] {"--out", out.toString(), input.toAbsolutePath().toString()}, out,
        new PrintStream(report, true, StandardCharsets.UTF_8), new PrintStream(report, true, StandardCharsets.UTF_8));
    assertEquals(0, status, report::toString);
    String routesFile = Files.readString(out.resolve("routes.properties"));
    String settingsFile = Files.readString(out.resolve("lambda-proxy.properties"));
    assertTrue(routesFile.startsWith("# routes.properties written by `lambda-proxy import` from:\n#   "), routesFile);
    assertTrue(settingsFile.startsWith("# lambda-proxy.properties written by `lambda-proxy import` from:\n#   "), settingsFile);

    try (FakeHttpFunction endpoint = FakeHttpFunction.builder().answer(200, "text/plain", "from the endpoint").start()) {
      Map<String, String> env = environment(routesFile, settingsFile, endpoint);
      RouteTable table = RouteTable.parse(new StringReader(routesFile), env, EventFormat.RAW);
      Set<String> functions = new TreeSet<>();
      for (Route route : table.routes()) {
        if (route.function() != null) {
          functions.add(route.function().function().name());
        }
      }
      FakeLambda.Builder lambdaBuilder = FakeLambda.builder().credentials(KEY, SECRET);
      for (String function : functions) {
        // Answers each event format's way, naming itself: the test reads who answered.
        lambdaBuilder.function(function, invocation -> LambdaReply.json("{\"statusCode\":200,\"headers\":{\"content-type\":"
            + "\"text/plain\"},\"body\":\"" + invocation.functionName() + "\"}"));
      }
      try (FakeLambda lambda = lambdaBuilder.start()) {
        ProxyHarness.Builder proxyBuilder = ProxyHarness.builder().lambda(lambda, KEY, SECRET).routes(routesFile).settings(settingsFile);
        env.forEach(proxyBuilder::env);
        proxyBuilder.env("AWS_REGION", lambda.region());
        try (ProxyHarness proxy = proxyBuilder.start()) {
          int called = 0;
          for (Route route : table.routes()) {
            if (route.frontDoor().authorizer() != null || route.frontDoor().requireApiKey()) {
              checkGuardIsDefined(route, settingsFile);
              if (route.frontDoor().authorizer() != null) {
                refusesACallerWithoutCredentials(proxy, lambda, endpoint, route, name);
                continue;
              }
              String apiKey = apiKeyIn(settingsFile, env);
              refusesACallerWithoutCredentials(proxy, lambda, endpoint, route, name);
              if (apiKey == null || route.function() == null) {
                continue;
              }
              callFunction(proxy, lambda, route, name, apiKey);
              called++;
              continue;
            }
            if (route.function() != null) {
              callFunction(proxy, lambda, route, name, null);
              called++;
            } else if (route.endpoint().uri().getPort() == endpoint.uri().getPort()) {
              callEndpoint(proxy, endpoint, route, name);
              called++;
            }
          }
          refusesMethodsNoLineTakes(proxy, table, name);
          if (table.size() == 0) {
            assertEquals(404, proxy.get("/anything").statusCode(), name + ": no route was carried");
            assertTrue(routesFile.contains("# No route could be carried.") || routesFile.contains("then uncomment them"), routesFile);
          }
          assertTrue(called > 0 || table.size() == 0 || table.routes().stream().allMatch(route -> route.endpoint() != null
              || route.frontDoor().authorizer() != null || route.frontDoor().requireApiKey()), name + ": no route was called");
        }
      }
    }
  }

  /**
   * A value for each placeholder the files name: the fixture's region and account, the local
   * endpoint's address where a URL's host is one, an https issuer where an issuer is one, and a
   * name that a function, a pool or a key can take anywhere else.
   */
  private static Map<String, String> environment(String routesFile, String settingsFile, FakeHttpFunction endpoint) {
    Map<String, String> env = new LinkedHashMap<>();
    String both = routesFile.replaceAll("(?m)^#.*$", "") + settingsFile.replaceAll("(?m)^#.*$", "");
    Matcher matcher = PLACEHOLDER.matcher(both);
    while (matcher.find()) {
      String placeholder = matcher.group(1);
      String before = both.substring(Math.max(0, matcher.start() - 10), matcher.start());
      String value = switch (placeholder) {
        case "AWS_REGION" -> FakeLambda.DEFAULT_REGION;
        case "AWS_ACCOUNT_ID" -> FakeLambda.DEFAULT_ACCOUNT_ID;
        case "AWS_PARTITION" -> "aws";
        default -> before.endsWith("://") ? "127.0.0.1:" + endpoint.uri().getPort()
            : before.endsWith("issuer = ") ? "https://issuer.example.com"
            : before.endsWith("value = ") ? "key-of-" + placeholder.toLowerCase(Locale.ROOT) + "-0123456789" // API Gateway's 20 characters
            : placeholder.toLowerCase(Locale.ROOT).replace('_', '-');
      };
      env.putIfAbsent(placeholder, value);
    }
    return env;
  }

  /** A path the route matches: each {name} a segment, a greedy variable two, a prefix route something under it. */
  private static String pathOf(Route route) {
    String pattern = route.pattern();
    if (pattern.endsWith("/*")) {
      return pattern.substring(0, pattern.length() - 2) + "/any/where";
    }
    return pattern.replaceAll("\\{[^}/]+\\+\\}", "deep/er").replaceAll("\\{[^}/]+\\}", "v-1");
  }

  /** The method the call uses: one the line takes, GET first; never HEAD or OPTIONS (a preflight is the front door's). */
  private static String methodOf(Route route) {
    for (String method : METHODS) {
      if (route.allows(method) && !method.equals("HEAD") && !method.equals("OPTIONS")) {
        return method;
      }
    }
    return null;
  }

  private static HttpRequest.Builder request(ProxyHarness proxy, String method, String path) {
    boolean body = method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
    return HttpRequest.newBuilder(proxy.uri(path)).method(method,
        body ? HttpRequest.BodyPublishers.ofString("{\"imported\":true}") : HttpRequest.BodyPublishers.noBody())
        .header("Content-Type", "application/json");
  }

  private static void callFunction(ProxyHarness proxy, FakeLambda lambda, Route route, String name, String apiKey) {
    String method = methodOf(route);
    if (method == null) {
      return;
    }
    String path = pathOf(route);
    FunctionTarget function = route.function();
    lambda.reset();
    HttpRequest.Builder request = request(proxy, method, path);
    if (apiKey != null) {
      request.header("x-api-key", apiKey);
    }
    HttpResponse<String> response = proxy.send(request);
    String what = name + ": " + method + " " + path + " (line " + route.line() + (apiKey != null ? ", with an API key" : "") + ")";
    assertEquals(200, response.statusCode(), () -> what + ": " + response.body());
    assertEquals(function.function().name(), response.body(), what);
    Invocation invocation = lambda.lastInvocation();
    assertEquals(function.function().name(), invocation.functionName(), what);
    assertEquals(function.function().qualifier(), invocation.qualifier(), what);
    JsonNode event = invocation.payloadJson();
    assertNotNull(event, what);
    switch (function.event()) {
      case APIGW_V1 -> {
        assertEquals(route.pattern(), event.path("resource").asText(), what);
        assertEquals(method, event.path("httpMethod").asText(), what);
        assertEquals(path, event.path("path").asText(), what);
        assertEquals("1.0", event.path("version").asText(), what);
        assertTrue(event.path("multiValueHeaders").isObject() && !event.has("rawPath"), what);
      }
      case APIGW_V2 -> {
        assertEquals("2.0", event.path("version").asText(), what);
        assertEquals(method + " " + route.pattern(), event.path("routeKey").asText(), what);
        assertEquals(path, event.path("rawPath").asText(), what);
        assertEquals(method, event.path("requestContext").path("http").path("method").asText(), what);
      }
      default -> throw new AssertionError(what + ": an imported function route names its event format, not " + function.event());
    }
    if (!route.path().variables().isEmpty()) {
      assertEquals(route.path().variables().size(), event.path("pathParameters").size(), what);
    }
  }

  private static void callEndpoint(ProxyHarness proxy, FakeHttpFunction endpoint, Route route, String name) throws URISyntaxException {
    String method = methodOf(route);
    String path = pathOf(route);
    endpoint.reset();
    HttpResponse<String> response = proxy.send(request(proxy, method, path));
    String what = name + ": " + method + " " + path + " to " + route.endpoint().display();
    assertEquals(200, response.statusCode(), what);
    assertEquals("from the endpoint", response.body(), what);
    FakeHttpFunction.Received received = endpoint.last();
    assertEquals(method, received.method(), what);
    String expected = route.endpoint().display().replaceFirst("^https?://\\$\\{[A-Za-z0-9_]+\\}", "")
        .replaceAll("\\{[^}/]+\\}", path.contains("deep/er") ? "deep/er" : "v-1");
    assertEquals(expected.isEmpty() ? "/" : expected, received.rawPath(), what);
  }

  /** Where a path's lines do not take every method, one they leave out is 405, with what they take in Allow. */
  private static void refusesMethodsNoLineTakes(ProxyHarness proxy, RouteTable table, String name) {
    Map<String, Set<String>> methodsByPath = new LinkedHashMap<>();
    Map<String, Route> firstByPath = new LinkedHashMap<>();
    for (Route route : table.routes()) {
      Set<String> methods = methodsByPath.computeIfAbsent(route.path().shape(), shape -> new LinkedHashSet<>());
      firstByPath.putIfAbsent(route.path().shape(), route);
      methods.addAll(route.methods().isEmpty() ? METHODS : route.methods());
    }
    for (Map.Entry<String, Set<String>> path : methodsByPath.entrySet()) {
      String missing = METHODS.stream().filter(method -> !path.getValue().contains(method) && !method.equals("OPTIONS")
          && !method.equals("HEAD")).findFirst().orElse(null);
      if (missing == null) {
        continue;
      }
      HttpResponse<String> response = proxy.send(request(proxy, missing, pathOf(firstByPath.get(path.getKey()))));
      String what = name + ": " + missing + " " + path.getKey();
      assertEquals(405, response.statusCode(), what);
      Set<String> allowed = new TreeSet<>(List.of(response.headers().firstValue("Allow").orElseThrow().split(",\\s*")));
      assertEquals(new TreeSet<>(path.getValue()), allowed, what);
    }
  }

  /** The value the environment gives the first API key the settings define, or null when they define none. */
  private static String apiKeyIn(String settingsFile, Map<String, String> env) {
    Matcher key = Pattern.compile("(?m)^api-key\\.[^.]+\\.value = \\$\\{([A-Za-z0-9_]+)\\}$").matcher(settingsFile);
    return key.find() ? env.get(key.group(1)) : null;
  }

  /** A guarded route is not open: a caller with no token or key is refused, and neither function nor endpoint is called. */
  private static void refusesACallerWithoutCredentials(ProxyHarness proxy, FakeLambda lambda, FakeHttpFunction endpoint, Route route,
      String name) {
    String method = methodOf(route);
    if (method == null) {
      return;
    }
    String path = pathOf(route);
    lambda.reset();
    endpoint.reset();
    HttpResponse<String> response = proxy.send(request(proxy, method, path));
    String what = name + ": " + method + " " + path + " (line " + route.line() + ", authorizer " + route.frontDoor().authorizer() + ")";
    assertTrue(List.of(401, 403, 500).contains(response.statusCode()), () -> what + ": " + response.statusCode() + " " + response.body());
    String target = route.function() != null ? route.function().function().name() : null;
    assertTrue(lambda.invocations().stream().noneMatch(invocation -> invocation.functionName().equals(target)), what);
    assertTrue(endpoint.received().isEmpty(), what);
  }

  private static void checkGuardIsDefined(Route route, String settingsFile) {
    String authorizer = route.frontDoor().authorizer();
    if (authorizer != null) {
      assertTrue(Pattern.compile("(?m)^authorizer\\." + Pattern.quote(authorizer) + "\\.type = (jwt|request|request-v1|token)$")
          .matcher(settingsFile).find(), () -> "authorizer " + authorizer + " of line " + route.line() + " is defined:\n" + settingsFile);
    }
    if (route.frontDoor().requireApiKey()) {
      assertTrue(settingsFile.contains("api-key.") || settingsFile.contains("# api-key.client.value"),
          () -> "an API key (or how to add one) is in the settings:\n" + settingsFile);
    }
  }
}

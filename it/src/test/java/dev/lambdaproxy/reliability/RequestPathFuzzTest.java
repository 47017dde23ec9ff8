package dev.lambdaproxy.reliability;

import static dev.lambdaproxy.reliability.Fixtures.KEY;
import static dev.lambdaproxy.reliability.Fixtures.SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lambdaproxy.config.EventFormat;
import dev.lambdaproxy.route.RouteMatch;
import dev.lambdaproxy.route.RouteTable;
import dev.lambdaproxy.testing.FakeLambda;
import dev.lambdaproxy.testing.Handlers;
import dev.lambdaproxy.testing.Invocation;
import dev.lambdaproxy.testing.ProxyHarness;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Nasty request targets through a running proxy, on raw sockets (java.net.http would normalize or
 * refuse many): encoded slashes, dot segments, NUL, invalid and overlong UTF-8, NFC and NFD,
 * double encoding, backslashes, ;params, absolute form, very long paths. The proxy never answers
 * 500, and whatever reaches FakeLambda is the function of the route that the normalized path names,
 * signed for that function's Invoke path, with the path parameters that path gives.
 */
class RequestPathFuzzTest {

  private static final long SEED = Long.getLong("fuzz.seed", 20261122L);
  private static final int RANDOM_CASES = 1_500;

  private static final String ROUTES = """
      /exact = exact
      /a/b = ab
      /users/{id} = users ; event=apigw-v2
      /users/{id}/posts = posts ; event=apigw-v1
      /files/{path+} = files ; event=apigw-v1
      /api/* = api ; event=apigw-v2
      /caf\u00e9 = cafe
      """;
  private static final String API_RESULT = "{\"statusCode\":200,\"body\":\"ok\"}";

  /** Segments as they go on the wire; non-ASCII ones are UTF-8 bytes written one char per byte. */
  private static final String[] SEGMENTS = {
      "exact", "a", "b", "users", "files", "api", "posts", "42", "x", "caf%C3%A9", "cafe%CC%81", latin1Bytes("caf\u00e9"),
      "%2F", "%2f", "..", "%2e%2e", ".", "%2e", "%2E.", "%00", "%C3%28", "%252F", "%25", "\\", "%5C", "x;p=1", ";p", "..;",
      ".;x", "%FF", "%C0%AE", "%C0%AF", "%E0%80%AF", "%", "%zz", "%3A", "%u002e", "~", "%7E", "+", "%20", "%2B", "exact%00",
      "arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Aexact", "arn:aws:lambda:us-east-1:123456789012:function:exact",
      "123456789012:function:exact:live", "%E2%80%AE", "%EF%BC%8F", "%F0%9F%98%80", "a".repeat(2_000), "%09", "%0D%0A"};
  private static final String[] QUERIES = {"", "", "", "?a=1", "?Qualifier=evil", "?x=%00", "?%2F=%2F", "?a=%C3%28", "?FunctionName=exact"};

  private static final String[] NAMED = {
      "/exact", "/users/42", "/users/a%2Fb", "/users/%2e%2e/exact", "/users/../exact", "/users/a/../../exact", "/exact%00",
      "/users/%C3%28", "/users/%252F", "/users/a\\b", "/users/x;p=1", "/exact;p=1", "/exact/", "/caf%C3%A9", "/cafe%CC%81",
      "/files/a/b/../c", "/files/a/%2e%2e/%2e%2e/exact", "/api/..;/exact", "/%2e%2e/exact", "/api/%2e/x", "/..", "/../exact",
      "http://evil.example/exact", "http://proxy.test/users/7", "/users/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Aexact",
      "/users/" + "a".repeat(10_000), "//exact", "/exact?Qualifier=evil", "/exact#frag", "*", "/users/%", "/users/%zz", "/exact/.",
      "/EXACT", "/users/%u002e", "/files/%2F%2Fetc%2Fpasswd", "/api", "/api/", "/a/./b", "/a/b/.", "/a//b", "/users/%C0%AE%C0%AE"};

  private static FakeLambda lambda;
  private static ProxyHarness proxy;
  private static RouteTable table;

  @BeforeAll
  static void start() throws Exception {
    lambda = FakeLambda.builder().credentials(KEY, SECRET)
        .function("exact", Handlers.returning("\"ok\""))
        .function("ab", Handlers.returning("\"ok\""))
        .function("cafe", Handlers.returning("\"ok\""))
        .function("users", Handlers.returning(API_RESULT))
        .function("posts", Handlers.returning(API_RESULT))
        .function("files", Handlers.returning(API_RESULT))
        .function("api", Handlers.returning(API_RESULT))
        .start();
    proxy = ProxyHarness.builder().lambda(lambda, KEY, SECRET).routes(ROUTES).start();
    table = RouteTable.parse(new StringReader(ROUTES), Map.of(), EventFormat.RAW);
  }

  @AfterAll
  static void stop() throws Exception {
    proxy.close();
    lambda.close();
  }

  @Test
  void namedNastyTargetsReachOnlyTheRouteTheirNormalizedPathNames() throws Exception {
    Map<String, Integer> outcomes = new TreeMap<>();
    for (int i = 0; i < NAMED.length; i++) {
      check(NAMED[i], "named case " + i, outcomes);
    }
    System.out.println("path fuzz, named targets: " + outcomes);
  }

  @Test
  void randomNastyTargetsReachOnlyTheRouteTheirNormalizedPathNames() throws Exception {
    Random random = new Random(SEED);
    Map<String, Integer> outcomes = new TreeMap<>();
    for (int i = 0; i < RANDOM_CASES; i++) {
      check(target(random), "case " + i + " of seed " + SEED + " (-Dfuzz.seed=" + SEED + ")", outcomes);
    }
    System.out.println("path fuzz: " + RANDOM_CASES + " random targets (seed " + SEED + "): " + outcomes);
    assertTrue(outcomes.getOrDefault("routed", 0) > RANDOM_CASES / 20, "the generator reaches functions too: " + outcomes);
  }

  private static String target(Random random) {
    StringBuilder path = new StringBuilder(random.nextInt(12) == 0 ? "/" : "");
    int segments = 1 + random.nextInt(4);
    for (int s = 0; s < segments; s++) {
      // Half the time a plain literal, so that real routes are reached often enough to check where they go.
      String segment = random.nextBoolean() ? SEGMENTS[random.nextInt(10)] : SEGMENTS[random.nextInt(SEGMENTS.length)];
      path.append('/').append(segment);
    }
    if (random.nextInt(10) == 0) {
      path.append('/');
    }
    path.append(QUERIES[random.nextInt(QUERIES.length)]);
    return random.nextInt(15) == 0 ? "http://" + (random.nextBoolean() ? "evil.example" : "proxy.test") + path : path.toString();
  }

  private static void check(String target, String where, Map<String, Integer> outcomes) throws Exception {
    lambda.reset();
    RawHttp.Response response = RawHttp.send(proxy.server().port(),
        ("GET " + target + " HTTP/1.1\r\nHost: proxy.test\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1),
        Duration.ofSeconds(10));
    String context = where + ": GET " + abbreviate(target) + " -> " + response.status() + " " + abbreviate(response.bodyText());
    assertTrue(response.status() > 0, "no HTTP answer: " + context);
    assertTrue(response.status() < 500, "never a 5xx for a client's path: " + context);
    Expected expected = expect(target);
    List<Invocation> invocations = lambda.invocations();
    assertEquals(lambda.requestCount(), invocations.size(), "every call that reached AWS was signed and valid: " + context);
    if (invocations.isEmpty()) {
      assertTrue(response.status() != 200, "200 without a function call: " + context);
      if (response.status() == 404) {
        assertTrue(expected.path == null || table.match(expected.path) == null,
            "404 though the normalized path " + expected.path + " names a route: " + context);
      }
      outcomes.merge(response.status() == 404 ? "404" : "refused " + response.status(), 1, Integer::sum);
      return;
    }
    assertEquals(1, invocations.size(), context);
    assertTrue(expected.path != null, "the container took a target that must be refused as ambiguous: " + context);
    RouteMatch match = table.match(expected.path);
    assertTrue(match != null, "called a function though " + expected.path + " names no route: " + context);
    Invocation invocation = invocations.get(0);
    String function = match.route().function().function().name();
    assertEquals(function, invocation.functionName(), "the function of the route " + match.route().pattern() + ": " + context);
    assertEquals("/2015-03-31/functions/" + function + "/invocations", invocation.rawPath(), "signed for that function: " + context);
    assertEquals(null, invocation.rawQuery(), "the client's query never reaches the Invoke call: " + context);
    if (match.route().function().event() != EventFormat.RAW) {
      JsonNode parameters = invocation.payloadJson().path("pathParameters");
      Map<String, String> sent = new LinkedHashMap<>();
      parameters.properties().forEach(field -> sent.put(field.getKey(), field.getValue().asText()));
      assertEquals(match.pathParameters(), sent, "path parameters from the normalized path: " + context);
    }
    assertEquals(200, response.status(), context);
    outcomes.merge("routed", 1, Integer::sum);
  }

  /** What the container must make of a target: its decoded, normalized path, or null when it must refuse it. */
  private record Expected(String path) {}

  /**
   * An independent normalization, stricter than needed: RFC 3986 dot segments, percent-decoding as
   * UTF-8, ;params dropped; anything ambiguous (an encoded '/', '\', NUL or dot segment, %25, an
   * empty segment, '..' above the root, invalid UTF-8, a fragment) must be refused.
   */
  static Expected expect(String target) {
    String path = target;
    if (path.startsWith("http://") || path.startsWith("https://")) {
      int slash = path.indexOf('/', path.indexOf("://") + 3);
      path = slash < 0 ? "/" : path.substring(slash);
    }
    if (path.indexOf('#') >= 0 || !path.startsWith("/") || path.length() > 8_000) {
      return new Expected(null);
    }
    int query = path.indexOf('?');
    if (query >= 0) {
      path = path.substring(0, query);
    }
    String[] raw = path.substring(1).split("/", -1);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < raw.length; i++) {
      String segment = raw[i];
      int parameters = segment.indexOf(';');
      String bare = parameters >= 0 ? segment.substring(0, parameters) : segment;
      if (bare.isEmpty() && i < raw.length - 1) {
        return new Expected(null); // an empty segment in the middle
      }
      String lower = bare.toLowerCase();
      if (lower.contains("%2e") || lower.contains("%25") || lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00")
          || lower.contains("%u") || bare.indexOf('\\') >= 0) {
        return new Expected(null);
      }
      if (parameters >= 0 && (bare.equals(".") || bare.equals(".."))) {
        return new Expected(null);
      }
      String decoded = decode(bare);
      if (decoded == null || decoded.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
        return new Expected(null);
      }
      if (decoded.equals(".")) {
        if (i == raw.length - 1) {
          out.add("");
        }
        continue;
      }
      if (decoded.equals("..")) {
        if (out.isEmpty()) {
          return new Expected(null);
        }
        out.remove(out.size() - 1);
        if (i == raw.length - 1) {
          out.add("");
        }
        continue;
      }
      out.add(decoded);
    }
    return new Expected("/" + String.join("/", out));
  }

  /** Percent-decodes as UTF-8 (raw chars are bytes, as written); null when invalid. */
  private static String decode(String segment) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c == '%') {
        if (i + 2 >= segment.length()) {
          return null;
        }
        int high = Character.digit(segment.charAt(i + 1), 16);
        int low = Character.digit(segment.charAt(i + 2), 16);
        if (high < 0 || low < 0) {
          return null;
        }
        bytes.write(high * 16 + low);
        i += 2;
      } else {
        bytes.write(c & 0xff);
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static String latin1Bytes(String text) {
    return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
  }

  private static String abbreviate(String text) {
    String flat = text.replace("\r", "\\r").replace("\n", "\\n");
    return flat.length() <= 160 ? flat : flat.substring(0, 157) + "...";
  }
}

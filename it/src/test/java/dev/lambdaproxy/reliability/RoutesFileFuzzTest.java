package dev.lambdaproxy.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lambdaproxy.config.ConfigException;
import dev.lambdaproxy.config.EventFormat;
import dev.lambdaproxy.route.RouteTable;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * 10,000 routes files, random and mutated from valid lines, through {@link RouteTable#parse}: it
 * either parses or throws a {@link ConfigException} naming a real line, never anything else, and
 * never repeats a secret that came from the environment.
 */
class RoutesFileFuzzTest {

  private static final long SEED = Long.getLong("fuzz.seed", 20261122L);
  private static final int CASES = 10_000;
  private static final Pattern WHERE = Pattern.compile("^routes\\.properties:(\\d+): .+", Pattern.DOTALL);

  /** Values of the environment: references to them may land anywhere in a mutated line. */
  private static final String API_KEY = "fuzzApiKey-9f8e7d6c5b4a39281706";
  private static final String TOKEN = "fuzzToken/Zm9vYmFyYmF6cXV4";
  private static final Map<String, String> ENV = Map.of(
      "SEARCH_API_KEY", API_KEY, "FN", "hello", "TOKEN", TOKEN, "EMPTY", "", "URL", "https://abc.execute-api.eu-west-1.amazonaws.com/prod");

  private static final List<String> SEED_LINES = List.of(
      "/hello = hello",
      "/report = arn:aws:lambda:eu-west-1:123456789012:function:report ; qualifier=live ; content-type=text/html",
      "/ping = ping ; methods=GET,HEAD ; timeout-ms=500",
      "/users/{id} = users ; event=apigw-v2",
      "/files/{path+} = files ; event=apigw-v1",
      "/api/* = https://abc123.execute-api.eu-west-1.amazonaws.com/prod ; auth=iam",
      "/search = https://xyz.lambda-url.us-east-1.on.aws/ ; auth=apikey ; api-key=${SEARCH_API_KEY}",
      "/page = page ; content-type=\"text/html; charset=utf-8\"",
      "/ctx = ctx ; client-context=\"{\\\"custom\\\":{\\\"k\\\":\\\"v\\\"}}\"",
      "/async = worker ; invocation=Event",
      "/dry = worker ; invocation=DryRun ; log=tail",
      "/stream = streamer ; stream=true ; function-error-status=503",
      "/partial = 123456789012:function:qualified:v2",
      "/env = ${FN} ; timeout-ms=1000",
      "/* = fallback",
      "/a/{x}/b/{y} = two ; methods=post",
      "/ep = ${URL} ; auth=iam ; service=execute-api ; region=eu-west-1 ; forward-auth=true",
      "# a comment",
      "! another comment",
      "",
      "   ");

  private static final String[] TOKENS = {
      "=", ";", "\"", "\\", "{", "}", "{id}", "{p+}", "*", "/", "//", "..", "?", "#", "${", "${SEARCH_API_KEY}", "${TOKEN}",
      "${NOPE}", "${EMPTY}", "${1BAD}", "}", ":", "arn:aws:lambda:", "https://", "http://", "@", "%2F", " ", "\t", "\r", "\n",
      "\r\n", "\u0000", "\u00e9", "\uFEFF", "\uD83D\uDE00", "\uD800", "methods=", "timeout-ms=", "event=", "qualifier=",
      "content-type=", "invocation=", "log=", "client-context=", "function-error-status=", "stream=", "auth=", "api-key=",
      "service=", "region=", "forward-auth=", "apigw-v2", "raw", "Event", "tail", "true", "0", "-1", "99999999999999999999",
      "900001", "GET", "BREW", "iam", "apikey", "none", "x".repeat(300), "é".repeat(40)};

  @Test
  void everyProblemIsAConfigExceptionNamingARealLine() {
    Random random = new Random(SEED);
    int parsed = 0;
    int refused = 0;
    for (int i = 0; i < CASES; i++) {
      String file = routesFile(random);
      try {
        RouteTable.parse(new StringReader(file), ENV, EventFormat.RAW);
        parsed++;
      } catch (ConfigException e) {
        refused++;
        Matcher where = WHERE.matcher(e.getMessage());
        if (!where.matches()) {
          fail(failure(SEED, i, file, "message does not start with routes.properties:N: ", e));
        }
        int line = Integer.parseInt(where.group(1));
        int lines = lineCount(file);
        if (line < 1 || line > lines) {
          fail(failure(SEED, i, file, "names line " + line + " of a file of " + lines + " lines", e));
        }
      } catch (RuntimeException | IOException | StackOverflowError e) {
        fail(failure(SEED, i, file, "threw " + e.getClass().getName() + " instead of a ConfigException", e), e);
      }
    }
    System.out.printf("routes fuzz: %d cases (seed %d): %d parsed, %d refused with a line number%n", CASES, SEED, parsed, refused);
    assertEquals(CASES, parsed + refused);
    assertTrue(parsed > CASES / 20 && refused > CASES / 20, "the corpus exercises both outcomes: " + parsed + "/" + refused);
  }

  @Test
  void noConfigExceptionRepeatsASecretFromTheEnvironment() {
    Random random = new Random(SEED + 1);
    for (int i = 0; i < CASES; i++) {
      String file = routesFile(random);
      try {
        RouteTable.parse(new StringReader(file), ENV, EventFormat.RAW);
      } catch (ConfigException e) {
        if (e.getMessage().contains(API_KEY) || e.getMessage().contains(TOKEN)) {
          fail(failure(SEED + 1, i, file, "the message shows the value of an environment variable (it goes to logs, stderr and"
              + " POST /reload's answer); name the variable instead", e));
        }
      } catch (IOException | RuntimeException e) {
        // the other test's business
      }
    }
  }

  /** A routes file: mostly seed lines, mutated; sometimes token soup; 1 to 8 lines. */
  private static String routesFile(Random random) {
    int lines = 1 + random.nextInt(8);
    List<String> out = new ArrayList<>(lines);
    for (int l = 0; l < lines; l++) {
      String line = random.nextInt(10) == 0 ? soup(random) : SEED_LINES.get(random.nextInt(SEED_LINES.size()));
      int mutations = random.nextInt(4);
      for (int m = 0; m < mutations; m++) {
        line = mutate(line, random);
      }
      out.add(line);
    }
    String separator = switch (random.nextInt(6)) {
      case 0 -> "\r\n";
      case 1 -> "\r";
      default -> "\n";
    };
    String file = String.join(separator, out);
    return random.nextBoolean() ? file + separator : file;
  }

  private static String soup(Random random) {
    StringBuilder line = new StringBuilder();
    int tokens = 1 + random.nextInt(10);
    for (int t = 0; t < tokens; t++) {
      line.append(TOKENS[random.nextInt(TOKENS.length)]);
    }
    return line.toString();
  }

  private static String mutate(String line, Random random) {
    int at = line.isEmpty() ? 0 : random.nextInt(line.length() + 1);
    return switch (random.nextInt(6)) {
      case 0 -> line.substring(0, at) + TOKENS[random.nextInt(TOKENS.length)] + line.substring(at); // insert
      case 1 -> at < line.length() ? line.substring(0, at) + line.substring(Math.min(line.length(), at + 1 + random.nextInt(6))) : line; // delete
      case 2 -> at < line.length() ? line.substring(0, at) + (char) random.nextInt(0x80) + line.substring(at + 1) : line; // replace
      case 3 -> line.substring(0, at); // truncate
      case 4 -> line + " ; " + TOKENS[random.nextInt(TOKENS.length)] + TOKENS[random.nextInt(TOKENS.length)]; // an option
      default -> line.replace("=", TOKENS[random.nextInt(TOKENS.length)]); // swap every '='
    };
  }

  /** Lines as the parser counts them: BufferedReader ends a line at \n, \r or \r\n. */
  private static int lineCount(String file) {
    return (int) new BufferedReader(new StringReader(file)).lines().count();
  }

  private static String failure(long seed, int index, String file, String problem, Throwable e) {
    return "case " + index + " of seed " + seed + " (-Dfuzz.seed=" + SEED + " reruns this class): " + problem + "\n  message: "
        + e.getMessage() + "\n  file: " + file.replace("\r", "\\r").replace("\n", "\\n\n        ");
  }
}

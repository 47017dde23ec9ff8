package dev.lambdaproxy.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lambdaproxy.credentials.AwsCredentials;
import dev.lambdaproxy.http.ClientAnswer;
import dev.lambdaproxy.invoke.event.Header;
import dev.lambdaproxy.runtime.ConfSource;
import dev.lambdaproxy.runtime.LiveConfig;
import dev.lambdaproxy.runtime.ProxyConfig;
import dev.lambdaproxy.runtime.ProxyRuntime;
import dev.lambdaproxy.runtime.Telemetry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever any stage throws, an {@code Error} included, the request ends with one JSON answer of
 * the mapped status; and a request that no stage finishes is ended by its deadline.
 */
class StageFaultsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path conf;

  static Stream<Arguments> everyStageOfEveryRoad() {
    List<Arguments> cases = new ArrayList<>();
    for (Supplier<Throwable> fault : List.<Supplier<Throwable>>of(
        () -> new IllegalStateException("a bug"), () -> new AssertionError("an Error"), () -> new StackOverflowError())) {
      for (String stage : List.of("admit", "prepare", "send", "decode", "answer")) {
        cases.add(Arguments.of("/fn", stage, fault));
      }
      for (String stage : List.of("admit", "front-door", "cache", "prepare", "send", "decode", "answer")) {
        cases.add(Arguments.of("/cached", stage, fault));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}: {2} thrown as {1} starts")
  @MethodSource("everyStageOfEveryRoad")
  void aStageThatThrowsEndsItsRequestWithTheJson500(String route, String stage, Supplier<Throwable> fault) throws Exception {
    Upstream answering = new FakeUpstream(() -> CompletableFuture.completedFuture(
        new ServerResponse(200, List.of(new Header("Content-Type", "application/json")), "\"hi\"".getBytes(StandardCharsets.UTF_8))));
    Pipeline pipeline = new Pipeline(runtime(), answering, started -> {
      if (started.equals(stage)) {
        sneakyThrow(fault.get());
      }
    });
    RecordingSink sink = new RecordingSink();
    run(pipeline, route, sink);
    ClientAnswer answer = sink.answered.get(5, TimeUnit.SECONDS);
    assertEquals(500, answer.status());
    assertEquals("internal error in lambda-proxy; see its log",
        JSON.readTree(answer.body()).path("message").asText());
    assertEquals(1, sink.terminalCalls.size(), "exactly one answer: " + sink.terminalCalls);
  }

  @Test
  void everyStageIsProbed() throws Exception {
    List<String> heard = new CopyOnWriteArrayList<>();
    Upstream answering = new FakeUpstream(() -> CompletableFuture.completedFuture(
        new ServerResponse(200, List.of(), "\"hi\"".getBytes(StandardCharsets.UTF_8))));
    RecordingSink sink = new RecordingSink();
    run(new Pipeline(runtime(), answering, heard::add), "/cached", sink);
    assertEquals(200, sink.answered.get(5, TimeUnit.SECONDS).status());
    assertEquals(Pipeline.STAGES, heard, "a stage the probe never hears could throw untested");
  }

  @Test
  void aCallThatNeverEndsIsEndedByTheDeadlineWithA504() throws Exception {
    Upstream silent = new FakeUpstream(CompletableFuture::new);
    RecordingSink sink = new RecordingSink();
    long started = System.nanoTime();
    run(new Pipeline(runtime(), silent), "/slow", sink);
    ClientAnswer answer = sink.answered.get(Pipeline.DEADLINE_GRACE_MS + 10_000, TimeUnit.MILLISECONDS);
    assertEquals(504, answer.status(), new String(answer.body(), StandardCharsets.UTF_8));
    assertTrue(System.nanoTime() - started >= TimeUnit.MILLISECONDS.toNanos(50 + Pipeline.DEADLINE_GRACE_MS),
        "not before the route's timeout and the grace");
    assertEquals(1, sink.terminalCalls.size());
  }

  private static void run(Pipeline pipeline, String path, RecordingSink sink) {
    ClientRequest request = new ClientRequest("GET", path, path, null, List.of(), "127.0.0.1", "http", "HTTP/1.1", "localhost", -1);
    Pipeline.Call call = pipeline.newCall(request, sink);
    if (call.admit(null, null)) {
      call.proceed(RequestBody.EMPTY);
    }
  }

  private ProxyRuntime runtime() throws Exception {
    Files.writeString(conf.resolve("routes.properties"), """
        /fn = fn
        /cached = fn ; cache=30s ; max-concurrency=100
        /slow = fn ; timeout-ms=50
        """);
    ProxyConfig config = ProxyConfig.load(ConfSource.directory(conf), Map.of("AWS_REGION", "us-east-1"),
        () -> AwsCredentials.of("AKIDSTAGES", "stages/SECRET"), Clock.systemUTC());
    return ProxyRuntime.of(LiveConfig.fixed(config), Telemetry.disabled());
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> void sneakyThrow(Throwable failure) throws T {
    throw (T) failure;
  }

  private record FakeUpstream(Supplier<CompletableFuture<ServerResponse>> answers) implements Upstream {
    @Override
    public CompletableFuture<ServerResponse> exchange(ProxyRequest request) {
      return answers.get();
    }

    @Override
    public Call stream(ProxyRequest request, StreamListener listener) {
      throw new UnsupportedOperationException("no streaming route here");
    }
  }

  /** Records the terminal calls the pipeline makes. */
  private static final class RecordingSink implements ClientSink {
    final CompletableFuture<ClientAnswer> answered = new CompletableFuture<>();
    final List<String> terminalCalls = new CopyOnWriteArrayList<>();

    @Override
    public void answer(ClientAnswer answer) {
      terminalCalls.add("answer " + answer.status());
      answered.complete(answer);
    }

    @Override
    public void head(int status, List<ClientAnswer.Header> headers, String contentType) {
      terminalCalls.add("head " + status);
    }

    @Override
    public void write(ByteBuffer piece, Written written) {
      written.succeeded();
    }

    @Override
    public void end() {
      terminalCalls.add("end");
    }

    @Override
    public void abort(Throwable why) {
      terminalCalls.add("abort");
      answered.completeExceptionally(why);
    }

    @Override
    public boolean isCommitted() {
      return !terminalCalls.isEmpty();
    }
  }
}

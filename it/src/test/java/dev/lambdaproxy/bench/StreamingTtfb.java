package dev.lambdaproxy.bench;

import dev.lambdaproxy.invoke.stream.EventStreamFrames;
import dev.lambdaproxy.testing.FakeLambda;
import dev.lambdaproxy.testing.LambdaReply;
import dev.lambdaproxy.testing.ProxyHarness;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Time to first byte of a streamed route against a buffered one, for a function that emits 10
 * chunks 100 ms apart (the buffered function answers the same 10 chunks at once after 1 s, as a
 * buffered Lambda would). A benchmark, not a test: {@code bench/ttfb.sh} runs it.
 */
public final class StreamingTtfb {

  private static final int CHUNKS = 10;
  private static final Duration INTERVAL = Duration.ofMillis(100);
  private static final int RUNS = 10;

  private StreamingTtfb() {}

  public static void main(String[] args) throws Exception {
    String key = "AKIDTTFBBENCH";
    String secret = "ttfb/bench+secret";
    List<byte[]> frames = new ArrayList<>();
    StringBuilder whole = new StringBuilder();
    for (int i = 0; i < CHUNKS; i++) {
      String chunk = "data: token " + i + "\n\n";
      frames.add(EventStreamFrames.payloadChunk(chunk));
      whole.append(chunk);
    }
    frames.add(EventStreamFrames.invokeComplete(null, null));
    String buffered = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(whole.toString());
    try (FakeLambda lambda = FakeLambda.builder().credentials(key, secret)
            .function("streamer", invocation -> LambdaReply.stream("application/octet-stream", frames, INTERVAL))
            .function("buffered", invocation -> LambdaReply.delayed(INTERVAL.multipliedBy(CHUNKS), LambdaReply.json(buffered)))
            .start();
        ProxyHarness proxy = ProxyHarness.builder().lambda(lambda, key, secret)
            .routes("/stream = streamer ; stream=true ; content-type=text/event-stream\n/buffered = buffered ; timeout-ms=5000\n")
            .start()) {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      measure(client, proxy, "/stream", 2); // warm-up
      measure(client, proxy, "/buffered", 2);
      long[][] stream = measure(client, proxy, "/stream", RUNS);
      long[][] plain = measure(client, proxy, "/buffered", RUNS);
      System.out.println("| route (10 chunks, 100 ms apart) | first byte, median ms | last byte, median ms | runs |");
      System.out.println("|---|---:|---:|---:|");
      System.out.printf("| stream=true | %d | %d | %d |%n", median(stream[0]), median(stream[1]), RUNS);
      System.out.printf("| buffered | %d | %d | %d |%n", median(plain[0]), median(plain[1]), RUNS);
    }
  }

  private static long[][] measure(HttpClient client, ProxyHarness proxy, String path, int runs) throws Exception {
    long[] first = new long[runs];
    long[] last = new long[runs];
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(proxy.uri(path)).build(),
          HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        if (body.read() < 0 || response.statusCode() != 200) {
          throw new IllegalStateException(path + " answered " + response.statusCode());
        }
        first[i] = (System.nanoTime() - start) / 1_000_000;
        body.readAllBytes();
        last[i] = (System.nanoTime() - start) / 1_000_000;
      }
    }
    return new long[][] {first, last};
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}

import dev.lambdaproxy.http.ClientAnswer;
import dev.lambdaproxy.invoke.event.Header;
import dev.lambdaproxy.pipeline.ClientRequest;
import dev.lambdaproxy.pipeline.ClientSink;
import dev.lambdaproxy.pipeline.Pipeline;
import dev.lambdaproxy.pipeline.ProxyRequest;
import dev.lambdaproxy.pipeline.RequestBody;
import dev.lambdaproxy.pipeline.ServerResponse;
import dev.lambdaproxy.pipeline.Upstream;
import dev.lambdaproxy.runtime.Bootstrap;
import dev.lambdaproxy.runtime.ConfSource;
import dev.lambdaproxy.runtime.ProxyRuntime;
import dev.lambdaproxy.runtime.Telemetry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What lambda-proxy's own code costs per request, with no network and no server: the bench's
 * GET /hello through the engine-neutral pipeline (admit, prepare with SigV4, a stand-in upstream
 * that answers at once, decode, answer) on one thread, metrics on, access log off. The difference
 * between an engine's CPU per request and its floor's (bench/floor.sh) is this plus the engine's
 * glue. Run from the jar's classpath:
 * {@code java -Xms64m -Xmx192m -XX:+UseSerialGC -cp server/target/lambda-proxy.jar bench/tools/PipelineCost.java [seconds]}.
 */
public class PipelineCost {

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    Path conf = Files.createTempDirectory("pipeline-cost");
    Files.writeString(conf.resolve("routes.properties"), "/hello = hello\n");
    Files.writeString(conf.resolve("lambda-proxy.properties"), "region = us-east-1\nendpoint = http://127.0.0.1:9\n");
    Bootstrap boot = Bootstrap.from(ConfSource.directory(conf))
        .env(Map.of("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            "HOME", conf.toString(), "AWS_EC2_METADATA_DISABLED", "true"))
        .start();
    Telemetry telemetry = new Telemetry(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), false);
    ProxyRuntime runtime = ProxyRuntime.of(boot.live(), telemetry);
    ServerResponse answer = new ServerResponse(200, List.of(new Header("Content-Type", "application/json"),
        new Header("x-amzn-RequestId", "5d4b1b64-0c44-4b59-9d3c-2bd8c0b4b6a1"), new Header("X-Amz-Executed-Version", "$LATEST")),
        "\"Hello, bench!\"".getBytes(StandardCharsets.UTF_8));
    Upstream upstream = new Upstream() {
      @Override
      public CompletableFuture<ServerResponse> exchange(ProxyRequest request) {
        return CompletableFuture.completedFuture(answer);
      }

      @Override
      public Call stream(ProxyRequest request, StreamListener listener) {
        throw new UnsupportedOperationException();
      }
    };
    Pipeline pipeline = new Pipeline(runtime, upstream);
    List<dev.lambdaproxy.invoke.event.Header> headers = List.of(new Header("Host", "127.0.0.1:8080"));
    int[] status = new int[1];
    ClientSink sink = new ClientSink() {
      @Override
      public void answer(ClientAnswer clientAnswer) {
        status[0] = clientAnswer.status();
      }

      @Override
      public void head(int code, List<ClientAnswer.Header> heads, String contentType) {
      }

      @Override
      public void write(ByteBuffer piece, Written written) {
        written.succeeded();
      }

      @Override
      public void end() {
      }

      @Override
      public void abort(Throwable why) {
      }

      @Override
      public boolean isCommitted() {
        return false;
      }
    };
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    for (int round = 0; round < seconds / 5; round++) {
      long n = 0;
      long allocated = threads.getThreadAllocatedBytes(thread);
      long cpu = threads.getCurrentThreadCpuTime();
      long end = System.nanoTime() + 5_000_000_000L;
      while (System.nanoTime() < end) {
        for (int i = 0; i < 1000; i++) {
          ClientRequest clientRequest = new ClientRequest("GET", "/hello", "/hello", null, headers, "127.0.0.1", "http",
              "HTTP/1.1", "127.0.0.1", -1);
          Pipeline.Call call = pipeline.newCall(clientRequest, sink);
          if (call.admit(null, null)) {
            call.proceed(RequestBody.EMPTY);
          }
          call.completed(status[0]);
        }
        n += 1000;
      }
      double cpuNs = (threads.getCurrentThreadCpuTime() - cpu) / (double) n;
      double bytes = (threads.getThreadAllocatedBytes(thread) - allocated) / (double) n;
      System.out.printf("round %d: %,d requests, %.2f µs CPU and %,.0f bytes allocated per request (status %d)%n",
          round + 1, n, cpuNs / 1000, bytes, status[0]);
    }
    pipeline.close();
    boot.close();
  }
}

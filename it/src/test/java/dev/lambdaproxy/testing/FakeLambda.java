package dev.lambdaproxy.testing;

import static dev.lambdaproxy.testing.AwsErrors.ACCESS_DENIED;
import static dev.lambdaproxy.testing.AwsErrors.INVALID_PARAMETER_VALUE;
import static dev.lambdaproxy.testing.AwsErrors.INVALID_REQUEST_CONTENT;
import static dev.lambdaproxy.testing.AwsErrors.REQUEST_TOO_LARGE;
import static dev.lambdaproxy.testing.AwsErrors.RESOURCE_NOT_FOUND;
import static dev.lambdaproxy.testing.AwsErrors.UNKNOWN_OPERATION;
import static dev.lambdaproxy.testing.AwsErrors.VALIDATION;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.NetworkChannel;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * A local endpoint that answers like the AWS Lambda Invoke API and verifies every SigV4 signature
 * independently, with the AWS SDK v2, before anything else.
 *
 * <p>Serves {@code POST /2015-03-31/functions/{FunctionName}/invocations[?Qualifier=q]} on
 * {@code http://127.0.0.1:<ephemeral port>}, where FunctionName is a name, a partial ARN or a full
 * ARN, each optionally {@code :qualifier}. Every request that arrives is recorded, rejected or
 * not, so a test can prove something never reached "AWS".
 *
 * <pre>{@code
 * try (FakeLambda lambda = FakeLambda.builder()
 *     .region("us-east-1")
 *     .credentials("AKIDEXAMPLE", secret)
 *     .function("hello", Handlers.echo())
 *     .start()) {
 *   // point the proxy at lambda.uri(), call it, then:
 *   assertEquals("hello", lambda.lastInvocation().functionName());
 * }
 * }</pre>
 */
public final class FakeLambda implements AutoCloseable {

  public static final String DEFAULT_REGION = "us-east-1";
  public static final String DEFAULT_ACCOUNT_ID = "123456789012";
  /** Lambda's limit on a synchronous request payload. */
  public static final int DEFAULT_MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

  /** Invoke, and InvokeWithResponseStream (same checks, same functions; the answer is streamed). */
  private static final Pattern INVOKE_PATH =
      Pattern.compile("/2015-03-31/functions/([^/]*)/invocations|/2021-11-15/functions/([^/]*)/response-streaming-invocations");
  private static final Pattern SIMPLE_NAME = Pattern.compile("[a-zA-Z0-9-_]{1,64}");
  private static final Pattern QUALIFIER = Pattern.compile("[a-zA-Z0-9$_-]{1,128}");
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final String region;
  private final String accountId;
  private final int maxPayloadBytes;
  private final boolean rejectInvalidJson;
  private final SigV4Verifier verifier;
  private final Map<String, LambdaHandler> functions;
  private final List<ReceivedRequest> requests = new ArrayList<>();
  private final List<Invocation> invocations = new ArrayList<>();
  private final Server server;
  private final URI uri;

  private FakeLambda(Builder builder) {
    this.region = builder.region;
    this.accountId = builder.accountId;
    this.maxPayloadBytes = builder.maxPayloadBytes;
    this.rejectInvalidJson = builder.rejectInvalidJson;
    this.verifier = new SigV4Verifier(builder.credentials, "lambda", builder.clock);
    this.functions = new ConcurrentHashMap<>(builder.functions);

    QueuedThreadPool threads = new QueuedThreadPool(256, 4);
    threads.setName("fake-lambda");
    threads.setDaemon(true);
    this.server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    // Accept every URI as sent so the signature check, not Jetty, judges odd encodings.
    http.setUriCompliance(UriCompliance.UNSAFE);
    http.setSendServerVersion(false);
    http.setSendDateHeader(true);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(new InvokeHandler());
    try {
      server.start();
    } catch (Exception e) {
      IllegalStateException failure = new IllegalStateException("FakeLambda could not start on 127.0.0.1", e);
      try {
        server.stop();
      } catch (Exception stopFailure) {
        failure.addSuppressed(stopFailure);
      }
      throw failure;
    }
    this.uri = URI.create("http://127.0.0.1:" + connector.getLocalPort());
  }

  public static Builder builder() {
    return new Builder();
  }

  /** {@code http://127.0.0.1:PORT}, the endpoint to give the client under test. */
  public URI uri() {
    return uri;
  }

  /** The endpoint URI of an Invoke call on {@code functionName}, encoded as the AWS SDKs encode it. */
  public URI invokeUri(String functionName) {
    return URI.create(uri + "/2015-03-31/functions/" + UriCodec.encodeSegment(functionName) + "/invocations");
  }

  public String region() {
    return region;
  }

  public String accountId() {
    return accountId;
  }

  /** {@code arn:aws:lambda:REGION:ACCOUNT:function:NAME} in this endpoint's region. */
  public String functionArn(String name) {
    return "arn:aws:lambda:" + region + ":" + accountId + ":function:" + name;
  }

  /** Registers or replaces a function while the fixture runs. */
  public FakeLambda function(String name, LambdaHandler handler) {
    functions.put(requireSimpleName(name), Objects.requireNonNull(handler, "handler"));
    return this;
  }

  /** Every request received so far, in arrival order, including rejected ones. */
  public synchronized List<ReceivedRequest> requests() {
    return List.copyOf(requests);
  }

  /** The calls that passed verification and reached a function handler, in arrival order. */
  public synchronized List<Invocation> invocations() {
    return List.copyOf(invocations);
  }

  /**
   * The latest call that reached a function handler.
   *
   * @throws IllegalStateException naming what was received instead, when none did
   */
  public synchronized Invocation lastInvocation() {
    if (invocations.isEmpty()) {
      throw new IllegalStateException("no call reached a FakeLambda function; received " + requests);
    }
    return invocations.get(invocations.size() - 1);
  }

  /** How many requests arrived, rejected ones included. */
  public synchronized int requestCount() {
    return requests.size();
  }

  /** Forgets every recorded request. */
  public synchronized void reset() {
    requests.clear();
    invocations.clear();
  }

  /** Stops the server, dropping open connections. */
  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("FakeLambda did not stop cleanly", e);
    }
  }

  @Override
  public String toString() {
    return "FakeLambda[" + uri + ", " + region + ", functions=" + functions.keySet() + "]";
  }

  private synchronized void record(ReceivedRequest request, Invocation invocation) {
    requests.add(request);
    if (invocation != null) {
      invocations.add(invocation);
    }
  }

  private static String requireSimpleName(String name) {
    Objects.requireNonNull(name, "name");
    if (!SIMPLE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("function name must match " + SIMPLE_NAME + " (register the simple"
          + " name; callers may still use ARNs), got '" + name + "'");
    }
    return name;
  }

  /** Verifies, routes, records, then lets the function answer. */
  private final class InvokeHandler extends Handler.Abstract {

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      byte[] body = Content.Source.asInputStream(request).readAllBytes();
      Headers.Builder received = Headers.builder();
      for (HttpField field : request.getHeaders()) {
        received.add(field.getName(), field.getValue() == null ? "" : field.getValue());
      }
      Headers headers = received.build();
      HttpURI httpUri = request.getHttpURI();
      String method = request.getMethod();
      String rawPath = httpUri.getPath() == null ? "/" : httpUri.getPath();
      String rawQuery = httpUri.getQuery();

      Matcher invokePath = INVOKE_PATH.matcher(rawPath);
      String decodedName = invokePath.matches()
          ? UriCodec.decode(invokePath.group(1) != null ? invokePath.group(1) : invokePath.group(2))
          : null;
      FunctionName functionName = decodedName == null ? null : FunctionName.parse(decodedName).orElse(null);
      String expectedRegion = functionName != null && functionName.region() != null ? functionName.region() : region;

      JsonNode payloadJson = null;
      String jsonError = null;
      try {
        payloadJson = body.length == 0 ? null : JSON.readTree(body);
      } catch (JsonProcessingException e) {
        jsonError = e.getOriginalMessage();
      }

      SigV4Verifier.Verification verification =
          verifier.verify(method, rawPath, rawQuery, headers, body, expectedRegion);
      Rejection rejection = verification.valid()
          ? route(method, rawPath, rawQuery, invokePath.matches(), decodedName, functionName, body, jsonError)
          : verification.rejection();
      if (rejection != null) {
        record(new ReceivedRequest(method, rawPath, rawQuery, headers, body,
            Outcome.rejected(verification.valid(), rejection)), null);
        send(rejection.toReply(), request, response, callback);
        return true;
      }

      Invocation invocation = new Invocation(functionName.name(), qualifier(functionName, rawQuery),
          verification.accessKeyId(), body, payloadJson, headers, rawPath, rawQuery);
      record(new ReceivedRequest(method, rawPath, rawQuery, headers, body, Outcome.INVOKED), invocation);
      send(callFunction(invocation), request, response, callback);
      return true;
    }

    /** The Lambda API's own checks, in the order AWS makes them; null when the call may run. */
    private Rejection route(String method, String rawPath, String rawQuery, boolean isInvokePath,
        String decodedName, FunctionName functionName, byte[] body, String jsonError) {
      if (!isInvokePath) {
        return Rejection.api(404, UNKNOWN_OPERATION, "Unknown operation " + method + " " + rawPath,
            "not an Invoke path");
      }
      if (!method.equals("POST")) {
        return Rejection.api(405, UNKNOWN_OPERATION, "Unknown operation " + method + " " + rawPath,
            "Invoke takes POST");
      }
      if (functionName == null) {
        String shown = decodedName == null ? rawPath : decodedName;
        return Rejection.api(400, VALIDATION, "1 validation error detected: Value '" + shown + "' at 'functionName'"
            + " failed to satisfy constraint: Member must satisfy regular expression pattern: "
            + FunctionName.AWS_PATTERN, "FunctionName does not decode to a valid name or ARN");
      }
      String queryQualifier = queryQualifier(rawQuery);
      if (queryQualifier != null && !QUALIFIER.matcher(queryQualifier).matches()) {
        return Rejection.api(400, VALIDATION, "1 validation error detected: Value '" + queryQualifier
            + "' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern:"
            + " (|[a-zA-Z0-9$_-]+)", "bad ?Qualifier=");
      }
      if (queryQualifier != null && functionName.qualifier() != null
          && !queryQualifier.equals(functionName.qualifier())) {
        return Rejection.api(400, INVALID_PARAMETER_VALUE,
            "The derived qualifier from the function name does not match the specified qualifier.",
            "ARN says " + functionName.qualifier() + ", query says " + queryQualifier);
      }
      String qualifier = qualifier(functionName, rawQuery);
      String qualifiedArn = "arn:aws:lambda:" + (functionName.region() == null ? region : functionName.region())
          + ":" + (functionName.accountId() == null ? accountId : functionName.accountId()) + ":function:"
          + functionName.name() + (qualifier == null ? "" : ":" + qualifier);
      if (functionName.accountId() != null && !functionName.accountId().equals(accountId)) {
        return Rejection.api(403, ACCESS_DENIED, "User: arn:aws:iam::" + accountId + ":user/fake-lambda is not"
            + " authorized to perform: lambda:InvokeFunction on resource: " + qualifiedArn + " because no"
            + " resource-based policy allows the lambda:InvokeFunction action", "function of another account");
      }
      if (!functions.containsKey(functionName.name())) {
        return Rejection.api(404, RESOURCE_NOT_FOUND, "Function not found: " + qualifiedArn,
            "registered: " + functions.keySet());
      }
      if (body.length > maxPayloadBytes) {
        return Rejection.api(413, REQUEST_TOO_LARGE, "Request must be smaller than " + maxPayloadBytes
            + " bytes for the InvokeFunction operation", body.length + " bytes received");
      }
      if (rejectInvalidJson && jsonError != null) {
        return Rejection.api(400, INVALID_REQUEST_CONTENT, "Could not parse request body into json: Could not"
            + " parse payload into json: " + jsonError, "payload is not JSON");
      }
      return null;
    }

    private LambdaReply callFunction(Invocation invocation) {
      try {
        LambdaReply reply = functions.get(invocation.functionName()).handle(invocation);
        return reply != null ? reply
            : LambdaReply.functionError("Unhandled", "NullPointerException", "the fake function returned null");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return LambdaReply.functionError("Unhandled", e.getClass().getSimpleName(), "interrupted");
      } catch (Exception | AssertionError e) {
        return LambdaReply.functionError("Unhandled", e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
      }
    }

    private void send(LambdaReply reply, Request request, Response response, Callback callback) {
      if (reply.delay().isZero()) {
        sendNow(reply, request, response, callback);
        return;
      }
      // The scheduler thread only starts the write, so a delayed reply holds no server thread.
      Scheduler scheduler = server.getScheduler();
      scheduler.schedule(() -> sendNow(reply, request, response, callback), reply.delay().toMillis(),
          TimeUnit.MILLISECONDS);
    }

    /** Writes frame {@code index} and schedules the next, holding no thread while it waits. */
    private void writeFrames(LambdaReply.Stream plan, int index, Response response, Callback callback) {
      if (index == plan.frames().size()) {
        response.write(true, ByteBuffer.allocate(0), callback);
        return;
      }
      Runnable write = () -> response.write(false, ByteBuffer.wrap(plan.frames().get(index)),
          Callback.from(() -> writeFrames(plan, index + 1, response, callback), callback::failed));
      Runnable paced = index == 0 || plan.interval().isZero()
          ? write
          : () -> server.getScheduler().schedule(write, plan.interval().toMillis(), TimeUnit.MILLISECONDS);
      if (index == plan.gateIndex()) {
        plan.gate().thenRun(paced);
      } else {
        paced.run();
      }
    }

    private void sendNow(LambdaReply reply, Request request, Response response, Callback callback) {
      EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
      switch (reply.kind()) {
        case RESPOND:
          response.setStatus(reply.status());
          reply.headers().fields().forEach(field -> response.getHeaders().add(field.getKey(), field.getValue()));
          if (!reply.headers().contains("x-amzn-RequestId")) {
            response.getHeaders().add("x-amzn-RequestId", UUID.randomUUID().toString());
          }
          response.getHeaders().put("Content-Length", reply.bodyBytes().length);
          response.write(true, ByteBuffer.wrap(reply.bodyBytes()), callback);
          return;
        case RESET:
          if (endPoint.getTransport() instanceof NetworkChannel) {
            try {
              // Linger 0 turns close() into a TCP RST, which clients report as "connection reset".
              ((NetworkChannel) endPoint.getTransport()).setOption(StandardSocketOptions.SO_LINGER, 0);
            } catch (IOException e) {
              // Already closed by the peer: nothing left to reset.
            }
          }
          endPoint.close();
          // A quiet exception: the abort is the reply asked for, not a server error worth a warning.
          callback.failed(new EofException("FakeLambda reset the connection as the reply asked"));
          return;
        case HANG:
          endPoint.close();
          callback.failed(new EofException("FakeLambda closed the connection without answering as the reply asked"));
          return;
        case STREAM:
          response.setStatus(200);
          reply.headers().fields().forEach(field -> response.getHeaders().add(field.getKey(), field.getValue()));
          response.getHeaders().add("x-amzn-RequestId", UUID.randomUUID().toString());
          writeFrames(reply.streamPlan(), 0, response, callback);
          return;
        default:
          throw new IllegalStateException("unknown reply kind " + reply.kind());
      }
    }
  }

  private static String queryQualifier(String rawQuery) {
    String qualifier = null;
    for (Map.Entry<String, String> parameter : UriCodec.queryParameters(rawQuery)) {
      if (parameter.getKey().equals("Qualifier")) {
        qualifier = parameter.getValue();
      }
    }
    return qualifier == null || qualifier.isEmpty() ? null : qualifier;
  }

  private static String qualifier(FunctionName functionName, String rawQuery) {
    return functionName.qualifier() != null ? functionName.qualifier() : queryQualifier(rawQuery);
  }

  /** Configures a {@link FakeLambda}; {@link #start()} binds the port. */
  public static final class Builder {
    private String region = DEFAULT_REGION;
    private String accountId = DEFAULT_ACCOUNT_ID;
    private final Map<String, Credential> credentials = new LinkedHashMap<>();
    private final Map<String, LambdaHandler> functions = new LinkedHashMap<>();
    private Clock clock = Clock.systemUTC();
    private int maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;
    private boolean rejectInvalidJson = true;

    private Builder() {}

    /** The endpoint's region (default us-east-1); scopes must name it unless a full ARN names another. */
    public Builder region(String region) {
      Objects.requireNonNull(region, "region");
      if (!region.matches("[a-z]{2}(-gov)?-[a-z]+-\\d")) {
        throw new IllegalArgumentException("region must look like us-east-1, got '" + region + "'");
      }
      this.region = region;
      return this;
    }

    /** The account of the functions (default 123456789012). */
    public Builder accountId(String accountId) {
      Objects.requireNonNull(accountId, "accountId");
      if (!accountId.matches("\\d{12}")) {
        throw new IllegalArgumentException("accountId must be 12 digits, got '" + accountId + "'");
      }
      this.accountId = accountId;
      return this;
    }

    /** Accepts signatures by a long-term key; requests with it must carry no session token. */
    public Builder credentials(String accessKeyId, String secretAccessKey) {
      return add(new Credential(accessKeyId, secretAccessKey, null));
    }

    /**
     * Accepts signatures by a temporary key: requests with it must carry {@code
     * X-Amz-Security-Token: sessionToken}, signed.
     */
    public Builder credentials(String accessKeyId, String secretAccessKey, String sessionToken) {
      return add(new Credential(accessKeyId, secretAccessKey, Objects.requireNonNull(sessionToken, "sessionToken")));
    }

    /** Registers a function under its simple name; callers may name it by ARN too. */
    public Builder function(String name, LambdaHandler handler) {
      functions.put(requireSimpleName(name), Objects.requireNonNull(handler, "handler"));
      return this;
    }

    /** The clock X-Amz-Date is checked against (default the system's, UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Payloads above this get 413 RequestTooLargeException (default 6 MiB, Lambda's limit). */
    public Builder maxPayloadBytes(int maxPayloadBytes) {
      if (maxPayloadBytes < 0) {
        throw new IllegalArgumentException("maxPayloadBytes must not be negative, got " + maxPayloadBytes);
      }
      this.maxPayloadBytes = maxPayloadBytes;
      return this;
    }

    /**
     * Passes payloads that are not JSON to the function (payloadJson null) instead of answering 400
     * InvalidRequestContentException as Lambda does.
     */
    public Builder acceptInvalidJson() {
      this.rejectInvalidJson = false;
      return this;
    }

    public FakeLambda start() {
      if (credentials.isEmpty()) {
        throw new IllegalStateException("FakeLambda needs credentials(...): it verifies every signature");
      }
      return new FakeLambda(this);
    }

    private Builder add(Credential credential) {
      if (credentials.putIfAbsent(credential.accessKeyId(), credential) != null) {
        throw new IllegalArgumentException("credentials for " + credential.accessKeyId() + " given twice");
      }
      return this;
    }
  }
}

package dev.lambdaproxy.testing;

import static dev.lambdaproxy.testing.AwsErrors.ACCESS_DENIED;
import static dev.lambdaproxy.testing.AwsErrors.INCOMPLETE_SIGNATURE;
import static dev.lambdaproxy.testing.AwsErrors.INVALID_PARAMETER_VALUE;
import static dev.lambdaproxy.testing.AwsErrors.INVALID_REQUEST_CONTENT;
import static dev.lambdaproxy.testing.AwsErrors.INVALID_SIGNATURE;
import static dev.lambdaproxy.testing.AwsErrors.INVALID_TOKEN_MESSAGE;
import static dev.lambdaproxy.testing.AwsErrors.MISSING_AUTHENTICATION_TOKEN;
import static dev.lambdaproxy.testing.AwsErrors.REQUEST_TOO_LARGE;
import static dev.lambdaproxy.testing.AwsErrors.RESOURCE_NOT_FOUND;
import static dev.lambdaproxy.testing.AwsErrors.SIGNATURE_MISMATCH_MESSAGE;
import static dev.lambdaproxy.testing.AwsErrors.UNKNOWN_OPERATION;
import static dev.lambdaproxy.testing.AwsErrors.UNRECOGNIZED_CLIENT;
import static dev.lambdaproxy.testing.AwsErrors.VALIDATION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fixture must accept what the AWS SDK signs and refuse everything AWS would refuse: a
 * fixture that accepts anything proves nothing.
 */
class FakeLambdaTest {

  // AWS's documented example keys: fake, yet they must never reach output.
  private static final String KEY_ID = "AKIDEXAMPLE";
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  private static final String TEMP_KEY_ID = "ASIAEXAMPLETEMP";
  private static final String TEMP_SECRET = "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY";
  private static final String TOKEN = "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN+abc/def==";
  private static final String REGION = "us-east-1";
  private static final byte[] PAYLOAD = "{\"name\":\"Ada\"}".getBytes(StandardCharsets.UTF_8);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static HttpClient client;
  private FakeLambda lambda;

  @BeforeAll
  static void startClient() throws Exception {
    client = new HttpClient();
    client.setFollowRedirects(false);
    client.start();
  }

  @AfterAll
  static void stopClient() throws Exception {
    client.stop();
  }

  @BeforeEach
  void startLambda() {
    lambda = FakeLambda.builder()
        .region(REGION)
        .credentials(KEY_ID, SECRET)
        .credentials(TEMP_KEY_ID, TEMP_SECRET, TOKEN)
        .function("hello", Handlers.echo())
        .function("other", Handlers.returning("\"other\""))
        .start();
  }

  @AfterEach
  void stopLambda() {
    lambda.close();
  }

  @Test
  void sdkSignedInvokeByNameReachesTheFunctionWithItsPayload() throws Exception {
    ContentResponse response = invoke("hello");

    assertEquals(200, response.getStatus());
    assertEquals("{\"name\":\"Ada\"}", response.getContentAsString());
    assertEquals("application/json", response.getHeaders().get("Content-Type"));
    assertEquals("$LATEST", response.getHeaders().get("X-Amz-Executed-Version"));
    assertTrue(response.getHeaders().contains("x-amzn-RequestId"));
    Invocation invocation = lambda.lastInvocation();
    assertEquals("hello", invocation.functionName());
    assertNull(invocation.qualifier());
    assertEquals(KEY_ID, invocation.accessKeyId());
    assertEquals("Ada", invocation.payloadJson().get("name").asText());
    assertEquals("/2015-03-31/functions/hello/invocations", invocation.rawPath());
    assertTrue(invocation.amzHeaders().contains("X-Amz-Date"));
  }

  @Test
  void partialArnWithQualifierResolvesToTheSimpleNameAndQualifier() throws Exception {
    ContentResponse response = invoke("123456789012:function:hello:live");

    assertEquals(200, response.getStatus());
    Invocation invocation = lambda.lastInvocation();
    assertEquals("hello", invocation.functionName());
    assertEquals("live", invocation.qualifier());
    // The colons travel percent-encoded, as the AWS SDKs send them.
    assertEquals("/2015-03-31/functions/123456789012%3Afunction%3Ahello%3Alive/invocations", invocation.rawPath());
  }

  @Test
  void fullArnInAnotherRegionIsAcceptedWhenSignedForThatRegion() throws Exception {
    ContentResponse response =
        invoke("arn:aws:lambda:eu-west-1:123456789012:function:hello:7", b -> b.region("eu-west-1"));

    assertEquals(200, response.getStatus());
    assertEquals("hello", lambda.lastInvocation().functionName());
    assertEquals("7", lambda.lastInvocation().qualifier());
  }

  @Test
  void temporaryKeyWithItsSignedSessionTokenIsAccepted() throws Exception {
    ContentResponse response = invoke("hello", b -> b.credentials(TEMP_KEY_ID, TEMP_SECRET, TOKEN));

    assertEquals(200, response.getStatus());
    assertEquals(TEMP_KEY_ID, lambda.lastInvocation().accessKeyId());
    assertEquals(TOKEN, lambda.lastInvocation().header("X-Amz-Security-Token"));
  }

  @Test
  void qualifierQueryParameterReachesTheFunction() throws Exception {
    URI uri = URI.create(lambda.invokeUri("hello") + "?Qualifier=live");
    ContentResponse response = send(signer(uri).sign(), uri);

    assertEquals(200, response.getStatus());
    assertEquals("live", lambda.lastInvocation().qualifier());
    assertEquals("Qualifier=live", lambda.lastInvocation().rawQuery());
  }

  @Test
  void signatureWithoutContentSha256IsVerifiedOverExactlyTheSignedHeaders() throws Exception {
    Headers headers = signed("hello").signContentSha256(false).sign();
    assertFalse(headers.contains("x-amz-content-sha256"));
    assertTrue(headers.first("Authorization").orElseThrow().contains("SignedHeaders=host;x-amz-date,"));

    assertEquals(200, send(headers).getStatus());
  }

  @Test
  void sdkPublicSignerAlwaysSignsContentSha256() {
    Headers headers = signed("hello").sign();

    assertEquals(SdkV4.sha256Hex(PAYLOAD), headers.first("x-amz-content-sha256").orElseThrow());
    assertTrue(headers.first("Authorization").orElseThrow()
        .contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date,"));
  }

  @Test
  void repeatedSignedHeadersAndEncodedQueryValuesVerify() throws Exception {
    URI uri = URI.create(lambda.invokeUri("hello") + "?Qualifier=live&note=a%20b%2Fc");
    Headers headers = signer(uri).header("X-Custom", "one").header("X-Custom", "two").sign();

    assertEquals(200, send(headers, uri).getStatus());
    assertEquals(List.of("one", "two"), lambda.lastInvocation().headers().all("x-custom"));
  }

  @Test
  void wrongSecretIsRefusedWithInvalidSignature() throws Exception {
    ContentResponse response = invoke("hello", b -> b.credentials(KEY_ID, "not-the-secret"));

    assertAwsError(response, 403, INVALID_SIGNATURE, SIGNATURE_MISMATCH_MESSAGE);
    assertNothingInvoked();
  }

  @Test
  void bodyChangedAfterSigningIsRefused() throws Exception {
    byte[] tampered = "{\"name\":\"Eve\"}".getBytes(StandardCharsets.UTF_8);

    assertAwsError(send(signed("hello").sign(), lambda.invokeUri("hello"), tampered), 403, INVALID_SIGNATURE,
        SIGNATURE_MISMATCH_MESSAGE);
    assertAwsError(send(signed("hello").signContentSha256(false).sign(), lambda.invokeUri("hello"), tampered), 403,
        INVALID_SIGNATURE, SIGNATURE_MISMATCH_MESSAGE);
    assertNothingInvoked();
  }

  @Test
  void pathChangedAfterSigningIsRefused() throws Exception {
    ContentResponse response = send(signed("hello").sign(), lambda.invokeUri("other"));

    assertAwsError(response, 403, INVALID_SIGNATURE, SIGNATURE_MISMATCH_MESSAGE);
    assertNothingInvoked();
  }

  @Test
  void queryChangedAfterSigningIsRefused() throws Exception {
    URI signedUri = URI.create(lambda.invokeUri("hello") + "?Qualifier=live");
    URI sentUri = URI.create(lambda.invokeUri("hello") + "?Qualifier=prod");

    assertAwsError(send(signer(signedUri).sign(), sentUri), 403, INVALID_SIGNATURE, SIGNATURE_MISMATCH_MESSAGE);
    assertNothingInvoked();
  }

  @Test
  void signedHeaderChangedAfterSigningIsRefused() throws Exception {
    Headers headers = signed("hello").header("X-Amz-Invocation-Type", "RequestResponse").sign();

    ContentResponse response = send(headers.with("X-Amz-Invocation-Type", "Event"));

    assertAwsError(response, 403, INVALID_SIGNATURE, SIGNATURE_MISMATCH_MESSAGE);
  }

  @Test
  void contentSha256RemovedAfterSigningIsRefused() throws Exception {
    ContentResponse response = send(signed("hello").sign().without("x-amz-content-sha256"));

    assertAwsError(response, 403, INVALID_SIGNATURE, SIGNATURE_MISMATCH_MESSAGE);
  }

  @Test
  void headerTheSdkNeverSignsIsRefusedAndTheRecordSaysWhy() throws Exception {
    Headers headers = signed("hello").header("User-Agent", "proxy/1").sign();
    String authorization = headers.first("Authorization").orElseThrow()
        .replace("x-amz-date,", "x-amz-date;user-agent,");

    ContentResponse response = send(headers.with("Authorization", authorization));

    assertAwsError(response, 403, INVALID_SIGNATURE, SIGNATURE_MISMATCH_MESSAGE);
    assertTrue(lambda.requests().get(0).outcome().detail().contains("but the SDK signs SignedHeaders="),
        lambda.requests().get(0).outcome().detail());
  }

  @Test
  void hostLeftOutOfSignedHeadersIsRefused() throws Exception {
    Headers headers = signed("hello").sign();
    String authorization =
        headers.first("Authorization").orElseThrow().replace("SignedHeaders=host;", "SignedHeaders=");

    ContentResponse response = send(headers.with("Authorization", authorization));

    assertAwsError(response, 403, INVALID_SIGNATURE,
        "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }

  @Test
  void signatureForAnotherHostIsRefused() throws Exception {
    Headers headers = signed("hello").header("Host", "lambda.us-east-1.amazonaws.com").sign();

    // Sent without that Host, so the client uses the real one.
    ContentResponse response = send(headers.without("Host"));

    assertAwsError(response, 403, INVALID_SIGNATURE, SIGNATURE_MISMATCH_MESSAGE);
  }

  @Test
  void fullArnSignedForTheEndpointRegionInsteadOfTheArnRegionIsRefused() throws Exception {
    ContentResponse response = invoke("arn:aws:lambda:eu-west-1:123456789012:function:hello");

    assertAwsError(response, 403, INVALID_SIGNATURE,
        "Credential should be scoped to a valid region, not 'us-east-1'. ");
    assertNothingInvoked();
  }

  @Test
  void nameSignedForAnotherRegionIsRefused() throws Exception {
    ContentResponse response = invoke("hello", b -> b.region("eu-west-1"));

    assertAwsError(response, 403, INVALID_SIGNATURE,
        "Credential should be scoped to a valid region, not 'eu-west-1'. ");
  }

  @Test
  void scopeForAnotherServiceIsRefused() throws Exception {
    ContentResponse response = invoke("hello", b -> b.service("execute-api"));

    assertAwsError(response, 403, INVALID_SIGNATURE, "Credential should be scoped to correct service: 'lambda'. ");
  }

  @Test
  void unknownAccessKeyIsRefusedAsUnrecognizedClient() throws Exception {
    ContentResponse response = invoke("hello", b -> b.credentials("AKIDUNKNOWN", SECRET));

    assertAwsError(response, 403, UNRECOGNIZED_CLIENT, INVALID_TOKEN_MESSAGE);
  }

  @Test
  void temporaryKeyWithoutItsSessionTokenIsRefused() throws Exception {
    ContentResponse response = invoke("hello", b -> b.credentials(TEMP_KEY_ID, TEMP_SECRET));

    assertAwsError(response, 403, UNRECOGNIZED_CLIENT, INVALID_TOKEN_MESSAGE);
  }

  @Test
  void temporaryKeyWithAnotherSessionTokenIsRefused() throws Exception {
    ContentResponse response = invoke("hello", b -> b.credentials(TEMP_KEY_ID, TEMP_SECRET, "another-token"));

    assertAwsError(response, 403, UNRECOGNIZED_CLIENT, INVALID_TOKEN_MESSAGE);
  }

  @Test
  void sessionTokenAddedAfterSigningIsRefused() throws Exception {
    Headers headers = signed("hello").credentials(TEMP_KEY_ID, TEMP_SECRET).sign();

    ContentResponse response = send(headers.with("X-Amz-Security-Token", TOKEN));

    assertAwsError(response, 403, UNRECOGNIZED_CLIENT, INVALID_TOKEN_MESSAGE);
    assertTrue(lambda.requests().get(0).outcome().detail().contains("not among SignedHeaders"));
  }

  @Test
  void sessionTokenWithLongTermKeyIsRefused() throws Exception {
    ContentResponse response = invoke("hello", b -> b.credentials(KEY_ID, SECRET, TOKEN));

    assertAwsError(response, 403, UNRECOGNIZED_CLIENT, INVALID_TOKEN_MESSAGE);
  }

  @Test
  void signatureTwentyMinutesOldIsRefusedAsExpired() throws Exception {
    Clock twentyMinutesAgo = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-20));

    ContentResponse response = invoke("hello", b -> b.clock(twentyMinutesAgo));

    assertEquals(403, response.getStatus());
    assertEquals(INVALID_SIGNATURE, errorName(response));
    assertTrue(message(response).startsWith("Signature expired: "), message(response));
  }

  @Test
  void signatureTwentyMinutesAheadIsRefusedAsNotYetCurrent() throws Exception {
    Clock twentyMinutesAhead = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(20));

    ContentResponse response = invoke("hello", b -> b.clock(twentyMinutesAhead));

    assertEquals(INVALID_SIGNATURE, errorName(response));
    assertTrue(message(response).startsWith("Signature not yet current: "), message(response));
  }

  @Test
  void signatureTenMinutesOldIsStillAccepted() throws Exception {
    Clock tenMinutesAgo = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10));

    assertEquals(200, invoke("hello", b -> b.clock(tenMinutesAgo)).getStatus());
  }

  @Test
  void amzDateOfAnotherDayThanTheScopeIsRefused() throws Exception {
    Instant beforeMidnight = Instant.parse("2026-01-01T23:59:50Z");
    try (FakeLambda atMidnight = FakeLambda.builder().credentials(KEY_ID, SECRET).function("hello", Handlers.echo())
        .clock(Clock.fixed(beforeMidnight.plusSeconds(10), ZoneOffset.UTC)).start()) {
      URI uri = atMidnight.invokeUri("hello");
      Headers headers = signer(uri).clock(Clock.fixed(beforeMidnight, ZoneOffset.UTC)).sign();

      ContentResponse response = send(headers.with("X-Amz-Date", "20260102T000005Z"), uri);

      assertAwsError(response, 403, INVALID_SIGNATURE, "Date in Credential scope does not match YYYYMMDD from"
          + " ISO-8601 version of date from HTTP: '20260101' != '20260102', from '20260102T000005Z'.");
    }
  }

  @Test
  void fixtureClockDecidesFreshness() throws Exception {
    Instant longAgo = Instant.parse("2015-08-30T12:36:00Z");
    try (FakeLambda inThePast = FakeLambda.builder().credentials(KEY_ID, SECRET).function("hello", Handlers.echo())
        .clock(Clock.fixed(longAgo.plusSeconds(60), ZoneOffset.UTC)).start()) {
      URI uri = inThePast.invokeUri("hello");

      assertEquals(200, send(signer(uri).clock(Clock.fixed(longAgo, ZoneOffset.UTC)).sign(), uri).getStatus());
      assertEquals(403, send(signer(uri).sign(), uri).getStatus());
    }
  }

  @Test
  void requestWithoutAuthorizationIsRefusedAsMissingToken() throws Exception {
    ContentResponse response = send(Headers.empty());

    assertAwsError(response, 403, MISSING_AUTHENTICATION_TOKEN, "Missing Authentication Token");
    assertFalse(lambda.requests().get(0).outcome().signatureValid());
  }

  @Test
  void authorizationWithoutSignatureIsRefusedAsIncomplete() throws Exception {
    Headers headers = signed("hello").sign();
    String authorization = headers.first("Authorization").orElseThrow().replaceAll(", Signature=[0-9a-f]+", "");

    ContentResponse response = send(headers.with("Authorization", authorization));

    assertAwsError(response, 403, INCOMPLETE_SIGNATURE, "Authorization header requires 'Signature' parameter.");
  }

  @Test
  void requestWithoutAmzDateIsRefusedAsIncomplete() throws Exception {
    ContentResponse response = send(signed("hello").sign().without("X-Amz-Date"));

    assertEquals(INCOMPLETE_SIGNATURE, errorName(response));
  }

  @Test
  void authenticationErrorsCarryTheFrontEndNamespaceInTheErrorType() throws Exception {
    ContentResponse response = send(Headers.empty());

    assertEquals(MISSING_AUTHENTICATION_TOKEN + AwsErrors.CORAL_SUFFIX, response.getHeaders().get("x-amzn-ErrorType"));
    assertEquals(Map.of("message", "Missing Authentication Token"), JSON.readValue(response.getContent(), Map.class));
  }

  @Test
  void unknownFunctionIsNotFoundWithAwsErrorShape() throws Exception {
    ContentResponse response = invoke("nobody");

    assertEquals(404, response.getStatus());
    assertEquals(RESOURCE_NOT_FOUND, response.getHeaders().get("x-amzn-ErrorType"));
    assertEquals(Map.of("Type", "User",
            "message", "Function not found: arn:aws:lambda:us-east-1:123456789012:function:nobody"),
        JSON.readValue(response.getContent(), Map.class));
    assertTrue(lambda.requests().get(0).outcome().signatureValid());
    assertNothingInvoked();
  }

  @Test
  void functionNameOutsideAwsPatternIsAValidationError() throws Exception {
    assertEquals(VALIDATION, errorName(invoke("bad name!")));
  }

  @Test
  void qualifierInArnAndQueryMustAgree() throws Exception {
    URI uri = URI.create(lambda.invokeUri("hello:live") + "?Qualifier=prod");

    assertEquals(INVALID_PARAMETER_VALUE, errorName(send(signer(uri).sign(), uri)));
  }

  @Test
  void functionOfAnotherAccountIsAccessDenied() throws Exception {
    assertEquals(ACCESS_DENIED, errorName(invoke("210987654321:function:hello")));
  }

  @Test
  void otherPathsAndMethodsAreUnknownOperations() throws Exception {
    URI functionsUri = URI.create(lambda.uri() + "/2015-03-31/functions");
    ContentResponse unknownPath = send(signer(functionsUri).sign(), functionsUri);
    ContentResponse wrongMethod = send("GET", signer("GET", lambda.invokeUri("hello")).body(new byte[0]).sign(),
        lambda.invokeUri("hello"), new byte[0]);

    assertEquals(404, unknownPath.getStatus());
    assertEquals(UNKNOWN_OPERATION, errorName(unknownPath));
    assertEquals(405, wrongMethod.getStatus());
    assertEquals(UNKNOWN_OPERATION, errorName(wrongMethod));
  }

  @Test
  void payloadThatIsNotJsonIsRefusedLikeLambdaUnlessAccepted() throws Exception {
    byte[] notJson = "name=Ada".getBytes(StandardCharsets.UTF_8);
    ContentResponse refused = send(signed("hello").body(notJson).sign(), lambda.invokeUri("hello"), notJson);

    assertEquals(400, refused.getStatus());
    assertEquals(INVALID_REQUEST_CONTENT, errorName(refused));

    try (FakeLambda lenient = FakeLambda.builder().credentials(KEY_ID, SECRET).function("hello", Handlers.echo())
        .acceptInvalidJson().start()) {
      URI uri = lenient.invokeUri("hello");
      assertEquals(200, send(signer(uri).body(notJson).sign(), uri, notJson).getStatus());
      assertNull(lenient.lastInvocation().payloadJson());
      assertEquals("name=Ada", lenient.lastInvocation().payloadAsString());
    }
  }

  @Test
  void payloadAboveTheLimitIsRequestTooLarge() throws Exception {
    try (FakeLambda small = FakeLambda.builder().credentials(KEY_ID, SECRET).function("hello", Handlers.echo())
        .maxPayloadBytes(8).start()) {
      URI uri = small.invokeUri("hello");
      ContentResponse response = send(signer(uri).sign(), uri);

      assertEquals(413, response.getStatus());
      assertEquals(REQUEST_TOO_LARGE, errorName(response));
    }
  }

  @Test
  void functionErrorReplyCarriesTheFunctionErrorHeader() throws Exception {
    lambda.function("failing", invocation -> LambdaReply.functionError("Unhandled", "TypeError", "x is undefined"));

    ContentResponse response = invoke("failing");

    assertEquals(200, response.getStatus());
    assertEquals("Unhandled", response.getHeaders().get("X-Amz-Function-Error"));
    JsonNode body = JSON.readTree(response.getContent());
    assertEquals("TypeError", body.get("errorType").asText());
    assertEquals("x is undefined", body.get("errorMessage").asText());
    assertTrue(body.get("stackTrace").isArray());
  }

  @Test
  void handlerThatThrowsBecomesAnUnhandledFunctionError() throws Exception {
    lambda.function("throwing", invocation -> {
      throw new IllegalStateException("boom");
    });

    ContentResponse response = invoke("throwing");

    assertEquals("Unhandled", response.getHeaders().get("X-Amz-Function-Error"));
    assertEquals("IllegalStateException", JSON.readTree(response.getContent()).get("errorType").asText());
  }

  @Test
  void throttlingApiErrorCarriesRetryAfter() throws Exception {
    lambda.function("busy", Handlers.replying(LambdaReply.apiError(429, "TooManyRequestsException", "Rate Exceeded.")));

    ContentResponse response = invoke("busy");

    assertEquals(429, response.getStatus());
    assertEquals("1", response.getHeaders().get("Retry-After"));
    assertEquals("TooManyRequestsException", response.getHeaders().get("x-amzn-ErrorType"));
    assertEquals(Map.of("Type", "User", "message", "Rate Exceeded."), JSON.readValue(response.getContent(), Map.class));
  }

  @Test
  void serviceApiErrorIsTypedService() throws Exception {
    lambda.function("broken", Handlers.replying(
        LambdaReply.apiError(500, "ServiceException", "Internal error").withHeader("x-amzn-RequestId", "req-1")));

    ContentResponse response = invoke("broken");

    assertEquals(500, response.getStatus());
    assertEquals("Service", JSON.readTree(response.getContent()).get("Type").asText());
    assertEquals(List.of("req-1"), response.getHeaders().getValuesList("x-amzn-RequestId"));
  }

  @Test
  void delayedReplyDoesNotHoldUpOtherCalls() throws Exception {
    lambda.function("slow", Handlers.replying(LambdaReply.delayed(Duration.ofMillis(1500), LambdaReply.json("1"))));
    CompletableFuture<ContentResponse> slow = sendAsync(signed("slow").sign(), lambda.invokeUri("slow"));

    long start = System.nanoTime();
    assertEquals(200, invoke("hello").getStatus());
    long fastMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertFalse(slow.isDone(), "the delayed reply came early");
    assertTrue(fastMillis < 1000, "a call next to a delayed one took " + fastMillis + " ms");
    assertEquals("1", slow.get(10, TimeUnit.SECONDS).getContentAsString());
  }

  @Test
  void hangClosesTheConnectionWithoutAResponse() throws Exception {
    lambda.function("hanging", Handlers.replying(LambdaReply.hang(Duration.ofMillis(300))));

    try (Socket socket = rawInvoke("hanging")) {
      long start = System.nanoTime();
      assertEquals(-1, socket.getInputStream().read(), "expected end of stream, not a response");
      assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) >= 250, "closed before the delay");
    }
    assertEquals("hanging", lambda.lastInvocation().functionName());
  }

  @Test
  void resetConnectionSendsATcpReset() throws Exception {
    lambda.function("resetting", Handlers.replying(LambdaReply.resetConnection()));

    try (Socket socket = rawInvoke("resetting")) {
      InputStream in = socket.getInputStream();
      SocketException reset = assertThrows(SocketException.class, () -> {
        while (in.read() >= 0) {
          // Drain until the reset surfaces.
        }
      });
      assertTrue(reset.getMessage().toLowerCase().contains("reset"), reset.getMessage());
    }
  }

  @Test
  void everyRequestIsRecordedIncludingRejectedOnesUntilReset() throws Exception {
    send(Headers.empty());
    invoke("hello", b -> b.credentials(KEY_ID, "wrong"));
    invoke("hello", b -> b.header("X-Forwarded-For", "10.0.0.1"));

    assertEquals(3, lambda.requestCount());
    List<ReceivedRequest> requests = lambda.requests();
    assertEquals(MISSING_AUTHENTICATION_TOKEN, requests.get(0).outcome().errorType());
    assertEquals(INVALID_SIGNATURE, requests.get(1).outcome().errorType());
    assertTrue(requests.get(2).outcome().invoked());
    assertEquals("{\"name\":\"Ada\"}", requests.get(1).bodyAsString());
    assertEquals(1, lambda.invocations().size());
    assertEquals("10.0.0.1", lambda.lastInvocation().header("x-forwarded-for"));

    lambda.reset();

    assertEquals(0, lambda.requestCount());
    assertTrue(lambda.invocations().isEmpty());
    IllegalStateException none = assertThrows(IllegalStateException.class, lambda::lastInvocation);
    assertTrue(none.getMessage().startsWith("no call reached"));
  }

  @Test
  void secretsAndTokensNeverAppearInTextTheFixtureProduces() throws Exception {
    invoke("hello", b -> b.credentials(TEMP_KEY_ID, TEMP_SECRET, TOKEN));
    ContentResponse refused = invoke("hello", b -> b.credentials(TEMP_KEY_ID, SECRET, TOKEN));
    String recorded = lambda.invocations() + "\n" + lambda.requests();
    lambda.reset();
    invoke("hello", b -> b.credentials(TEMP_KEY_ID, TEMP_SECRET, "another-token"));
    IllegalStateException none = assertThrows(IllegalStateException.class, lambda::lastInvocation);

    String text = String.join("\n", recorded, lambda.toString(), lambda.requests().toString(),
        new Credential(TEMP_KEY_ID, TEMP_SECRET, TOKEN).toString(), refused.getContentAsString(),
        refused.getHeaders().toString(), none.getMessage(),
        signer(lambda.invokeUri("hello")).credentials(TEMP_KEY_ID, TEMP_SECRET, TOKEN).toString(),
        Headers.of("X-Amz-Security-Token", TOKEN).toString());
    for (String secret : List.of(SECRET, TEMP_SECRET, TOKEN, "another-token")) {
      assertFalse(text.contains(secret), "a secret or token leaked into fixture output");
    }
  }

  @Test
  void builderRefusesAStartWithoutCredentialsOrWithDuplicateKeys() {
    assertThrows(IllegalStateException.class, () -> FakeLambda.builder().function("hello", Handlers.echo()).start());
    IllegalArgumentException duplicate = assertThrows(IllegalArgumentException.class,
        () -> FakeLambda.builder().credentials(KEY_ID, SECRET).credentials(KEY_ID, TEMP_SECRET));
    assertFalse(duplicate.getMessage().contains(SECRET));
    assertThrows(IllegalArgumentException.class, () -> FakeLambda.builder().function("arn:aws:x", Handlers.echo()));
  }

  private SdkSigning.Builder signed(String functionName) {
    return signer(lambda.invokeUri(functionName));
  }

  private static SdkSigning.Builder signer(URI uri) {
    return signer("POST", uri).body(PAYLOAD);
  }

  private static SdkSigning.Builder signer(String method, URI uri) {
    return SdkSigning.request(method, uri).credentials(KEY_ID, SECRET).region(REGION);
  }

  /** Signs an Invoke of {@code functionName} with the SDK and sends it as signed. */
  private ContentResponse invoke(String functionName) throws Exception {
    return invoke(functionName, UnaryOperator.identity());
  }

  /** Like {@link #invoke(String)}, signing with {@code signing}'s changes to the defaults. */
  private ContentResponse invoke(String functionName, UnaryOperator<SdkSigning.Builder> signing) throws Exception {
    return send(signing.apply(signed(functionName)).sign(), lambda.invokeUri(functionName));
  }

  /** Sends {@code headers} with the default payload to function "hello". */
  private ContentResponse send(Headers headers) throws Exception {
    return send(headers, lambda.invokeUri("hello"));
  }

  private ContentResponse send(Headers headers, URI uri) throws Exception {
    return send(headers, uri, PAYLOAD);
  }

  private ContentResponse send(Headers headers, URI uri, byte[] body) throws Exception {
    return send("POST", headers, uri, body);
  }

  private ContentResponse send(String method, Headers headers, URI uri, byte[] body) throws Exception {
    return newRequest(method, headers, uri, body).send();
  }

  private CompletableFuture<ContentResponse> sendAsync(Headers headers, URI uri) {
    return new CompletableResponseListener(newRequest("POST", headers, uri, PAYLOAD)).send();
  }

  private static Request newRequest(String method, Headers headers, URI uri, byte[] body) {
    Request request = client.newRequest(uri).method(method).timeout(10, TimeUnit.SECONDS)
        .headers(fields -> headers.fields().forEach(field -> fields.add(field.getKey(), field.getValue())));
    return body.length == 0 ? request : request.body(new BytesRequestContent(body));
  }

  /** Opens a socket and writes a well-signed Invoke of {@code functionName} by hand. */
  private Socket rawInvoke(String functionName) throws Exception {
    URI uri = lambda.invokeUri(functionName);
    Headers headers = signer(uri).sign();
    Socket socket = new Socket(uri.getHost(), uri.getPort());
    socket.setSoTimeout(10_000);
    StringBuilder head = new StringBuilder("POST " + uri.getRawPath() + " HTTP/1.1\r\n");
    headers.fields().forEach(field -> head.append(field.getKey()).append(": ").append(field.getValue()).append("\r\n"));
    head.append("Content-Length: ").append(PAYLOAD.length).append("\r\n\r\n");
    OutputStream out = socket.getOutputStream();
    out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
    out.write(PAYLOAD);
    out.flush();
    return socket;
  }

  private void assertNothingInvoked() {
    assertTrue(lambda.invocations().isEmpty(), () -> "expected no invocation, got " + lambda.requests());
  }

  private static void assertAwsError(ContentResponse response, int status, String errorName, String message)
      throws Exception {
    assertEquals(status, response.getStatus(), response::getContentAsString);
    assertEquals(errorName, errorName(response));
    assertEquals(message, message(response));
  }

  private static String errorName(ContentResponse response) {
    String errorType = response.getHeaders().get("x-amzn-ErrorType");
    return errorType == null ? null : AwsErrors.errorName(errorType);
  }

  private static String message(ContentResponse response) throws Exception {
    return JSON.readTree(response.getContent()).get("message").asText();
  }
}

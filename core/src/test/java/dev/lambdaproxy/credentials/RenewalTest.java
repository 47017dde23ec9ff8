package dev.lambdaproxy.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How cached credentials are renewed: in the background before they expire, never making a
 * request fail or wait while usable ones are cached, keeping them through failed renewals.
 *
 * <p>With the default timing, credentials good for 20 minutes are usable until 10 s before their
 * expiration and renewed half of that ahead (9 min 55 s), at most 15 minutes ahead. The tests move
 * an injected clock past those points; a request that finds the renewal due starts it.
 */
class RenewalTest {

  private static final Duration LIFETIME = Duration.ofMinutes(20);
  private static final Duration UNTIL_RENEWAL = Duration.ofSeconds(9 * 60 + 55);
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir
  Path home;

  private final MutableClock clock = new MutableClock();

  private StubServer.Reply version(int n, Duration lifetime) {
    return StubServer.Reply.json(Answers.credentialsJson("ASIAKEY" + n, "rotatingSECRET" + n, "rotatingTOKEN" + n,
        clock.instant().plus(lifetime)));
  }

  private CredentialsProviders containerProviders(StubServer agent) {
    return TestEnv.isolated(home).set("AWS_CONTAINER_CREDENTIALS_FULL_URI", agent.uri("/creds").toString())
        .providers(CredentialSettings.none(), clock);
  }

  @Test
  void renewsInTheBackgroundBeforeExpiryWhileRequestsNeitherFailNorWait() throws Exception {
    AtomicInteger version = new AtomicInteger(1);
    Duration slowRenewal = Duration.ofMillis(1000);
    try (StubServer agent = StubServer.start(request -> version.get() == 1 ? version(1, LIFETIME)
            : version(version.get(), LIFETIME).after(slowRenewal));
        CredentialsProviders providers = containerProviders(agent)) {
      AwsSdkCredentialsProvider provider = providers.proxy();
      assertEquals("ASIAKEY1", provider.resolve().accessKeyId());
      version.set(2);

      Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
      AtomicLong slowestNanos = new AtomicLong();
      AtomicReference<AwsCredentials> renewed = new AtomicReference<>();
      Thread requests = new Thread(() -> {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
          long start = System.nanoTime();
          try {
            AwsCredentials credentials = provider.resolve();
            slowestNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
            if (credentials.accessKeyId().equals("ASIAKEY2")) {
              renewed.set(credentials);
              return;
            }
          } catch (Throwable t) {
            failures.add(t);
            return;
          }
          Thread.onSpinWait();
        }
      }, "requests");
      requests.start();

      clock.advance(UNTIL_RENEWAL.minusSeconds(5));
      Thread.sleep(100);
      assertEquals(1, agent.count(), "not due yet");
      clock.advance(Duration.ofSeconds(5));
      requests.join(WAIT.toMillis() + 5_000);

      assertTrue(failures.isEmpty(), () -> "a request failed: " + failures);
      assertNotNull(renewed.get(), "the renewed key never showed up");
      assertEquals(2, agent.count());
      assertTrue(slowestNanos.get() < slowRenewal.toNanos() / 2,
          "a request waited on the renewal: " + Duration.ofNanos(slowestNanos.get()));
      assertSame(renewed.get(), provider.resolve());
      assertEquals(clock.instant().plus(LIFETIME), provider.status().expiration());
    }
  }

  @Test
  void renewsOnScheduleWithoutAnyRequest() throws Exception {
    AtomicInteger version = new AtomicInteger(1);
    // Real time: usable until 1 s before an expiration 5 s ahead, renewed halfway there.
    AwsSdkCredentialsProvider.Timing quick = new AwsSdkCredentialsProvider.Timing(Duration.ofMinutes(15), Duration.ofSeconds(1),
        Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofMinutes(1));
    try (StubServer agent = StubServer.start(request -> StubServer.Reply.json(Answers.credentialsJson(
            "ASIAKEY" + version.get(), "rotatingSECRET", "rotatingTOKEN", Instant.now().plusSeconds(5))));
        CredentialsProviders providers = TestEnv.isolated(home)
            .set("AWS_CONTAINER_CREDENTIALS_FULL_URI", agent.uri("/creds").toString())
            .providers(CredentialSettings.none(), java.time.Clock.systemUTC(), quick)) {
      assertEquals("ASIAKEY1", providers.proxy().resolve().accessKeyId());
      version.set(2);
      await(() -> agent.count() == 2, "the scheduled renewal");
      await(() -> providers.proxy().resolve().accessKeyId().equals("ASIAKEY2"), "the renewed key");
      assertEquals(2, agent.count(), "requests took the renewed key from the cache");
    }
  }

  @Test
  void aFailedRenewalKeepsTheCurrentCredentialsUntilTheyExpireAndLogsAWarning() throws Exception {
    try (LogCapture logs = LogCapture.start();
        StubServer agent = StubServer.start(request -> version(1, LIFETIME));
        CredentialsProviders providers = containerProviders(agent)) {
      AwsSdkCredentialsProvider provider = providers.proxy();
      AwsCredentials current = provider.resolve();
      Instant expiration = provider.status().expiration();
      agent.handler(request -> StubServer.Reply.status(500));

      clock.advance(UNTIL_RENEWAL);
      assertSame(current, provider.resolve());
      await(() -> logs.text().contains("Could not renew the AWS credentials"), "the warning");
      assertSame(current, provider.resolve());
      String warning = logs.text().lines().filter(line -> line.contains("Could not renew")).findFirst().orElseThrow();
      assertEquals("WARN dev.lambdaproxy.credentials.AwsSdkCredentialsProvider [lambda-proxy-credentials-1] Could not"
          + " renew the AWS credentials from container endpoint " + agent.uri("/creds") + ": container endpoint "
          + agent.uri("/creds") + ": answered HTTP 500; the current ones stay in use until they expire at " + expiration
          + " (next try in 1000 ms)", warning);
      CredentialsStatus status = provider.status();
      assertTrue(status.ready());
      assertTrue(status.problem().startsWith("renewing them failed 1 time, last at "), status.problem());
      assertTrue(status.problem().endsWith("answered HTTP 500"), status.problem());

      clock.advance(Duration.ofSeconds(2));
      assertSame(current, provider.resolve(), "still in use while the retry fails");
      await(() -> agent.count() >= 3, "the retry");
      assertSame(current, provider.resolve());

      clock.advance(LIFETIME.minus(UNTIL_RENEWAL));
      CredentialsUnavailableException e = assertThrows(CredentialsUnavailableException.class, provider::resolve);
      // Once they expired the whole chain is asked again, the source they came from first.
      assertTrue(e.getMessage().startsWith("the credentials from container endpoint " + agent.uri("/creds") + " expired at "
          + expiration + " and could not be renewed: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"), e.getMessage());
      assertTrue(e.getMessage().contains("; tried container endpoint " + agent.uri("/creds") + ": answered HTTP 500; environment: "),
          e.getMessage());
      assertFalse(provider.status().ready());
      assertFalse(logs.text().contains("rotatingSECRET1"));
      assertFalse(logs.text().contains("rotatingTOKEN1"));
    }
  }

  @Test
  void aSourceThatStillHandsBackWhatWeHoldIsAskedAgainHalfwayToTheirEnd() throws Exception {
    CredentialSource.Loaded held = loaded("AKIDOLD", clock.instant().plus(LIFETIME));
    CredentialSource.Loaded next = loaded("AKIDNEW", clock.instant().plus(LIFETIME.multipliedBy(4)));
    ScriptedSource source = new ScriptedSource().then(held).then(loaded("AKIDOLD", clock.instant().plus(LIFETIME))).then(next);
    try (AwsSdkCredentialsProvider provider = new AwsSdkCredentialsProvider(source, clock, null,
        AwsSdkCredentialsProvider.Timing.DEFAULT)) {
      AwsCredentials first = provider.resolve();
      clock.advance(Duration.ofMinutes(10));
      assertSame(first, provider.resolve());
      await(() -> source.loads() == 2, "the renewal");
      assertSame(first, provider.resolve(), "the same keys keep the same object");
      // Halfway from 10:00 to the end of use at 19:50 is 14:55.
      clock.advance(Duration.ofMinutes(4));
      provider.resolve();
      assertEquals(2, source.loads());
      clock.advance(Duration.ofMinutes(1));
      provider.resolve();
      await(() -> provider.resolve().accessKeyId().equals("AKIDNEW"), "the new keys");
      assertEquals(3, source.loads());
    }
  }

  @Test
  void aCallerThatMustNotBlockGetsOneSharedLoadOnTheProvidersThreadThenResolvesAtOnce() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    AtomicReference<String> loadingThread = new AtomicReference<>();
    AtomicInteger loads = new AtomicInteger();
    CredentialSource slow = new CredentialSource() {
      @Override
      public String name() {
        return "slow";
      }

      @Override
      public CredentialSource.Loaded load() {
        loads.incrementAndGet();
        loadingThread.set(Thread.currentThread().getName());
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return loaded("AKIDSLOW", clock.instant().plus(LIFETIME));
      }
    };
    try (AwsSdkCredentialsProvider provider = new AwsSdkCredentialsProvider(slow, clock, null,
        AwsSdkCredentialsProvider.Timing.DEFAULT)) {
      java.util.concurrent.CompletableFuture<Void> first = provider.loading();
      assertNotNull(first, "nothing is cached: a load must come first");
      assertSame(first, provider.loading(), "callers share the load under way");
      assertFalse(first.isDone());
      release.countDown();
      first.get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertTrue(loadingThread.get().startsWith("lambda-proxy-credentials"), loadingThread.get());
      assertEquals(null, provider.loading(), "cached now: resolve() answers at once");
      assertEquals("AKIDSLOW", provider.resolve().accessKeyId());
      assertEquals(1, loads.get());
    }
  }

  @Test
  void afterAFailedLoadTheCallerIsToldToResolveAtOnceAndHearsTheFailure() throws Exception {
    ScriptedSource source = new ScriptedSource().thenFail("scripted: down");
    try (AwsSdkCredentialsProvider provider = new AwsSdkCredentialsProvider(source, clock, null,
        AwsSdkCredentialsProvider.Timing.DEFAULT)) {
      provider.loading().get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertEquals(null, provider.loading(), "the failure is held: resolve() repeats it without I/O");
      assertEquals("scripted: down", assertThrows(CredentialsUnavailableException.class, provider::resolve).getMessage());
      assertEquals(1, source.loads());
    }
  }

  @Test
  void aFailedLoadIsRepeatedForAMomentWithoutAskingAgain() {
    ScriptedSource source = new ScriptedSource().thenFail("scripted: down");
    try (AwsSdkCredentialsProvider provider = new AwsSdkCredentialsProvider(source, clock, null,
        AwsSdkCredentialsProvider.Timing.DEFAULT)) {
      assertEquals("scripted: down", assertThrows(CredentialsUnavailableException.class, provider::resolve).getMessage());
      assertEquals("scripted: down", assertThrows(CredentialsUnavailableException.class, provider::resolve).getMessage());
      assertEquals("not ready: scripted: down", provider.status().toString());
      assertEquals(1, source.loads());
      clock.advance(Duration.ofSeconds(5));
      assertThrows(CredentialsUnavailableException.class, provider::resolve);
      assertEquals(2, source.loads());
    }
  }

  @Test
  void credentialsAboutToExpireAreNotHandedOut() {
    ScriptedSource source = new ScriptedSource().then(loaded("AKIDSOON", clock.instant().plusSeconds(10)));
    try (AwsSdkCredentialsProvider provider = new AwsSdkCredentialsProvider(source, clock, null,
        AwsSdkCredentialsProvider.Timing.DEFAULT)) {
      String message = assertThrows(CredentialsUnavailableException.class, provider::resolve).getMessage();
      assertEquals("scripted handed out credentials that expire at " + clock.instant().plusSeconds(10)
          + ", too soon to use (now " + clock.instant() + ")", message);
    }
  }

  @Test
  void afterCloseNothingIsRenewedButCachedCredentialsStayUsable() {
    ScriptedSource source = new ScriptedSource().then(loaded("AKIDONE", clock.instant().plus(LIFETIME)))
        .then(loaded("AKIDTWO", clock.instant().plus(LIFETIME.multipliedBy(2))));
    AwsSdkCredentialsProvider provider = new AwsSdkCredentialsProvider(source, clock, null, AwsSdkCredentialsProvider.Timing.DEFAULT);
    AwsCredentials first = provider.resolve();
    provider.close();
    clock.advance(UNTIL_RENEWAL);
    assertSame(first, provider.resolve());
    assertEquals(1, source.loads());
  }

  private static CredentialSource.Loaded loaded(String accessKeyId, Instant expiration) {
    return new CredentialSource.Loaded(new AwsCredentials(accessKeyId, "scriptedSECRET", "scriptedTOKEN"), expiration, "scripted");
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waited " + WAIT.toSeconds() + " s for " + what);
      }
      Thread.sleep(10);
    }
  }
}

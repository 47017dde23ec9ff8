package dev.lambdaproxy.cache;

import static dev.lambdaproxy.cache.Answers.body;
import static dev.lambdaproxy.cache.CacheHarness.ttl;
import static dev.lambdaproxy.cache.Requests.get;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lambdaproxy.http.ClientAnswer;
import java.time.Duration;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Variants: the function's Vary and the route's vary= select which stored answer a request gets. */
class VaryTest {

  private final CacheHarness harness = new CacheHarness();

  @AfterEach
  void close() {
    harness.close();
  }

  /** Answers in the language the request asks for, with {@code Vary: Accept-Language}. */
  private static FakeOrigin languages(java.util.function.Supplier<String> language) {
    return FakeOrigin.answering(call -> Answers.ok(language.get() + " " + call).header("Vary", "Accept-Language").build());
  }

  @Test
  void twoVariantsAreStoredSeparately() {
    String[] language = {"en"};
    FakeOrigin origin = languages(() -> language[0]);
    assertEquals("MISS", harness.serve(get("/things/1").header("Accept-Language", "en"), ttl(60), origin).cacheStatus());
    language[0] = "fr";
    assertEquals("MISS", harness.serve(get("/things/1").header("Accept-Language", "fr"), ttl(60), origin).cacheStatus());

    CachedAnswer en = harness.serve(get("/things/1").header("Accept-Language", "en"), ttl(60), origin);
    CachedAnswer fr = harness.serve(get("/things/1").header("Accept-Language", "fr"), ttl(60), origin);
    assertEquals("HIT", en.cacheStatus());
    assertEquals("en 1", body(en));
    assertEquals("HIT", fr.cacheStatus());
    assertEquals("fr 2", body(fr));
    assertEquals("Accept-Language", Answers.header(en, "Vary"), "Vary passes to the client");
    assertEquals(2, origin.calls());
    assertEquals(2, harness.cache.entryCount());
  }

  @Test
  void variantValuesAreComparedTrimmed() {
    FakeOrigin origin = languages(() -> "en");
    harness.serve(get("/things/1").header("Accept-Language", "en"), ttl(60), origin);
    assertEquals("HIT", harness.serve(get("/things/1").header("accept-language", "  en "), ttl(60), origin).cacheStatus());
  }

  @Test
  void aRequestWithoutTheHeaderIsAVariantOfItsOwn() {
    FakeOrigin origin = languages(() -> "default");
    harness.serve(get("/things/1").header("Accept-Language", "en"), ttl(60), origin);
    assertEquals("MISS", harness.serve(get("/things/1"), ttl(60), origin).cacheStatus());
    assertEquals("HIT", harness.serve(get("/things/1"), ttl(60), origin).cacheStatus());
    assertEquals("MISS", harness.serve(get("/things/1").header("Accept-Language", ""), ttl(60), origin).cacheStatus());
  }

  @Test
  void varyStarIsNeverStored() {
    FakeOrigin origin = FakeOrigin.answering(Answers.ok("x").header("Vary", "*").build());
    harness.serve(get("/things/1"), ttl(60), origin);
    assertEquals("MISS", harness.serve(get("/things/1"), ttl(60), origin).cacheStatus());
    assertEquals(2, origin.calls());
  }

  @Test
  void theRoutesVaryListSelectsVariantsWithoutTheFunctionsVary() {
    CachePolicy byTenant = new CachePolicy(Duration.ofSeconds(60), Duration.ZERO, Duration.ZERO, List.of("X-Tenant"), false);
    FakeOrigin origin = FakeOrigin.answering(call -> Answers.ok("tenant answer " + call).build());
    harness.serve(get("/things/1").header("X-Tenant", "a"), byTenant, origin);
    assertEquals("MISS", harness.serve(get("/things/1").header("X-Tenant", "b"), byTenant, origin).cacheStatus());
    CachedAnswer a = harness.serve(get("/things/1").header("X-Tenant", "a"), byTenant, origin);
    assertEquals("HIT", a.cacheStatus());
    assertEquals("tenant answer 1", body(a));
    assertEquals("HIT", harness.serve(get("/things/1").header("X-Tenant", "b").header("Accept-Language", "de"), byTenant, origin)
        .cacheStatus(), "other headers do not matter");
  }

  @Test
  void theRoutesVaryAndTheFunctionsAddUp() {
    CachePolicy byTenant = new CachePolicy(Duration.ofSeconds(60), Duration.ZERO, Duration.ZERO, List.of("x-tenant"), false);
    FakeOrigin origin = languages(() -> "any");
    harness.serve(get("/things/1").header("X-Tenant", "a").header("Accept-Language", "en"), byTenant, origin);
    assertEquals("MISS", harness.serve(get("/things/1").header("X-Tenant", "a").header("Accept-Language", "fr"), byTenant, origin).cacheStatus());
    assertEquals("MISS", harness.serve(get("/things/1").header("X-Tenant", "b").header("Accept-Language", "en"), byTenant, origin).cacheStatus());
    assertEquals("HIT", harness.serve(get("/things/1").header("X-Tenant", "a").header("Accept-Language", "en"), byTenant, origin).cacheStatus());
  }

  @Test
  void whenTheFunctionStopsVaryingOneEntryServesEveryone() {
    IntFunction<ClientAnswer> answers = call -> call == 1
        ? Answers.ok("varied").cacheControl("max-age=10").header("Vary", "Accept-Language").build()
        : Answers.ok("plain").cacheControl("max-age=10").build();
    FakeOrigin origin = FakeOrigin.answering(answers);
    harness.serve(get("/things/1").header("Accept-Language", "en"), ttl(60), origin);
    harness.clock.advanceSeconds(11);
    assertEquals("MISS", harness.serve(get("/things/1").header("Accept-Language", "en"), ttl(60), origin).cacheStatus());
    CachedAnswer other = harness.serve(get("/things/1").header("Accept-Language", "fr"), ttl(60), origin);
    assertEquals("HIT", other.cacheStatus());
    assertEquals("plain", body(other));
    assertEquals(2, origin.calls());
  }

  @Test
  void aVariantOfAnotherQueryIsAnotherEntry() {
    FakeOrigin origin = languages(() -> "en");
    harness.serve(get("/things/1?a=1").header("Accept-Language", "en"), ttl(60), origin);
    assertEquals("MISS", harness.serve(get("/things/1?a=2").header("Accept-Language", "en"), ttl(60), origin).cacheStatus());
    assertEquals("HIT", harness.serve(get("/things/1?a=1").header("Accept-Language", "en"), ttl(60), origin).cacheStatus());
  }
}

package dev.lambdaproxy.frontdoor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lambdaproxy.config.ConfigException;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TraceTest {

  private static final TracingSettings ALL = new TracingSettings(true, 1);
  private static final TracingSettings NONE = new TracingSettings(true, 0);
  private static final long NOW = 0x5759e988L;
  private static final Pattern NEW_ROOT = Pattern.compile("Root=1-5759e988-[0-9a-f]{24};Sampled=[01]");

  @ParameterizedTest(name = "X-Amzn-Trace-Id {0}")
  @CsvSource(delimiter = '|', value = {
      "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1|Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
      "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=0|Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=0",
      "Sampled=1;Parent=53995c3f42cd8ad8;Root=1-5759e988-bd862e3fe1be46a994272793|Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
      "Self=1-67891234-12456789abcdef012345678;Root=1-5759e988-bd862e3fe1be46a994272793;Lineage=a87bd80c:0;Sampled=1|Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1",
      "Root=1-5759e988-bd862e3fe1be46a994272793|Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=0"})
  void aValidAmznTraceIdIsContinuedWithItsRootParentAndDecision(String header, String sent) {
    assertEquals(sent, Trace.of(NONE, header, null, NOW).header());
  }

  @Test
  void aSampledQuestionMarkIsDecidedHere() {
    assertTrue(Trace.of(ALL, "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=?", null, NOW).sampled());
    assertFalse(Trace.of(NONE, "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=?", null, NOW).sampled());
  }

  @ParameterizedTest(name = "X-Amzn-Trace-Id ''{0}'' starts a new trace")
  @ValueSource(strings = {
      "", "garbage", "Root=", "Parent=53995c3f42cd8ad8;Sampled=1",
      "Root=2-5759e988-bd862e3fe1be46a994272793",
      "Root=1-5759E988-bd862e3fe1be46a994272793",
      "Root=1-5759e988-bd862e3fe1be46a99427279",
      "Root=1-5759e988-bd862e3fe1be46a9942727930",
      "Root=1-5759e988-000000000000000000000000",
      "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad",
      "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=0000000000000000",
      "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=yes",
      "Root=1-5759e988-bd862e3fe1be46a994272793;Root=1-5759e988-bd862e3fe1be46a994272794",
      "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8\r\nX-Evil: 1",
      "Root=1-5759e988-bd862e3fe1be46a994272793;junk"})
  void aMalformedAmznTraceIdStartsANewTrace(String header) {
    Trace trace = Trace.of(NONE, header, null, NOW);
    assertTrue(NEW_ROOT.matcher(trace.header()).matches(), trace.header());
    assertNull(trace.parent());
  }

  @ParameterizedTest(name = "traceparent {0}")
  @CsvSource(delimiter = '|', value = {
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01|Root=1-4bf92f35-77b34da6a3ce929d0e0e4736;Parent=00f067aa0ba902b7;Sampled=1",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00|Root=1-4bf92f35-77b34da6a3ce929d0e0e4736;Parent=00f067aa0ba902b7;Sampled=0",
      "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03-later-fields|Root=1-4bf92f35-77b34da6a3ce929d0e0e4736;Parent=00f067aa0ba902b7;Sampled=1"})
  void aValidTraceparentBecomesTheXrayHeader(String header, String sent) {
    assertEquals(sent, Trace.of(ALL, null, header, NOW).header());
  }

  @ParameterizedTest(name = "traceparent ''{0}'' starts a new trace")
  @ValueSource(strings = {
      "", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
      "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
      "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
      "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",
      "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x"})
  void aMalformedTraceparentStartsANewTrace(String header) {
    Trace trace = Trace.of(NONE, null, header, NOW);
    assertTrue(NEW_ROOT.matcher(trace.header()).matches(), trace.header());
  }

  @Test
  void anAmznTraceIdWinsOverATraceparentAndABadOneFallsBackToIt() {
    String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    assertEquals("1-5759e988-bd862e3fe1be46a994272793",
        Trace.of(NONE, "Root=1-5759e988-bd862e3fe1be46a994272793", traceparent, NOW).root());
    assertEquals("1-4bf92f35-77b34da6a3ce929d0e0e4736", Trace.of(NONE, "Root=bad", traceparent, NOW).root());
  }

  @Test
  void aNewTraceHasTheTimeAndARandomRootAndIsSampledAsTheSettingsSay() {
    Trace first = Trace.of(ALL, null, null, NOW);
    Trace second = Trace.of(NONE, null, null, NOW);
    assertTrue(NEW_ROOT.matcher(first.header()).matches(), first.header());
    assertTrue(first.sampled());
    assertFalse(second.sampled());
    assertNotEquals(first.root(), second.root());
  }

  @Test
  void aHalfRateSamplesAboutHalf() {
    TracingSettings half = new TracingSettings(true, 0.5);
    int sampled = 0;
    for (int i = 0; i < 4_000; i++) {
      if (Trace.of(half, null, null, NOW).sampled()) {
        sampled++;
      }
    }
    assertTrue(sampled > 1_700 && sampled < 2_300, sampled + " of 4000");
  }

  @Test
  void tracingSettingsAreReadAndCheckedByLine() {
    assertEquals(TracingSettings.DEFAULT, TracingSettings.from(Settings.of("timeout-ms = 100\n")));
    assertEquals(new TracingSettings(false, 0.25), TracingSettings.from(Settings.of("tracing.enabled = false\ntracing.sample-rate = 0.25\n")));
    assertEquals("lambda-proxy.properties:1: unknown setting 'tracing.sample' (did you mean 'tracing.sample-rate'?)",
        org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
            () -> TracingSettings.from(Settings.of("tracing.sample = 1\n"))).getMessage());
    assertTrue(org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
        () -> TracingSettings.from(Settings.of("tracing.sample-rate = 1.5\n"))).getMessage()
        .startsWith("lambda-proxy.properties:1: 'tracing.sample-rate': must be a number from 0"));
  }
}

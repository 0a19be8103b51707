package org.glasshouse.helper.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The init timeout: configured, or sized from how fast this machine starts a JVM. */
class InitTimeoutTest {

  @Test
  void aFastMachineGetsTheFloorAndASlowOneAMultipleOfItsJvmStart() {
    assertEquals(InitTimeout.FLOOR, InitTimeout.sized(Duration.ofMillis(90)).value());
    // The TCG guest: a bare JVM in 2.6 s, a cold init in 25-31 s when the host is idle.
    InitTimeout guest = InitTimeout.sized(Duration.ofMillis(2600));
    assertEquals(Duration.ofSeconds(260), guest.value());
    assertEquals("260 s (sized from this machine: a JVM starts here in 2.60 s)", guest.toString());
    assertEquals(InitTimeout.CEILING, InitTimeout.sized(Duration.ofMinutes(5)).value());
  }

  @Test
  void aSizedTimeoutLearnsFromTheSlowestInitAConfiguredOneDoesNot() {
    InitTimeout sized = InitTimeout.sized(Duration.ofMillis(500));
    assertEquals(Duration.ofSeconds(50), sized.value());
    assertEquals(sized, sized.atLeastFor(Duration.ofSeconds(10)), "3 x 10 s is less than 50 s");
    InitTimeout learnt = sized.atLeastFor(Duration.ofMillis(30_200));
    assertEquals(Duration.ofSeconds(91), learnt.value());
    assertEquals(
        "91 s (sized from this machine: a JVM starts here in 0.50 s; an init here took 30.2 s to"
            + " connect)",
        learnt.toString());
    assertEquals(InitTimeout.CEILING, sized.atLeastFor(Duration.ofMinutes(20)).value());
    InitTimeout configured = InitTimeout.configured(Duration.ofSeconds(60), "a test");
    assertEquals(configured, configured.atLeastFor(Duration.ofMinutes(5)), "the user's word");
  }

  @Test
  void theEnvironmentVariableSetsIt() {
    InitTimeout t =
        InitTimeout.forThisMachine(Map.of(InitTimeout.ENV, "240"), "/nonexistent/java", List.of());
    assertEquals(Duration.ofSeconds(240), t.value());
    assertEquals("240 s (set by GLASSHOUSE_INIT_TIMEOUT)", t.toString());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                InitTimeout.forThisMachine(
                    Map.of(InitTimeout.ENV, "2m"), "/nonexistent/java", List.of()));
    assertTrue(e.getMessage().contains("GLASSHOUSE_INIT_TIMEOUT must be a number of seconds"));
    assertThrows(IllegalArgumentException.class, () -> InitTimeout.parseSeconds("0", "x"));
  }

  @Test
  void aJvmThatCannotStartIsNoMeasureAndGivesTheFloorWithTheReason() {
    InitTimeout t = InitTimeout.measure("/nonexistent/java", List.of());
    assertEquals(InitTimeout.FLOOR, t.value());
    assertTrue(t.basis().contains("could not be started"), t.basis());
  }

  /** The real measurement on this machine: printed, and within the bounds. */
  @Test
  void thisMachine() {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    InitTimeout t = InitTimeout.measure(java, RuntimeConfig.INIT_JVM_OPTIONS);
    System.out.println("init timeout on this machine: " + t);
    assertTrue(t.basis().startsWith("sized from this machine"), t.toString());
    assertTrue(t.value().compareTo(InitTimeout.FLOOR) >= 0, t.toString());
  }

  @Test
  void theFailureNamesTheTimeoutItsBasisAndHowToSetIt() {
    String m = InitSession.notConnected(InitTimeout.sized(Duration.ofMillis(200)));
    assertEquals(
        "the init stage did not connect within 30 s (sized from this machine: a JVM starts here in"
            + " 0.20 s); a slower machine needs more: glasshouse helper --init-timeout SECONDS or"
            + " GLASSHOUSE_INIT_TIMEOUT",
        m);
  }
}

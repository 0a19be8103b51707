package org.glasshouse.testsupport;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** The rule "under CI=true a missing prerequisite fails the run; skipping is for developers". */
class PrerequisitesTest {

  @Test
  void aMissingPrerequisiteSkipsWithItsReasonOnADevelopersMachine() {
    for (Map<String, String> env :
        List.of(Map.<String, String>of(), Map.of("CI", "0"), Map.of("CI", "false"))) {
      TestAbortedException e =
          assertThrows(
              TestAbortedException.class,
              () -> Prerequisites.require(false, "needs a static busybox", env));
      assertTrue(e.getMessage().contains("needs a static busybox"), e.getMessage());
    }
  }

  @Test
  void aMissingPrerequisiteFailsWithItsReasonUnderCi() {
    AssertionFailedError e =
        assertThrows(
            AssertionFailedError.class,
            () -> Prerequisites.require(false, "needs root", Map.of("CI", "true")));
    assertTrue(e.getMessage().contains("needs root"), e.getMessage());
    assertTrue(e.getMessage().contains("CI=true"), e.getMessage());
  }

  @Test
  void aPrerequisiteThatHoldsLetsTheTestRunEverywhere() {
    Prerequisites.require(true, "never shown", Map.of("CI", "true"));
    Prerequisites.require(true, "never shown", Map.of());
  }

  @Test
  void aTestThatDoesNotApplyIsSkippedEvenUnderCi() {
    TestAbortedException e =
        assertThrows(
            TestAbortedException.class, () -> Prerequisites.onlyOn(false, "this host is not v2"));
    assertTrue(e.getMessage().contains("this host is not v2"), e.getMessage());
    Prerequisites.onlyOn(true, "never shown");
  }
}

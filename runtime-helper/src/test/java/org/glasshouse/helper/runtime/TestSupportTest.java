package org.glasshouse.helper.runtime;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** The rule "under CI=true a missing prerequisite fails the run; skipping is for developers". */
class TestSupportTest {

  @Test
  void aMissingPrerequisiteSkipsWithItsReasonOnADevelopersMachine() {
    for (Map<String, String> env : java.util.List.of(Map.<String, String>of(), Map.of("CI", "0"))) {
      TestAbortedException e =
          assertThrows(
              TestAbortedException.class,
              () -> TestSupport.require(false, "needs a static busybox", env));
      assertTrue(e.getMessage().contains("needs a static busybox"), e.getMessage());
    }
  }

  @Test
  void aMissingPrerequisiteFailsWithItsReasonUnderCi() {
    AssertionFailedError e =
        assertThrows(
            AssertionFailedError.class,
            () -> TestSupport.require(false, "needs root", Map.of("CI", "true")));
    assertTrue(e.getMessage().contains("needs root"), e.getMessage());
    assertTrue(e.getMessage().contains("CI=true"), e.getMessage());
  }

  @Test
  void aPrerequisiteThatHoldsLetsTheTestRunEverywhere() {
    TestSupport.require(true, "never shown", Map.of("CI", "true"));
    TestSupport.require(true, "never shown", Map.of());
  }

  /**
   * The rule has one owner: no test decides on its own to skip (an {@code assumeTrue} of its own
   * would skip under CI too).
   */
  @Test
  void onlyTestSupportDecidesWhetherATestMaySkip() {
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName(TestSupport.class.getName())
        .and()
        .doNotHaveFullyQualifiedName(TestSupportTest.class.getName())
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("org.junit.jupiter.api.Assumptions")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName(TestAbortedException.class.getName())
        .check(
            new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
                .importPackages("org.glasshouse"));
  }
}

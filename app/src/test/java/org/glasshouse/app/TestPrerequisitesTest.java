package org.glasshouse.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** The rule "under CI=true a missing prerequisite fails the run; skipping is for developers". */
class TestPrerequisitesTest {

  @Test
  void aMissingPrerequisiteSkipsWithItsReasonOnADevelopersMachine() {
    for (Map<String, String> env : List.of(Map.<String, String>of(), Map.of("CI", "false"))) {
      TestAbortedException e =
          assertThrows(
              TestAbortedException.class,
              () -> TestPrerequisites.require(false, "needs the busybox image", env));
      assertTrue(e.getMessage().contains("needs the busybox image"), e.getMessage());
    }
  }

  @Test
  void aMissingPrerequisiteFailsWithItsReasonUnderCi() {
    AssertionFailedError e =
        assertThrows(
            AssertionFailedError.class,
            () -> TestPrerequisites.require(false, "needs root", Map.of("CI", "true")));
    assertTrue(e.getMessage().contains("needs root"), e.getMessage());
    assertTrue(e.getMessage().contains("CI=true"), e.getMessage());
  }

  @Test
  void aPrerequisiteThatHoldsLetsTheTestRunEverywhere() {
    TestPrerequisites.require(true, "never shown", Map.of("CI", "true"));
  }

  /** The rule has one owner: no app test skips itself on its own. */
  @Test
  void onlyTestPrerequisitesDecidesWhetherATestMaySkip() {
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName(TestPrerequisites.class.getName())
        .and()
        .doNotHaveFullyQualifiedName(TestPrerequisitesTest.class.getName())
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("org.junit.jupiter.api.Assumptions")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName(TestAbortedException.class.getName())
        .check(
            new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
                .importPackages("org.glasshouse.app"));
  }
}

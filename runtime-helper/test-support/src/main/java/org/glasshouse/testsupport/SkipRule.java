package org.glasshouse.testsupport;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.opentest4j.TestAbortedException;

/**
 * The check that {@link Prerequisites} alone decides whether a test may skip: no test of a module
 * uses JUnit's {@code Assumptions} or throws {@link TestAbortedException} itself (an {@code
 * assumeTrue} of its own would skip under CI too). Each module's tests call it once.
 */
public final class SkipRule {
  private SkipRule() {}

  /**
   * Fails naming every test class under {@code packagePrefix} (test classes only, on the calling
   * module's class path) that skips on its own.
   */
  public static void check(String packagePrefix) {
    noClasses()
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("org.junit.jupiter.api.Assumptions")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName(TestAbortedException.class.getName())
        .check(
            new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
                .importPackages(packagePrefix));
  }
}

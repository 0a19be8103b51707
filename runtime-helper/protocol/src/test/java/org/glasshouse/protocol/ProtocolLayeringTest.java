package org.glasshouse.protocol;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the app and every client get when they depend on glasshouse-protocol: the JDK, Jackson and
 * this module, nothing of the helper. Every rule must match classes (no {@code allowEmptyShould}):
 * a renamed package fails here instead of passing on nothing.
 */
class ProtocolLayeringTest {

  private static JavaClasses module;

  @BeforeAll
  static void importClasses() {
    module =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.glasshouse");
  }

  @Test
  void theProtocolDependsOnlyOnTheJdkAndJackson() {
    classes()
        .that()
        .resideInAPackage("org.glasshouse.protocol..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "com.fasterxml.jackson..", "org.glasshouse.protocol..")
        .check(module);
  }

  /**
   * Only the protocol and the client. (The tests' own support module, glasshouse-test-support, is
   * on the test class path beside them: it is not part of this artifact.)
   */
  @Test
  void theModuleHoldsOnlyTheProtocolAndTheClient() {
    classes()
        .that()
        .resideOutsideOfPackage("org.glasshouse.testsupport..")
        .should()
        .resideInAnyPackage("org.glasshouse.protocol..", "org.glasshouse.client..")
        .check(module);
  }

  /** Records a client reads back, with no logic that needs /proc or any file. */
  @Test
  void inspectionRecordsReadNoFiles() {
    noClasses()
        .that()
        .resideInAPackage("org.glasshouse.protocol.inspect..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("java.io..", "java.nio.file..", "java.nio.channels..")
        .check(module);
  }

  @Test
  void packagesAreFreeOfCycles() {
    slices().matching("org.glasshouse.(**)").should().beFreeOfCycles().check(module);
  }
}

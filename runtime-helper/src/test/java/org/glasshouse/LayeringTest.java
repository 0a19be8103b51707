package org.glasshouse;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package layering of runtime-helper, checked on the compiled classes. Rules on packages that
 * do not exist yet pass vacuously ({@code allowEmptyShould}) and bite as soon as they do. The
 * protocol and client's own rules live with them, in the glasshouse-protocol module.
 */
class LayeringTest {

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.glasshouse");
  }

  /** Native calls live behind one seam, so everything else is testable with a recording fake. */
  @Test
  void onlyTheLinuxPackageUsesJna() {
    noClasses()
        .that()
        .resideOutsideOfPackage("org.glasshouse.helper.linux..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("com.sun.jna..")
        .allowEmptyShould(true)
        .check(classes);
  }

  /** The helper runs as root on servers without a display: no JavaFX in it. */
  @Test
  void nothingInTheHelperUsesJavaFx() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAPackage("javafx..")
        .allowEmptyShould(true)
        .check(classes);
  }
}

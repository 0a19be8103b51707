package org.glasshouse.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.glasshouse.helper.inspect.CgroupStats;
import org.glasshouse.helper.inspect.TelemetrySample;
import org.junit.jupiter.api.Test;

/** The app's layering, checked on the compiled classes. */
class ArchitectureTest {
  private final JavaClasses app =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("org.glasshouse.app");

  @Test
  void viewModelsNeverTouchTheSceneGraph() {
    noClasses()
        .that()
        .haveSimpleNameEndingWith("ViewModel")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("javafx.scene..")
        .check(app);
  }

  @Test
  void onlyTheSocketClientKnowsTheWire() {
    noClasses()
        .that()
        .resideOutsideOfPackage("org.glasshouse.app.core")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("com.fasterxml.jackson..", "java.nio.channels..")
        .check(app);
  }

  @Test
  void theAppNeverReachesIntoTheHelper() {
    // The telemetry records are the one exception, until they move to the protocol package with
    // the rest of the inspection shapes: the app reads them, it never calls the helper's code.
    noClasses()
        .should()
        .dependOnClassesThat(
            JavaClass.Predicates.resideInAnyPackage(
                    "org.glasshouse.helper..", "com.sun.jna..", "org.glasshouse.cli..")
                .and(
                    DescribedPredicate.not(
                        JavaClass.Predicates.belongToAnyOf(
                            TelemetrySample.class, CgroupStats.class))))
        .check(app);
  }
}

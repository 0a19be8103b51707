package org.glasshouse.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.glasshouse.protocol.Privilege;
import org.glasshouse.protocol.RunSpec;
import org.glasshouse.protocol.StepEntry;
import org.glasshouse.protocol.inspect.InspectResult;
import org.glasshouse.testsupport.BuiltByName;
import org.glasshouse.testsupport.OneRootCheck;
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

  /** The app runs as the desktop user: none of the root helper's code or native bindings. */
  @Test
  void theAppNeverReachesIntoTheHelper() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.glasshouse.helper..",
            "org.glasshouse.cli..",
            "com.sun.jna..",
            "org.apache.commons.compress..")
        .check(app);
  }

  /**
   * One slice per package, the root package {@code app} included: a feature package never reaches
   * back into one that uses it.
   */
  @Test
  void packagesAreFreeOfCycles() {
    slices().matching("org.glasshouse.(**)").should().beFreeOfCycles().check(app);
  }

  /**
   * The protocol's big records are built by name (their builders), never positionally: a swapped
   * pair of Strings would compile. Tests included, where most of them are made. (runtime-helper's
   * {@code NamedConstructionTest} holds the same rule for the helper.)
   */
  @Test
  void theProtocolsBigRecordsAreBuiltByName() {
    JavaClasses withTests = new ClassFileImporter().importPackages("org.glasshouse.app");
    BuiltByName.check(withTests, RunSpec.class, StepEntry.class, InspectResult.class);
  }

  /**
   * "Am I root" has one answer, the protocol's {@link Privilege#runningAsRoot}, which the helper
   * asks too: the app declares no root check of its own (the protocol is imported with it, so the
   * rule matches that one and a rename fails here). One rule, test-support's {@link OneRootCheck},
   * which the helper's LayeringTest runs too.
   */
  @Test
  void oneRootCheck() {
    JavaClasses appAndProtocol =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.glasshouse.app", "org.glasshouse.protocol");
    OneRootCheck.check(appAndProtocol, Privilege.class);
  }

  /** Every package says in its package-info what it is for: the first thing a newcomer opens. */
  @Test
  void everyPackageSaysWhatItIsFor() throws IOException {
    Path src = Path.of("src/main/java/org/glasshouse/app");
    assertTrue(Files.isDirectory(src), "run from the app module: " + src.toAbsolutePath());
    try (Stream<Path> files = Files.walk(src)) {
      List<Path> missing =
          files
              .filter(p -> p.toString().endsWith(".java"))
              .map(Path::getParent)
              .distinct()
              .filter(d -> !Files.exists(d.resolve("package-info.java")))
              .toList();
      assertEquals(List.of(), missing, "packages without a package-info.java");
    }
  }
}

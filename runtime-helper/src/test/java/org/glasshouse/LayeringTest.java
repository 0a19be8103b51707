package org.glasshouse;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.glasshouse.protocol.Privilege;
import org.glasshouse.testsupport.OneRootCheck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package layering of runtime-helper, checked on the compiled classes (the protocol and client
 * from the glasshouse-protocol jar included). Every rule must match classes (no {@code
 * allowEmptyShould}): a renamed package fails here instead of passing on nothing. The protocol and
 * client's own rules live with them, in the glasshouse-protocol module.
 */
class LayeringTest {

  private static final String HELPER = "org.glasshouse.helper";

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.glasshouse");
  }

  /**
   * One slice per package ({@code (**)}, not {@code (*)..}, which would make the whole helper one
   * slice and hide a cycle between, say, runtime and inspect).
   */
  @Test
  void packagesAreFreeOfCycles() {
    slices().matching("org.glasshouse.(**)").should().beFreeOfCycles().check(classes);
  }

  /**
   * The rules above see every package there is, one by one: each package of this module's source
   * tree and of the protocol module's (a sibling in the reactor) has classes among those imported.
   * A package added, moved or renamed is checked without anyone adding it to a list.
   */
  @Test
  void theRulesSeeEveryPackageOfTheSourceTrees() throws IOException {
    Set<String> imported =
        classes.stream().map(JavaClass::getPackageName).collect(Collectors.toSet());
    Set<String> sources = new TreeSet<>();
    for (Path root : List.of(Path.of("src/main/java"), Path.of("protocol/src/main/java"))) {
      assertTrue(Files.isDirectory(root), "run from the runtime-helper module: " + root);
      try (Stream<Path> files = Files.walk(root)) {
        files
            .filter(p -> p.toString().endsWith(".java"))
            .map(p -> root.relativize(p.getParent()).toString().replace('/', '.'))
            .forEach(sources::add);
      }
    }
    assertTrue(
        sources.containsAll(
            Set.of(HELPER + ".runtime.init", HELPER + ".plan", "org.glasshouse.cli")),
        "the walk found the source packages: " + sources);
    assertEquals(
        List.of(),
        sources.stream().filter(p -> !imported.contains(p)).toList(),
        "source packages without imported classes: the rules would pass without seeing them");
  }

  /** Native calls live behind one seam, so everything else is testable with a recording fake. */
  @Test
  void onlyTheLinuxPackageUsesJna() {
    noClasses()
        .that()
        .resideOutsideOfPackage(HELPER + ".linux..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("com.sun.jna..")
        .check(classes);
  }

  /** The helper runs as root on servers without a display: no JavaFX in it. */
  @Test
  void nothingInTheHelperUsesJavaFx() {
    noClasses().should().dependOnClassesThat().resideInAPackage("javafx..").check(classes);
  }

  /**
   * Inspection is a library that reads /proc and cgroupfs: it knows nothing of the runtime that
   * made a container nor of the server that answers for it (the server adapts it, in {@code
   * server.InspectionService}).
   */
  @Test
  void inspectIsALibrary() {
    noClasses()
        .that()
        .resideInAPackage(HELPER + ".inspect..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(HELPER + ".runtime..", HELPER + ".server..", "org.glasshouse.cli..")
        .check(classes);
  }

  /**
   * Every init JVM loads what the init stage imports: the plan, the messages and the step log come
   * from {@code helper.plan}, never from the runtime package with its pools, pumps and janitor.
   */
  @Test
  void theInitStageNeedsNoRuntime() {
    noClasses()
        .that()
        .resideInAPackage(HELPER + ".runtime.init..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            HELPER + ".runtime",
            HELPER + ".cgroups..",
            HELPER + ".inspect..",
            HELPER + ".server..",
            "org.glasshouse.cli..")
        .check(classes);
  }

  /**
   * An init JVM loads no Jackson (issue 16: its class loading and first use cost an init hundreds
   * of ms of CPU): the init stage and the plan and messages it shares with the helper go through
   * {@code plan.InitCodec}. Jackson's annotations on the protocol's records are no dependency here:
   * a JVM that never reads them never loads them ({@code InitTrainingRunTest} shows what an init
   * JVM loads).
   */
  @Test
  void theInitStageUsesNoJackson() {
    noClasses()
        .that()
        .resideInAnyPackage(HELPER + ".runtime.init..", HELPER + ".plan..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("com.fasterxml.jackson.databind..", "com.fasterxml.jackson.core..")
        .check(classes);
  }

  /** cgroup knowledge sits below both of its users, the runtime and inspection. */
  @Test
  void cgroupsKnowNeitherRuntimeNorInspection() {
    noClasses()
        .that()
        .resideInAPackage(HELPER + ".cgroups..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            HELPER + ".runtime",
            HELPER + ".inspect..",
            HELPER + ".server..",
            "org.glasshouse.cli..")
        .check(classes);
  }

  /**
   * The runtime's wiring is the top of its package: the pieces it builds (the start's steps, the
   * init runner, the waiter, the pool) are handed what they use and never reach back into it. Only
   * the start-latency benchmark, which makes runtimes of its own, names it.
   */
  @Test
  void theRuntimesPiecesNeverReachBackIntoIt() {
    noClasses()
        .that()
        .resideInAPackage(HELPER + ".runtime")
        .and()
        .haveNameNotMatching(".*\\.(LinuxContainerRuntime|StartLatencyBenchmark)(\\$.*)?")
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName(HELPER + ".runtime.LinuxContainerRuntime")
        .check(classes);
  }

  /** The plan, messages and step log are shared types: they depend on no side that uses them. */
  @Test
  void thePlanDependsOnNoSide() {
    noClasses()
        .that()
        .resideInAPackage(HELPER + ".plan..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            HELPER + ".runtime",
            HELPER + ".runtime.init..",
            HELPER + ".cgroups..",
            HELPER + ".inspect..",
            HELPER + ".server..",
            "org.glasshouse.cli..")
        .check(classes);
  }

  /**
   * "Am I root" has one answer, {@link Privilege#runningAsRoot}: no other static boolean root check
   * in the helper, the CLI or the protocol (the tests' own, in test-support, aside). It matches
   * that one, so a rename fails here too. One rule, test-support's {@link OneRootCheck}, which the
   * app's ArchitectureTest runs too.
   */
  @Test
  void oneRootCheck() {
    OneRootCheck.check(classes, Privilege.class);
  }

  /** Every package says in its package-info what it is for: the first thing a newcomer opens. */
  @Test
  void everyPackageSaysWhatItIsFor() throws IOException {
    Path src = Path.of("src/main/java/org/glasshouse");
    assertTrue(
        Files.isDirectory(src), "run from the runtime-helper module: " + src.toAbsolutePath());
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

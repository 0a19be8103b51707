package org.glasshouse.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * The rule "under CI=true a missing prerequisite fails the run; skipping is for developers", for
 * the packaging tests: CI's step that builds, installs and purges the package cannot pass by being
 * skipped.
 */
class PrerequisitesTest {

  @Test
  void aMissingPrerequisiteSkipsWithItsReasonOnADevelopersMachine() {
    for (Map<String, String> env : List.of(Map.<String, String>of(), Map.of("CI", "false"))) {
      TestAbortedException e =
          assertThrows(
              TestAbortedException.class,
              () -> Prerequisites.require(false, "installing a package needs root", env));
      assertTrue(e.getMessage().contains("needs root"), e.getMessage());
    }
  }

  @Test
  void aMissingPrerequisiteFailsWithItsReasonUnderCi() {
    AssertionFailedError e =
        assertThrows(
            AssertionFailedError.class,
            () -> Prerequisites.require(false, "no apt-get", Map.of("CI", "true")));
    assertTrue(e.getMessage().contains("no apt-get"), e.getMessage());
    assertTrue(e.getMessage().contains("CI=true"), e.getMessage());
  }

  @Test
  void aPrerequisiteThatHoldsLetsTheTestRunEverywhere() {
    Prerequisites.require(true, "never shown", Map.of("CI", "true"));
  }

  /** The rule has one owner: no packaging test skips itself on its own. */
  @Test
  void onlyPrerequisitesDecidesWhetherATestMaySkip() throws IOException {
    Path dir = Deb.REPO.resolve("app/packaging/src/test/java/org/glasshouse/packaging");
    List<String> offenders;
    try (Stream<Path> files = Files.list(dir)) {
      offenders =
          files
              .filter(p -> p.toString().endsWith(".java"))
              .filter(p -> !p.getFileName().toString().startsWith("Prerequisites"))
              .filter(p -> read(p).contains("Assumptions") || read(p).contains("assume"))
              .map(p -> p.getFileName().toString())
              .toList();
    }
    assertEquals(List.of(), offenders, "skip through Prerequisites.require, not Assumptions");
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

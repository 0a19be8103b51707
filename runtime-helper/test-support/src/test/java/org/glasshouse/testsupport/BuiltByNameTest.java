package org.glasshouse.testsupport;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/** The check catches a positional call and lets the record's own builder through. */
class BuiltByNameTest {

  record Pair(String left, String right) {
    static Pair ofLeft(String left) {
      return new Pair(left, "");
    }
  }

  static final class Positional {
    Pair make() {
      return new Pair("right", "left");
    }
  }

  static final class ByName {
    Pair make() {
      return Pair.ofLeft("left");
    }
  }

  @Test
  void aPositionalCallOutsideTheRecordFails() {
    AssertionError e =
        assertThrows(
            AssertionError.class,
            () ->
                BuiltByName.check(
                    new ClassFileImporter().importClasses(Pair.class, Positional.class),
                    Pair.class));
    assertTrue(e.getMessage().contains("Positional"), e.getMessage());
  }

  @Test
  void theRecordItselfMayCallIt() {
    BuiltByName.check(new ClassFileImporter().importClasses(Pair.class, ByName.class), Pair.class);
  }
}

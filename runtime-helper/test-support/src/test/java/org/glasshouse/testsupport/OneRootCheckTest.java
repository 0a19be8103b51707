package org.glasshouse.testsupport;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.glasshouse.rootcheckfixture.Answer;
import org.glasshouse.rootcheckfixture.Bystander;
import org.glasshouse.rootcheckfixture.Second;
import org.junit.jupiter.api.Test;

/**
 * The check lets the one answer through, names a second root check, and fails when it matches
 * nothing (the answer renamed).
 */
class OneRootCheckTest {

  // The fixtures live outside org.glasshouse.testsupport, as the product's classes do: the rule
  // leaves the tests' own root check (this package's) aside.

  @Test
  void theAnswerAloneIsAllowed() {
    OneRootCheck.check(
        new ClassFileImporter().importClasses(Answer.class, Bystander.class), Answer.class);
  }

  @Test
  void aSecondRootCheckIsNamed() {
    AssertionError e =
        assertThrows(
            AssertionError.class,
            () ->
                OneRootCheck.check(
                    new ClassFileImporter().importClasses(Answer.class, Second.class),
                    Answer.class));
    assertTrue(e.getMessage().contains("Second.isRoot"), e.getMessage());
  }

  @Test
  void aRuleThatMatchesNothingFails() {
    assertThrows(
        AssertionError.class,
        () ->
            OneRootCheck.check(
                new ClassFileImporter().importClasses(Bystander.class), Answer.class));
  }
}

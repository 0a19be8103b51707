package org.glasshouse.testsupport;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaConstructorCall;

/**
 * The check that records with many components of one type are built by name: no class but the
 * record itself (its builder) calls its canonical constructor. Such a constructor stays public (a
 * record's must, and Jackson binds to it), so only this check keeps a positional call with two
 * Strings swapped from compiling into the code.
 */
public final class BuiltByName {
  private BuiltByName() {}

  /**
   * Fails naming every class in {@code classes} that calls a constructor of one of {@code types}.
   */
  public static void check(JavaClasses classes, Class<?>... types) {
    for (Class<?> type : types) {
      noClasses()
          .that()
          .doNotBelongToAnyOf(type)
          .should()
          .callConstructorWhere(
              DescribedPredicate.describe(
                  "a constructor of " + type.getSimpleName() + " (use its builder)",
                  (JavaConstructorCall call) -> call.getTargetOwner().isEquivalentTo(type)))
          .check(classes);
    }
  }
}

package org.glasshouse.testsupport;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;

import com.tngtech.archunit.core.domain.JavaClasses;

/**
 * The check that "am I root" has one answer in the product: every static boolean method named like
 * a root check ({@code isRoot}, {@code amRoot}, {@code runningAsRoot}, {@code runsAsRoot}) is
 * declared in the one class that answers it. The tests' own answer ({@link
 * Prerequisites#runningAsRoot}) aside. The rule must match the answer itself, so a rename fails
 * too. The helper's LayeringTest and the app's ArchitectureTest both run it.
 */
public final class OneRootCheck {
  private OneRootCheck() {}

  /** Fails naming every root check in {@code classes} declared elsewhere than {@code answer}. */
  public static void check(JavaClasses classes, Class<?> answer) {
    methods()
        .that()
        .areStatic()
        .and()
        .haveRawReturnType(boolean.class)
        .and()
        .haveNameMatching("(?i)(is|am|runningAs|runsAs)Root")
        .and()
        .areDeclaredInClassesThat()
        .resideOutsideOfPackage("org.glasshouse.testsupport..")
        .should()
        .beDeclaredIn(answer)
        .check(classes);
  }
}

package org.glasshouse;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.util.List;
import org.glasshouse.helper.plan.InitPlan;
import org.glasshouse.protocol.RunSpec;
import org.glasshouse.protocol.StepEntry;
import org.glasshouse.protocol.inspect.InspectResult;
import org.glasshouse.testsupport.BuiltByName;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The big records are built by name: {@code RunSpec}, {@code InitPlan}, {@code StepEntry} and
 * {@code InspectResult} have many components of one type in a row, and a positional call with two
 * of them swapped compiles and runs. Their canonical constructors stay public (a record's must, and
 * Jackson binds to them), so this test is what keeps every other class, tests included, on their
 * builders.
 */
class NamedConstructionTest {

  /** The records whose canonical constructor only the record itself (its builder) may call. */
  static final List<Class<?>> BUILT_BY_NAME =
      List.of(RunSpec.class, InitPlan.class, StepEntry.class, InspectResult.class);

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    // Tests included: they hold most of the construction sites.
    classes = new ClassFileImporter().importPackages("org.glasshouse");
  }

  @Test
  void theBigRecordsAreBuiltByName() {
    for (Class<?> type : BUILT_BY_NAME) {
      assertTrue(classes.contain(type), type + " is not imported: the rule would pass on nothing");
    }
    BuiltByName.check(classes, BUILT_BY_NAME.toArray(Class<?>[]::new));
  }
}

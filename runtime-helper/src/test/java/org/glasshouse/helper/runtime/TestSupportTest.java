package org.glasshouse.helper.runtime;

import org.glasshouse.testsupport.SkipRule;
import org.junit.jupiter.api.Test;

/**
 * The rule "under CI=true a missing prerequisite fails the run; skipping is for developers" has one
 * owner ({@code Prerequisites}, tested in glasshouse-test-support): no test of this module skips on
 * its own.
 */
class TestSupportTest {

  @Test
  void onlyPrerequisitesDecidesWhetherATestMaySkip() {
    SkipRule.check("org.glasshouse");
  }
}

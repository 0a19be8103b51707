package org.glasshouse.protocol;

import org.glasshouse.testsupport.SkipRule;
import org.junit.jupiter.api.Test;

/**
 * No test of the protocol and client skips on its own: {@code Prerequisites} (glasshouse-test-
 * support) decides, so a missing prerequisite fails under {@code CI=true} instead of skipping.
 */
class SkipRuleTest {

  @Test
  void onlyPrerequisitesDecidesWhetherATestMaySkip() {
    SkipRule.check("org.glasshouse");
  }
}

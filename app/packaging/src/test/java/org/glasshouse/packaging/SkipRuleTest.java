package org.glasshouse.packaging;

import org.glasshouse.testsupport.SkipRule;
import org.junit.jupiter.api.Test;

/**
 * No packaging test skips on its own: {@code Prerequisites} (glasshouse-test-support) decides, so
 * CI's step that builds, installs and purges the package cannot pass by being skipped.
 */
class SkipRuleTest {

  @Test
  void onlyPrerequisitesDecidesWhetherATestMaySkip() {
    SkipRule.check("org.glasshouse.packaging");
  }
}

package org.glasshouse.helper.runtime;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the root test classes that share one {@link RootHarness}: it is opened before the class's
 * first test (or the class is skipped, with the reason) and closed after its last. The test classes
 * run one after another, so the one static field is only ever that of the running class.
 */
abstract class SharedRootHarness {
  static RootHarness h;

  @BeforeAll
  static void openHarness() throws Exception {
    h = new RootHarness();
  }

  @AfterAll
  static void closeHarness() throws Exception {
    try {
      if (h != null) {
        h.close();
      }
    } finally {
      h = null;
    }
  }
}

package org.glasshouse.app;

import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The one place in the app's tests that decides whether a test may skip here. A missing
 * prerequisite (root, the busybox image) skips the test with the reason on a developer's machine
 * and fails it with the reason under {@code CI=true}: {@code .ci/run} installs every prerequisite,
 * and a skip there would hide a broken CI machine. (runtime-helper's {@code TestSupport} applies
 * the same rule to its tests.)
 */
public final class TestPrerequisites {
  private TestPrerequisites() {}

  /** Whether a missing prerequisite may skip a test in {@code env}: everywhere but CI. */
  static boolean maySkip(Map<String, String> env) {
    return !"true".equals(env.get("CI"));
  }

  /**
   * A prerequisite of the calling test: skipped with {@code reason} when it does not hold on a
   * developer's machine, failed with it under {@code CI=true}.
   */
  public static void require(boolean holds, String reason) {
    require(holds, reason, System.getenv());
  }

  static void require(boolean holds, String reason, Map<String, String> env) {
    if (holds) {
      return;
    }
    if (maySkip(env)) {
      System.out.println("skipped: " + reason);
      Assumptions.abort("skipped: " + reason);
    }
    Assertions.fail(
        "a prerequisite is missing and CI=true, where nothing may be skipped: " + reason);
  }
}

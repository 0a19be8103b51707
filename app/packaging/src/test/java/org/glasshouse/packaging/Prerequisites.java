package org.glasshouse.packaging;

import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The one place in the packaging tests that decides whether a test may skip here. A missing
 * prerequisite (root, apt-get, dpkg-deb, jlink, systemd's target units, a machine with no
 * glasshouse package of someone else's) skips the test with the reason on a developer's machine and
 * fails it with the reason under {@code CI=true}: {@code .ci/run} installs every prerequisite on a
 * clean machine, and a skip there would hide that the package was never built, installed or purged.
 * (The app's {@code TestPrerequisites} and runtime-helper's {@code TestSupport} apply the same rule
 * to their tests.)
 */
final class Prerequisites {
  private Prerequisites() {}

  /** Whether a missing prerequisite may skip a test in {@code env}: everywhere but CI. */
  static boolean maySkip(Map<String, String> env) {
    return !"true".equals(env.get("CI"));
  }

  /**
   * A prerequisite of the calling test: skipped with {@code reason} when it does not hold on a
   * developer's machine, failed with it under {@code CI=true}.
   */
  static void require(boolean holds, String reason) {
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

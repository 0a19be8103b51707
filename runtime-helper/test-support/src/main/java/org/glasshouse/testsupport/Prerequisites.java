package org.glasshouse.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The one place in the project's tests that decides whether a test may skip here.
 *
 * <p>Two kinds of skip, never mixed up: a missing <em>prerequisite</em> (not root, no busybox
 * image, no apt-get, …) is {@link #require}: skipped with the reason on a developer's machine, a
 * failure with the reason under {@code CI=true}, where {@code .ci/run} installs every prerequisite
 * and a skip would hide a broken CI machine. A test that does not <em>apply</em> to this host's
 * shape (hybrid-only checks on a v2 host) is {@link #onlyOn}: skipped everywhere.
 */
public final class Prerequisites {
  private Prerequisites() {}

  /**
   * Whether the tests run as root: the tests' one answer (the owner of {@code /proc/self} is the
   * process's effective uid), so that "needs root" means the same in every module. The product
   * answers for itself (the protocol's {@code Privilege.runningAsRoot}, which the helper, the CLI
   * and the app ask): a test never stands in for it.
   */
  public static boolean runningAsRoot() {
    try {
      return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /** The environment variable CI systems set; {@code .ci/run} runs with {@code CI=true}. */
  public static final String CI = "CI";

  /** Whether a missing prerequisite may skip a test in {@code env}: everywhere but CI. */
  public static boolean maySkip(Map<String, String> env) {
    return !"true".equals(env.get(CI));
  }

  /**
   * A prerequisite of the calling test: when it does not hold, the test is skipped with {@code
   * reason} on a developer's machine and fails with it under {@code CI=true}.
   *
   * @param reason what is missing and how to get it: {@code "needs root"}
   */
  public static void require(boolean holds, String reason) {
    require(holds, reason, System.getenv());
  }

  /** {@link #require(boolean, String)} in the environment {@code env} (tests of this rule). */
  public static void require(boolean holds, String reason, Map<String, String> env) {
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

  /**
   * Skips the calling test, everywhere, when it does not apply to this host's shape (not a missing
   * prerequisite: the host is simply another kind).
   *
   * @param why what the test needs of the host: {@code "this host is not hybrid"}
   */
  public static void onlyOn(boolean applies, String why) {
    if (!applies) {
      System.out.println("not applicable here: " + why);
    }
    Assumptions.assumeTrue(applies, "not applicable here: " + why);
  }
}

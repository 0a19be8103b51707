package org.glasshouse.helper.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Facts about the machine the tests run on, and the one place in this module that decides whether a
 * test may skip here.
 *
 * <p>Two kinds of skip, never mixed up: a missing <em>prerequisite</em> (not root, no busybox
 * image, no static busybox, …) is {@link #require}: skipped with the reason on a developer's
 * machine, a failure with the reason under {@code CI=true}, where {@code .ci/run} installs every
 * prerequisite and a skip would hide a broken CI machine. A test that does not <em>apply</em> to
 * this host's shape (hybrid-only checks on a v2 host) is {@link #onlyOn}: skipped everywhere.
 *
 * <p>Tags: {@code root} (real kernel, needs root), {@code image} (builds the busybox image), {@code
 * cgroup} (root tests that exercise cgroups: they also run in the cgroup v2 guest, {@code
 * ./glasshouse test-v2}; tag a new cgroup test so and it joins the guest run), {@code v2-guest}
 * (runs only in that guest; excluded from the default run by the parent POM).
 */
public final class TestSupport {
  private TestSupport() {}

  /** The environment variable CI systems set; {@code .ci/run} runs with {@code CI=true}. */
  static final String CI = "CI";

  /** Whether a missing prerequisite may skip a test in {@code env}: everywhere but CI. */
  static boolean maySkip(Map<String, String> env) {
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

  /** Whether the tests run as root. */
  public static boolean isRoot() {
    try {
      return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    } catch (IOException e) {
      return false;
    }
  }

  /** The current uid (owner of /proc/self). */
  public static int uid() throws IOException {
    return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
  }

  /** The current gid. */
  public static int gid() throws IOException {
    return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:gid");
  }

  /** {@code ${GLASSHOUSE_IMAGES:-<repo>/build/images}}: the contract for where images are. */
  public static Path imagesDir() {
    String env = System.getenv("GLASSHOUSE_IMAGES");
    if (env != null && !env.isEmpty()) {
      return Path.of(env);
    }
    Path repo = repo();
    return (repo == null ? Path.of("build") : repo.resolve("build")).resolve("images");
  }

  /**
   * The repository root: tests run in the module dir, the root is the first parent holding the mvnw
   * script (null when there is none).
   */
  public static Path repo() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("mvnw"), LinkOption.NOFOLLOW_LINKS)) {
      dir = dir.getParent();
    }
    return dir;
  }

  /** {@link #require}s root: the reason names the tests. */
  public static void requireRoot(String tests) {
    require(isRoot(), tests + " need root");
  }

  /** {@link #require}s the busybox image: the reason says how to build it. */
  public static void requireBusybox() {
    Path tar = imagesDir().resolve("busybox.tar");
    require(
        Files.isRegularFile(tar),
        "no busybox image at " + tar + " (./glasshouse images build busybox)");
  }

  /**
   * {@link #require}s root and the busybox image.
   *
   * @param tests what the tests are, for the reason: {@code "the level tests"}
   */
  public static void requireRootAndBusybox(String tests) {
    requireRoot(tests);
    requireBusybox();
  }

  /**
   * A cgroup parent of the test's own ({@code glasshouse-test-<random>}): parallel runs never meet.
   */
  public static String uniqueCgroupParent() {
    return "glasshouse-test-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  }
}

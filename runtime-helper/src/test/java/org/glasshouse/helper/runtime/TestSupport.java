package org.glasshouse.helper.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.glasshouse.testsupport.Prerequisites;

/**
 * Facts about the machine the tests run on, and the prerequisites this module's tests name. Whether
 * a test may skip is decided by the project's one rule, {@link Prerequisites} (glasshouse-test-
 * support): a missing prerequisite ({@link #require}) skips on a developer's machine and fails
 * under {@code CI=true}; a test that does not apply to this host ({@link #onlyOn}) skips
 * everywhere.
 *
 * <p>Tags: {@code root} (real kernel, needs root), {@code image} (builds the busybox image), {@code
 * cgroup} (root tests that exercise cgroups: they also run in the cgroup v2 guest, {@code
 * ./glasshouse test-v2}; tag a new cgroup test so and it joins the guest run), {@code v2-guest}
 * (runs only in that guest; excluded from the default run by the parent POM).
 */
public final class TestSupport {
  private TestSupport() {}

  /**
   * A prerequisite of the calling test: skipped with {@code reason} on a developer's machine,
   * failed with it under {@code CI=true} ({@link Prerequisites#require}, the project's one rule).
   *
   * @param reason what is missing and how to get it: {@code "needs root"}
   */
  public static void require(boolean holds, String reason) {
    Prerequisites.require(holds, reason);
  }

  /**
   * Skips the calling test, everywhere, when it does not apply to this host's shape ({@link
   * Prerequisites#onlyOn}).
   *
   * @param why what the test needs of the host: {@code "this host is not hybrid"}
   */
  public static void onlyOn(boolean applies, String why) {
    Prerequisites.onlyOn(applies, why);
  }

  /** Whether the tests run as root ({@link Prerequisites#runningAsRoot}). */
  public static boolean isRoot() {
    return Prerequisites.runningAsRoot();
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

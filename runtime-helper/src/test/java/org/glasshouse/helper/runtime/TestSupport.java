package org.glasshouse.helper.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assumptions;

/** Facts about the machine the tests run on. */
public final class TestSupport {
  private TestSupport() {}

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
    Path dir = Path.of("").toAbsolutePath();
    // Tests run in the module dir; the repo root is the first parent holding the mvnw script.
    while (dir != null && !Files.exists(dir.resolve("mvnw"), LinkOption.NOFOLLOW_LINKS)) {
      dir = dir.getParent();
    }
    return (dir == null ? Path.of("build") : dir.resolve("build")).resolve("images");
  }

  /**
   * Skips the calling tests, with the reason, unless they run as root and the busybox image is
   * built.
   *
   * @param tests what the tests are, for the reason: {@code "the level tests"}
   */
  public static void assumeRootAndBusybox(String tests) {
    Assumptions.assumeTrue(isRoot(), "skipped: " + tests + " need root");
    Path tar = imagesDir().resolve("busybox.tar");
    Assumptions.assumeTrue(
        Files.isRegularFile(tar),
        "skipped: no busybox image at " + tar + " (glasshouse images build busybox)");
  }

  /**
   * A cgroup parent of the test's own ({@code glasshouse-test-<random>}): parallel runs never meet.
   */
  public static String uniqueCgroupParent() {
    return "glasshouse-test-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  }
}

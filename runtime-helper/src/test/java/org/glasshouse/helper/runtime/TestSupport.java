package org.glasshouse.helper.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

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
}

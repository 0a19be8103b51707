package org.glasshouse.helper.runtime;

import java.nio.file.Files;
import java.nio.file.Path;

/** Shared helpers of the root integration tests. */
final class TestSupport {
  private TestSupport() {}

  static boolean isRoot() {
    try {
      return "0".equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid").toString());
    } catch (Exception e) {
      return false;
    }
  }

  /** {@code ${GLASSHOUSE_IMAGES:-<repo>/build/images}}. */
  static Path imagesDir() {
    String env = System.getenv("GLASSHOUSE_IMAGES");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    Path here = Path.of("").toAbsolutePath();
    Path repo = here.getFileName().toString().equals("runtime-helper") ? here.getParent() : here;
    return repo.resolve("build/images");
  }
}

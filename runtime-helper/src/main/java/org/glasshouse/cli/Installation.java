package org.glasshouse.cli;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the checkout the CLI runs from lives, and the paths derived from it. The launcher passes
 * {@code -Dglasshouse.home=<repo>}; without it the repository is found from the location of this
 * class ({@code <repo>/runtime-helper/target/{runtime-helper.jar,classes}}).
 */
public final class Installation {

  private Installation() {}

  /** The repository root. */
  public static Path home() {
    String property = System.getProperty("glasshouse.home");
    if (property != null && !property.isBlank()) {
      return Path.of(property).toAbsolutePath();
    }
    try {
      Path code =
          Path.of(Installation.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      // .../runtime-helper/target/runtime-helper.jar or .../runtime-helper/target/classes
      Path up = code.getParent().getParent().getParent();
      return up == null ? Path.of("").toAbsolutePath() : up;
    } catch (URISyntaxException | RuntimeException e) {
      return Path.of("").toAbsolutePath();
    }
  }

  /**
   * The directory of built image tarballs: {@code $GLASSHOUSE_IMAGES}, else {@code
   * <home>/build/images} (the contract of {@code images/README.md}).
   */
  public static Path imagesDir(Map<String, String> env, Path home) {
    String dir = env.get("GLASSHOUSE_IMAGES");
    return dir != null && !dir.isBlank() ? Path.of(dir) : home.resolve("build/images");
  }
}

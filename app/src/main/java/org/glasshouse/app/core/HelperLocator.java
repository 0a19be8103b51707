package org.glasshouse.app.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Where the helper's socket is: {@code GLASSHOUSE_SOCKET} or the default path. */
public final class HelperLocator {
  /** The default socket path, the same for the helper, the CLI and the app. */
  public static final String DEFAULT_SOCKET = "/run/glasshouse/helper.sock";

  private HelperLocator() {}

  /** The socket path for this environment. */
  public static Path socket(Map<String, String> env) {
    String s = env.get("GLASSHOUSE_SOCKET");
    return Path.of(s == null || s.isBlank() ? DEFAULT_SOCKET : s);
  }

  /**
   * The repository the app runs from (the directory holding the {@code glasshouse} launcher), found
   * from the app jar's location; null when the app does not run from a checkout.
   */
  public static Path repository() {
    try {
      Path p =
          Path.of(HelperLocator.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      for (Path d = p; d != null; d = d.getParent()) {
        if (Files.isRegularFile(d.resolve("glasshouse")) && Files.isDirectory(d.resolve("app"))) {
          return d;
        }
      }
    } catch (Exception e) {
      return null;
    }
    return null;
  }
}

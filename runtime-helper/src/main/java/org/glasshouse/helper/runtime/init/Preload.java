package org.glasshouse.helper.runtime.init;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.glasshouse.protocol.StepEntry;

/**
 * Loads the init stage's own classes before the root changes. After pivot_root (or chroot) the
 * host's paths are gone: a class still to be loaded from a class-path DIRECTORY (the test and
 * development set-up) would fail with NoClassDefFoundError halfway through the steps. Jars need
 * nothing: the JVM keeps each open jar's fd, which survives the root change (and is closed at
 * execve, being close-on-exec).
 */
final class Preload {
  private Preload() {}

  private static final List<String> PACKAGES =
      List.of(
          "org/glasshouse/helper/linux",
          "org/glasshouse/helper/plan",
          "org/glasshouse/helper/runtime/init",
          "org/glasshouse/helper/runtime",
          "org/glasshouse/helper/runtime/seccomp",
          "org/glasshouse/protocol");

  static void ownClasses() throws IOException {
    // The protocol is a module of its own: its classes may sit in another class-path directory.
    for (Class<?> anchor : List.of(InitMain.class, StepEntry.class)) {
      Path base;
      try {
        base = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
      } catch (URISyntaxException | RuntimeException e) {
        continue;
      }
      if (Files.isDirectory(base)) {
        load(base, anchor.getClassLoader());
      }
    }
  }

  /**
   * Loads (without initializing) every class of the init stage's packages, from a class-path
   * directory or a jar alike: the training run of the class-data-sharing archive, which archives
   * the classes loaded.
   */
  static void allClasses() throws IOException {
    for (Class<?> anchor : List.of(InitMain.class, StepEntry.class)) {
      Path base;
      try {
        base = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
      } catch (URISyntaxException | RuntimeException e) {
        continue;
      }
      if (Files.isDirectory(base)) {
        load(base, anchor.getClassLoader());
      } else if (Files.isRegularFile(base)) {
        try (java.nio.file.FileSystem jar = java.nio.file.FileSystems.newFileSystem(base)) {
          load(jar.getPath("/"), anchor.getClassLoader());
        }
      }
    }
  }

  private static void load(Path base, ClassLoader loader) throws IOException {
    for (String pkg : PACKAGES) {
      Path dir = base.resolve(pkg);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          String name = f.getFileName().toString();
          if (name.endsWith(".class")) {
            String cls = pkg.replace('/', '.') + "." + name.substring(0, name.length() - 6);
            try {
              Class.forName(cls, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
              // A class that cannot load now would not load later either; the step that needs it
              // reports the failure.
            }
          }
        }
      }
    }
  }
}

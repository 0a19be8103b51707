package org.glasshouse.helper.runtime;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Optional;

/**
 * The native init stage's executable, {@code glasshouse-init} (issue 16): a static C program
 * (runtime-helper/src/main/c) that runs the op list the helper records from the init stage's steps.
 * The build puts it next to the helper's classes: {@code runtime-helper/target/} beside {@code
 * runtime-helper.jar} and {@code classes/} in a checkout, {@code /usr/lib/glasshouse/helper/}
 * beside the jar in the package. It is looked for there and nowhere else (never on a PATH): the
 * helper runs it as root in every container.
 */
final class NativeInit {

  /** The executable's file name. */
  static final String NAME = "glasshouse-init";

  private NativeInit() {}

  /** The executable next to this class's jar or class directory, when it is there. */
  static Optional<Path> find() {
    return classes().flatMap(NativeInit::besideClasses);
  }

  /** Where the executable should be (next to this class's jar or class directory). */
  static Optional<Path> expectedPlace() {
    return classes()
        .map(c -> c.toAbsolutePath().normalize().getParent())
        .map(dir -> dir.resolve(NAME));
  }

  private static Optional<Path> classes() {
    CodeSource source = NativeInit.class.getProtectionDomain().getCodeSource();
    if (source == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Path.of(source.getLocation().toURI()));
    } catch (URISyntaxException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * {@code glasshouse-init} in the directory that holds {@code classes} (a jar, or a class
   * directory), when it is an executable file there.
   */
  static Optional<Path> besideClasses(Path classes) {
    Path dir = classes.toAbsolutePath().normalize().getParent();
    if (dir == null) {
      return Optional.empty();
    }
    Path exe = dir.resolve(NAME);
    return Files.isRegularFile(exe) && Files.isExecutable(exe)
        ? Optional.of(exe)
        : Optional.empty();
  }
}

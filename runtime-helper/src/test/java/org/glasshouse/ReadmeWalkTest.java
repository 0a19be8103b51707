package org.glasshouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * runtime-helper/README.md walks a newcomer through a {@code run}, file by file: every file it
 * names ({@code helper/runtime/Undo.java}, or {@code Undo.java} beside the one named before) is
 * exactly one source file of this module or the protocol module, so a rename or a move cannot leave
 * the walk pointing at nothing.
 */
class ReadmeWalkTest {
  private static final Pattern JAVA_FILE = Pattern.compile("`([\\w/]+\\.java)`");
  private static final List<Path> ROOTS =
      List.of(
          Path.of("src/main/java/org/glasshouse"),
          Path.of("protocol/src/main/java/org/glasshouse"));

  @Test
  void everyFileTheWalkNamesExists() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    List<String> named = new ArrayList<>();
    Matcher m = JAVA_FILE.matcher(readme);
    while (m.find()) {
      named.add(m.group(1));
    }
    assertTrue(named.size() > 20, "the walk names the files it goes through: " + named);
    List<String> missing = new ArrayList<>();
    for (String name : named) {
      if (found(name) != 1) {
        missing.add(name);
      }
    }
    assertEquals(List.of(), missing, "named in runtime-helper/README.md, not found exactly once");
  }

  /** How many source files end with {@code name} ({@code Undo.java}, {@code rootfs/Dirs.java}). */
  private static long found(String name) throws IOException {
    Path tail = Path.of(name);
    long n = 0;
    for (Path root : ROOTS) {
      try (Stream<Path> files = Files.walk(root)) {
        n += files.filter(p -> p.endsWith(tail)).count();
      }
    }
    return n;
  }
}

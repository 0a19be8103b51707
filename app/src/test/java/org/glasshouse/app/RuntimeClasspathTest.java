package org.glasshouse.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The app's resolved runtime class path — what {@code app/target/lib} and the launcher give the GUI
 * — holds the protocol module and none of the root helper: no runtime-helper, JNA or
 * commons-compress. Maven writes it to {@code target/runtime-classpath.txt} before the tests run
 * (dependency:build-classpath, runtime scope); test-scope dependencies are not in it.
 */
class RuntimeClasspathTest {

  private static List<String> entries() throws Exception {
    Path file = Path.of("target/runtime-classpath.txt");
    assertTrue(Files.isRegularFile(file), file + " is written by the app's POM before the tests");
    return Arrays.stream(Files.readString(file).trim().split(File.pathSeparator))
        .filter(e -> !e.isBlank())
        .toList();
  }

  private static boolean isArtifact(String entry, String artifactId) {
    String name = Path.of(entry).getFileName().toString();
    // A jar from the repository or target/lib (artifactId-version.jar), or a reactor module's
    // own output (…/<module>/target/classes or its finalName jar).
    return name.startsWith(artifactId + "-")
        || entry.contains("/" + artifactId + "/target/")
        || name.equals(artifactId + ".jar");
  }

  @Test
  void theHelperIsNotOnTheAppsRuntimeClassPath() throws Exception {
    List<String> cp = entries();
    List<String> forbidden =
        cp.stream()
            .filter(
                e ->
                    isArtifact(e, "runtime-helper")
                        || isArtifact(e, "jna")
                        || isArtifact(e, "jna-platform")
                        || isArtifact(e, "commons-compress"))
            .toList();
    assertEquals(List.of(), forbidden, "the GUI must not carry the root helper");
  }

  @Test
  void theProtocolIsOnIt() throws Exception {
    // Guards the test above: a class path that could not be read would have nothing forbidden.
    List<String> cp = entries();
    assertTrue(
        cp.stream()
            .anyMatch(e -> isArtifact(e, "glasshouse-protocol") || e.contains("/protocol/target/")),
        cp.toString());
    assertTrue(cp.stream().anyMatch(e -> isArtifact(e, "jackson-databind")), cp.toString());
    assertTrue(cp.stream().anyMatch(e -> isArtifact(e, "javafx-controls")), cp.toString());
  }
}

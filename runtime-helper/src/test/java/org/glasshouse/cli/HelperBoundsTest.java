package org.glasshouse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.glasshouse.helper.server.Bounds;
import org.junit.jupiter.api.Test;

/**
 * The helper's heap limit covers its documented bounds, and the launcher passes the very file the
 * limit is in.
 */
class HelperBoundsTest {

  @Test
  void theHeapLimitCoversEveryBound() throws Exception {
    long max = HelperJvm.maxHeap(HelperJvm.options());
    assertTrue(max > 0, "helper.args sets no -Xmx");
    assertTrue(
        max >= Bounds.heapBytes(),
        "-Xmx " + (max >> 20) + " MiB < the bounds' " + (Bounds.heapBytes() >> 20) + " MiB");
    // Not wildly more either: the limit is a statement, not a guess.
    assertTrue(max <= 2 * Bounds.heapBytes(), "-Xmx " + (max >> 20) + " MiB");
  }

  @Test
  void theLauncherStartsTheHelperWithThatFile() throws Exception {
    String launcher = Files.readString(Path.of("../glasshouse"));
    assertTrue(
        launcher.contains("jvm=(@\"$repo/runtime-helper/src/main/jvm/helper.args\")"),
        "the launcher's helper case");
    assertEquals(
        Files.readString(Path.of("src/main/jvm/helper.args")),
        new String(
            HelperJvm.class.getResourceAsStream(HelperJvm.OPTIONS).readAllBytes(),
            java.nio.charset.StandardCharsets.UTF_8),
        "the class path's copy is the launcher's file");
  }

  @Test
  void argumentFilesAreReadAsJavaReadsThem() {
    assertEquals(
        List.of("-Xmx64m", "-Xms8m"), HelperJvm.parse("# a comment\n-Xmx64m  # why\n\n -Xms8m\n"));
    assertEquals(3L << 30, HelperJvm.maxHeap(List.of("-Xmx3g")));
    assertEquals(65536L << 10, HelperJvm.maxHeap(List.of("-Xmx65536k")));
  }
}

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
    assertTrue(max > 0, "helper-jvm.options sets no -Xmx");
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
        launcher.contains(
            "java @\"$repo/runtime-helper/src/main/resources/org/glasshouse/cli/helper-jvm.options\""),
        "the launcher's helper case");
    assertTrue(
        Files.isRegularFile(
            Path.of("src/main/resources/org/glasshouse/cli").resolve(HelperJvm.OPTIONS)));
  }

  @Test
  void argumentFilesAreReadAsJavaReadsThem() {
    assertEquals(
        List.of("-Xmx64m", "-Xms8m"), HelperJvm.parse("# a comment\n-Xmx64m  # why\n\n -Xms8m\n"));
    assertEquals(3L << 30, HelperJvm.maxHeap(List.of("-Xmx3g")));
    assertEquals(65536L << 10, HelperJvm.maxHeap(List.of("-Xmx65536k")));
  }
}

package org.glasshouse.helper.runtime;

import static org.glasshouse.helper.runtime.RootHarness.level;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.glasshouse.Await;
import org.glasshouse.helper.runtime.RootHarness.Result;
import org.glasshouse.helper.runtime.images.ImageStore;
import org.glasshouse.protocol.StepEntry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The spare rootfs copies made ahead (issue 16) on the real kernel: a start of levels 01-03 gets a
 * private root renamed into place, which it may write without touching the image.
 */
@Tag("root")
class ImageSparesRootTest {

  private static long spares(Path image) {
    try (var ls = Files.list(image)) {
      return ls.filter(p -> p.getFileName().toString().startsWith(".spare-")).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void awaitSpares(Path image, long n) throws Exception {
    Await.until(
        n + " spares in " + image,
        Duration.ofSeconds(120),
        Duration.ofMillis(50),
        () -> Files.isDirectory(image) && spares(image) >= n);
  }

  private static StepEntry rootfsStep(Result r) {
    return r.container().steps().stream()
        .filter(e -> e.step().equals("rootfs"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no rootfs step: " + r));
  }

  @Test
  void aStartRenamesASpareIntoPlaceAndWritesItsOwnCopy() throws Exception {
    try (RootHarness h = new RootHarness()) {
      Path image = h.state.resolve("images/busybox");
      h.runtime.prepareImages();
      awaitSpares(image, ImageStore.SPARES);
      Result r =
          h.runAndRemove(level(1, "echo written > /etc/passwd && cat /etc/passwd && ls /bin/sh"));
      assertEquals(0, r.status().code(), r.toString());
      assertEquals("written\n/bin/sh\n", r.out(), r.toString());
      StepEntry step = rootfsStep(r);
      assertEquals("rename", step.call(), r.toString());
      assertTrue(step.ok() && step.args().contains("made ahead"), step.toString());
      assertTrue(
          Files.readString(image.resolve("rootfs/etc/passwd")).startsWith("root:"),
          "the image's own file is untouched");
      // The taken spare is made again, in the background.
      awaitSpares(image, ImageStore.SPARES);
      Result again = h.runAndRemove(level(3, "cat /etc/passwd"));
      assertEquals(0, again.status().code(), again.toString());
      assertTrue(again.out().startsWith("root:"), "a fresh copy, not the last one: " + again);
      assertEquals("rename", rootfsStep(again).call());
    }
  }

  @Test
  void withoutSparesAStartCopies() throws Exception {
    try (RootHarness h = new RootHarness()) {
      Result r = h.runAndRemove(level(2, "cat /etc/passwd"));
      assertEquals(0, r.status().code(), r.toString());
      assertEquals("copy", rootfsStep(r).call(), r.toString());
    }
  }
}

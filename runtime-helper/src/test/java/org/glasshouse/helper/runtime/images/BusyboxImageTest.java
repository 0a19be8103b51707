package org.glasshouse.helper.runtime.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.glasshouse.helper.runtime.TestSupport;
import org.glasshouse.helper.runtime.rootfs.SafeDelete;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The real busybox image extracts cleanly (root: its members belong to uid 0 and 1000). */
@Tag("root")
class BusyboxImageTest {

  @Test
  void busyboxImageExtracts() throws IOException {
    TestSupport.requireRootAndBusybox("image extraction tests (they chown)");
    Path images = TestSupport.imagesDir();
    Path state = Files.createTempDirectory("glasshouse-test-");
    try {
      ImageStore store = new ImageStore(images, state);
      long t0 = System.nanoTime();
      Path root = store.rootfs("busybox");
      long ms = (System.nanoTime() - t0) / 1_000_000;
      System.out.println("busybox image extracted in " + ms + " ms");
      assertTrue(Files.isRegularFile(root.resolve("bin/busybox"), LinkOption.NOFOLLOW_LINKS));
      assertEquals(Path.of("../bin/busybox"), Files.readSymbolicLink(root.resolve("bin/sh")));
      assertEquals(1000, Files.getAttribute(root.resolve("home/student"), "unix:uid"));
      assertEquals(01777, (Integer) Files.getAttribute(root.resolve("tmp"), "unix:mode") & 07777);
      assertTrue(store.list().stream().anyMatch(i -> i.name().equals("busybox") && i.ready()));
    } finally {
      SafeDelete.deleteTree(state);
    }
  }
}

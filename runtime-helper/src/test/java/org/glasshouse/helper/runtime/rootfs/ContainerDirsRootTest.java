package org.glasshouse.helper.runtime.rootfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.glasshouse.helper.runtime.TestSupport;
import org.glasshouse.helper.runtime.images.ImageStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Real mounts on the real kernel: tmpfs and overlay under a container dir. */
@Tag("root")
class ContainerDirsRootTest {
  Path state;

  @BeforeEach
  void setUp() throws IOException {
    TestSupport.requireRoot("mounting tests");
    state = Files.createTempDirectory("glasshouse-test-");
  }

  @AfterEach
  void tearDown() throws Exception {
    if (state == null) {
      return;
    }
    for (String m : SafeDelete.mountsUnder(state.toRealPath(), SafeDelete.SELF_MOUNTINFO)) {
      run("umount", "-l", m);
    }
    SafeDelete.deleteTree(state);
  }

  static void run(String... argv) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), String.join(" ", argv) + ": " + out);
  }

  @Test
  void deleteRefusesALiveMountThenSucceedsOnceUnmounted() throws Exception {
    ContainerDirs d = ContainerDirs.create(state, "root1");
    Path mnt = Files.createDirectories(d.dir().resolve("rootfs/proc"));
    run("mount", "-t", "tmpfs", "glasshouse-test", mnt.toString());
    Files.writeString(mnt.resolve("inside-tmpfs"), "x");
    IOException e = assertThrows(IOException.class, d::delete);
    assertTrue(e.getMessage().contains(mnt.toRealPath().toString()), e.getMessage());
    assertTrue(Files.exists(mnt.resolve("inside-tmpfs")), "nothing deleted inside the mount");
    run("umount", mnt.toString());
    d.delete();
    assertFalse(Files.exists(d.dir()));
  }

  @Test
  void overlayOnBusyboxWithWhiteoutsIsDeleted() throws Exception {
    TestSupport.requireBusybox();
    Path lower = new ImageStore(TestSupport.imagesDir(), state).rootfs("busybox");

    // A figure, not an assertion: the first copies run interpreted, the helper runs warm.
    ContainerDirs copy = null;
    List<Double> ms = new java.util.ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      if (copy != null) {
        copy.delete();
      }
      copy = ContainerDirs.create(state, "copy" + i);
      long t0 = System.nanoTime();
      copy.copyRootfs(lower);
      ms.add((System.nanoTime() - t0) / 1e6);
    }
    System.out.printf(
        "busybox rootfs copy: first %.1f ms, last five %s ms%n",
        ms.get(0), ms.subList(3, 8).stream().map(m -> String.format("%.1f", m)).toList());
    assertEquals(
        Path.of("../bin/busybox"), Files.readSymbolicLink(copy.rootfs().resolve("bin/sh")));
    assertEquals(1000, Files.getAttribute(copy.rootfs().resolve("home/student"), "unix:uid"));
    copy.delete();

    ContainerDirs d = ContainerDirs.create(state, "ovl1").overlay();
    run("mount", "-t", "overlay", "overlay", "-o", d.overlayOptions(lower), d.merged().toString());
    try {
      Files.delete(d.merged().resolve("bin/ls")); // a whiteout: char 0:0 in upper
      Files.writeString(d.merged().resolve("tmp/new"), "upper");
      assertTrue(Files.exists(d.upper().resolve("bin/ls"), LinkOption.NOFOLLOW_LINKS));
      assertEquals(
          List.of(true, 0L),
          List.of(
              !Files.isRegularFile(d.upper().resolve("bin/ls"), LinkOption.NOFOLLOW_LINKS),
              ((Number) Files.getAttribute(d.upper().resolve("bin/ls"), "unix:rdev")).longValue()));
      assertThrows(IOException.class, d::delete);
    } finally {
      run("umount", d.merged().toString());
    }
    d.delete();
    assertFalse(Files.exists(d.dir()));
    assertTrue(Files.exists(lower.resolve("bin/ls"), LinkOption.NOFOLLOW_LINKS), "lower intact");
  }
}

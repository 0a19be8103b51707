package org.glasshouse.helper.runtime.rootfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerDirsTest {
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
  private static final FileTime T = FileTime.fromMillis(1_500_000_000_000L);

  @TempDir Path tmp;

  private static int mode(Path p) throws IOException {
    return (Integer) Files.getAttribute(p, "unix:mode", NOFOLLOW) & 07777;
  }

  @Test
  void createsAPrivateDirOncePerId() throws IOException {
    ContainerDirs d = ContainerDirs.create(tmp, "3f9a0b1c2d3e");
    assertEquals(tmp.resolve("containers/3f9a0b1c2d3e"), d.dir());
    assertEquals(0700, mode(d.dir()));
    assertEquals(0700, mode(tmp.resolve("containers")));
    IOException dup =
        assertThrows(IOException.class, () -> ContainerDirs.create(tmp, "3f9a0b1c2d3e"));
    assertTrue(dup.getMessage().contains("already exists"), dup.getMessage());
    for (String bad : new String[] {"..", "a/b", "", "-x", ".hidden"}) {
      assertThrows(IOException.class, () -> ContainerDirs.create(tmp, bad), bad);
    }
  }

  @Test
  void copyKeepsLinksModesAndTimes() throws IOException {
    Path img = Files.createDirectories(tmp.resolve("img"));
    Files.createDirectories(img.resolve("bin"));
    Files.writeString(img.resolve("bin/busybox"), "bb");
    Files.setAttribute(img.resolve("bin/busybox"), "unix:mode", 04755);
    Files.setLastModifiedTime(img.resolve("bin/busybox"), T);
    Files.createSymbolicLink(img.resolve("bin/sh"), Path.of("/bin/busybox"));
    Files.createSymbolicLink(img.resolve("dangling"), Path.of("/nowhere/at/all"));
    Files.createSymbolicLink(img.resolve("etc"), tmp); // must be copied as a link, not entered
    Files.createDirectories(img.resolve("ro"));
    Files.writeString(img.resolve("ro/f"), "x");
    Files.setAttribute(img.resolve("ro"), "unix:mode", 0555);
    Files.setLastModifiedTime(img.resolve("ro"), T);

    ContainerDirs d = ContainerDirs.create(tmp, "c1");
    Path root = d.copyRootfs(img);
    assertEquals(d.rootfs(), root);
    assertEquals("bb", Files.readString(root.resolve("bin/busybox")));
    assertEquals(04755, mode(root.resolve("bin/busybox")));
    assertEquals(T, Files.getLastModifiedTime(root.resolve("bin/busybox")));
    assertEquals(Path.of("/bin/busybox"), Files.readSymbolicLink(root.resolve("bin/sh")));
    assertEquals(Path.of("/nowhere/at/all"), Files.readSymbolicLink(root.resolve("dangling")));
    assertEquals(tmp, Files.readSymbolicLink(root.resolve("etc")));
    assertEquals(0555, mode(root.resolve("ro")));
    assertEquals(T, Files.getLastModifiedTime(root.resolve("ro")));
    assertFalse(
        Files.isSameFile(root.resolve("bin/busybox"), img.resolve("bin/busybox")), "a copy");
  }

  @Test
  void overlayDirsAndOptions() throws IOException {
    ContainerDirs d = ContainerDirs.create(tmp, "c2").overlay();
    assertTrue(Files.isDirectory(d.upper()));
    assertTrue(Files.isDirectory(d.work()));
    assertTrue(Files.isDirectory(d.merged()));
    Path lower = tmp.resolve("images/busybox/rootfs");
    assertEquals(
        "lowerdir=" + lower + ",upperdir=" + d.upper() + ",workdir=" + d.work(),
        d.overlayOptions(lower));
    IOException e = assertThrows(IOException.class, () -> d.overlayOptions(tmp.resolve("a,b:c")));
    assertTrue(e.getMessage().contains("a,b:c"), e.getMessage());
    ContainerDirs colon = ContainerDirs.create(Files.createDirectory(tmp.resolve("x:y")), "c3");
    assertThrows(IOException.class, () -> colon.overlayOptions(lower));
  }

  @Test
  void deleteNeverFollowsLinksAndHandlesReadOnlyDirs() throws IOException {
    Path outside = Files.createDirectories(tmp.resolve("outside/keep"));
    Files.writeString(outside.resolve("precious"), "keep me");
    ContainerDirs d = ContainerDirs.create(tmp, "c4").overlay();
    Files.createSymbolicLink(d.upper().resolve("link"), outside);
    Files.createSymbolicLink(d.upper().resolve("abs"), outside.resolve("precious"));
    Path ro = Files.createDirectories(d.upper().resolve("a/ro"));
    Files.writeString(ro.resolve("f"), "x");
    Files.setAttribute(ro, "unix:mode", 0555);
    Files.setAttribute(d.upper().resolve("a"), "unix:mode", 0);
    d.delete();
    assertFalse(Files.exists(d.dir(), NOFOLLOW));
    assertEquals("keep me", Files.readString(outside.resolve("precious")));
    d.delete(); // idempotent
  }

  @Test
  void deleteRefusesWhileSomethingIsMountedUnderIt() throws IOException {
    ContainerDirs d = ContainerDirs.create(tmp, "c5").overlay();
    Path fake = tmp.resolve("mountinfo");
    String merged = d.merged().toRealPath().toString();
    Files.writeString(
        fake,
        "22 1 0:21 / / rw - ext4 /dev/vda rw\n"
            + "99 22 0:55 / "
            + merged.replace(" ", "\\040")
            + " rw,relatime - overlay overlay rw,lowerdir=/l\n"
            + "100 99 0:56 / "
            + merged
            + "/proc rw - proc proc rw\n");
    ContainerDirs withMounts = d.withMountInfo(fake);
    IOException e = assertThrows(IOException.class, withMounts::delete);
    assertTrue(e.getMessage().contains(merged + "/proc, " + merged), e.getMessage());
    assertTrue(e.getMessage().contains("must be unmounted first"), e.getMessage());
    assertTrue(Files.isDirectory(d.upper()), "nothing deleted");
  }
}

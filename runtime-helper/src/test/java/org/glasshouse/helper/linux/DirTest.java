package org.glasshouse.helper.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Dir} and {@link JnaFsCalls} on the real kernel: what they refuse, and how it reads. */
class DirTest {

  @TempDir Path tmp;

  @Test
  void aLinkAnywhereInAPathIsRefusedAndTheErrorReadsLikeStrace() throws Exception {
    Files.createDirectories(tmp.resolve("root/real/inner"));
    Files.createSymbolicLink(tmp.resolve("root/link"), tmp.resolve("root/real"));
    Files.createSymbolicLink(tmp.resolve("root/dot"), Path.of("."));
    try (Dir root = Dir.open(FsCalls.real(), tmp.resolve("root"))) {
      try (Dir inner = root.dir("real/inner")) {
        assertTrue(inner.stat().isDirectory());
      }
      SyscallException e = assertThrows(SyscallException.class, () -> root.dir("link/inner"));
      assertEquals("ELOOP", e.errnoName());
      assertEquals(
          "openat2("
              + root.fd()
              + "<"
              + tmp.resolve("root")
              + ">, \"link/inner\", {flags=O_RDONLY|O_DIRECTORY|O_NOFOLLOW|O_CLOEXEC, mode=0,"
              + " resolve=RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS|RESOLVE_NO_MAGICLINKS|RESOLVE_NO_XDEV},"
              + " 24) = -1 ELOOP (Too many levels of symbolic links)",
          e.getMessage());
      // A link as the last component: with O_NOFOLLOW|O_DIRECTORY the kernel says ENOTDIR.
      assertTrue(
          List.of("ELOOP", "ENOTDIR")
              .contains(assertThrows(SyscallException.class, () -> root.dir("dot")).errnoName()));
      assertEquals(
          "EXDEV", assertThrows(SyscallException.class, () -> root.dir("real/../..")).errnoName());
      assertThrows(SyscallException.class, () -> root.dir(tmp.toString()));
    }
  }

  @Test
  void createRefusesAnyExistingNameEvenADanglingLinkAndLinksAreActedOnThemselves()
      throws Exception {
    Path outside = Files.writeString(tmp.resolve("outside"), "keep");
    Path root = Files.createDirectories(tmp.resolve("root"));
    Files.createSymbolicLink(root.resolve("dangling"), tmp.resolve("nowhere"));
    Files.createSymbolicLink(root.resolve("out"), outside);
    try (Dir d = Dir.open(FsCalls.real(), root)) {
      SyscallException e =
          assertThrows(SyscallException.class, () -> d.create("dangling", 0644).close());
      assertEquals("EEXIST", e.errnoName());
      assertFalse(Files.exists(tmp.resolve("nowhere"), LinkOption.NOFOLLOW_LINKS));
      assertTrue(d.lstat("out").isSymlink());
      assertNull(d.lstat("absent"));
      int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      int gid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:gid");
      d.lchown("out", uid, gid);
      d.unlink("out");
      assertEquals("keep", Files.readString(outside));
      assertThrows(IllegalArgumentException.class, () -> d.lstat("a/b"));
      assertThrows(IllegalArgumentException.class, () -> d.unlink(".."));
    }
  }

  @Test
  void namesThatAreNotUtf8AreListedAndRemovedByTheirBytes() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("root"));
    // A workload may name a file with any bytes; \xff\xfe is no UTF-8.
    Process p =
        new ProcessBuilder(
                "sh", "-c", "cd \"$1\" && touch \"$(printf 'a\\377\\376')\"", "sh", "" + root)
            .start();
    assertEquals(0, p.waitFor());
    try (Dir d = Dir.open(FsCalls.real(), root)) {
      List<Dir.Entry> all = d.list();
      assertEquals(1, all.size());
      byte[] name = all.get(0).name();
      assertEquals(3, name.length);
      assertEquals((byte) 0xff, name[1]);
      d.unlink(name);
      d.rewind();
      assertTrue(d.list().isEmpty());
    }
  }
}

package org.glasshouse.helper.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Dir#readRegular} and {@link Dir#exists} on the real kernel (openat2 needs no privilege): a
 * tree shaped like a hostile container's, next to a "host" file it tries to reach.
 */
class DirBeneathTest {
  @TempDir Path tmp;

  private Path tree() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("root"));
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\n");
    Files.writeString(tmp.resolve("secret"), "host secret\n");
    return root;
  }

  @Test
  void readsARegularFile() throws Exception {
    Path root = tree();
    try (Dir b = Dir.openRootOf(FsCalls.real(), root)) {
      assertEquals(
          "root:x:0:0::/root:/bin/sh\n",
          new String(b.readRegular("etc/passwd", 1024).orElseThrow(), StandardCharsets.UTF_8));
      assertEquals(
          Optional.of("root:x:0:0::/root:/bin/sh\n"),
          b.readRegular("/etc/passwd", 1024).map(x -> new String(x, StandardCharsets.UTF_8)),
          "an absolute path is the tree's own");
      assertTrue(b.readRegular("etc/missing", 1024).isEmpty());
      assertArrayEquals(
          "root".getBytes(StandardCharsets.UTF_8), b.readRegular("etc/passwd", 4).orElseThrow());
    }
  }

  @Test
  void anAbsoluteLinkResolvesInsideTheTreeNeverOnTheHost() throws Exception {
    Path root = tree();
    Path secret = tmp.resolve("secret");
    Files.createSymbolicLink(root.resolve("etc/group"), secret);
    Files.createSymbolicLink(root.resolve("etc/up"), Path.of("../../../../../../" + secret));
    Files.createSymbolicLink(root.resolve("escape"), tmp);
    try (Dir b = Dir.openRootOf(FsCalls.real(), root)) {
      assertTrue(b.readRegular("etc/group", 1024).isEmpty(), "the host's file is not read");
      assertTrue(b.readRegular("etc/up", 1024).isEmpty(), ".. stops at the tree's root");
      assertTrue(b.readRegular("escape/secret", 1024).isEmpty(), "a linked directory too");
      assertTrue(b.readRegular("../secret", 1024).isEmpty());
    }
  }

  @Test
  void aLinkInsideTheTreeIsFollowedAsTheContainerWould() throws Exception {
    Path root = tree();
    Files.createDirectories(root.resolve("usr/share"));
    Files.writeString(root.resolve("usr/share/group"), "wheel:x:10:\n");
    Files.createSymbolicLink(root.resolve("etc/group"), Path.of("/usr/share/group"));
    try (Dir b = Dir.openRootOf(FsCalls.real(), root)) {
      assertEquals(
          "wheel:x:10:\n",
          new String(b.readRegular("etc/group", 1024).orElseThrow(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void aFifoOrADirectoryIsNotReadAndNothingBlocks() throws Exception {
    Path root = tree();
    Path fifo = root.resolve("etc/group");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertEquals(0, mk.waitFor());
    try (Dir b = Dir.openRootOf(FsCalls.real(), root)) {
      assertTimeoutPreemptively(
          Duration.ofSeconds(5), () -> assertTrue(b.readRegular("etc/group", 1024).isEmpty()));
      assertTrue(b.readRegular("etc", 1024).isEmpty(), "a directory is not a file");
    }
  }

  @Test
  void existsFollowsNoLinkAtAll() throws Exception {
    Path root = tree();
    Files.createSymbolicLink(root.resolve("bin"), Path.of("/usr/bin"));
    Files.createDirectories(root.resolve("usr/bin"));
    Files.writeString(root.resolve("usr/bin/ls"), "");
    Files.createSymbolicLink(root.resolve("out"), tmp);
    try (Dir b = Dir.open(FsCalls.real(), root)) {
      assertTrue(b.exists("etc/passwd"));
      assertTrue(b.exists("bin"), "the link itself is an entry");
      assertTrue(b.exists("usr/bin/ls"));
      assertFalse(b.exists("bin/ls"), "not through the link");
      assertFalse(b.exists("out/secret"), "nor out of the tree");
      assertFalse(b.exists("../secret"));
      assertFalse(b.exists("etc/passwd/x"), "a file is no directory");
    }
  }
}

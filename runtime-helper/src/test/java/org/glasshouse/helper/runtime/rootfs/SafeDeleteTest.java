package org.glasshouse.helper.runtime.rootfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicBoolean;
import org.glasshouse.helper.linux.Dir;
import org.glasshouse.helper.linux.FsCalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SafeDelete} against trees an attacker shaped: a container's upper dir or rootfs copy, in
 * which a workload can plant links — and, if one of its processes outlived the container, keep
 * swapping them while the helper deletes.
 */
class SafeDeleteTest {

  @TempDir Path tmp;

  @Test
  void aWriterSwappingADirectoryForASymlinkDuringTheDeleteNeverGetsAHostFileDeleted()
      throws Exception {
    // The host side: a directory whose entries have the same names as the container's.
    Path host = Files.createDirectories(tmp.resolve("host"));
    Path precious = Files.writeString(host.resolve("precious"), "keep me");
    Path upper = tmp.resolve("upper");
    AtomicBoolean stop = new AtomicBoolean();
    // The workload: d is a directory holding "precious" one moment, a link to the host dir the
    // next; a walk that lists d and then deletes "d/precious" by path deletes the host's file.
    Thread attacker =
        new Thread(
            () -> {
              Path d = upper.resolve("d");
              Path aside = upper.resolve("aside");
              while (!stop.get()) {
                try {
                  Files.createDirectories(d);
                  Files.writeString(d.resolve("precious"), "bait");
                  Files.move(d, aside, StandardCopyOption.ATOMIC_MOVE);
                  Files.createSymbolicLink(d, host);
                  Files.delete(d);
                  Files.move(aside, d, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException | RuntimeException e) {
                  // The deleter removed something under us: start the round again.
                }
              }
            });
    long deadline = System.nanoTime() + 3_000_000_000L;
    int rounds = 0;
    try {
      attacker.start();
      while (System.nanoTime() < deadline && Files.exists(precious) && rounds < 20_000) {
        Files.createDirectories(upper.resolve("other/deeper"));
        try {
          SafeDelete.deleteTree(upper);
        } catch (IOException e) {
          // A live writer may make the delete fail (a directory filled up again): never escape.
        }
        rounds++;
      }
    } finally {
      stop.set(true);
      attacker.join();
    }
    assertTrue(Files.exists(precious), "a host file was deleted in round " + rounds);
    assertEquals("keep me", Files.readString(precious));
    SafeDelete.deleteTree(upper);
    assertFalse(Files.exists(upper, LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void aTreeFiveThousandLevelsDeepIsDeleted() throws Exception {
    // Deeper than PATH_MAX (4096) as a path, as a container can make it: one mkdir at a time,
    // each relative to the directory made before.
    Path top = Files.createDirectories(tmp.resolve("deep"));
    Dir cur = Dir.open(FsCalls.real(), top);
    try {
      for (int i = 0; i < 5000; i++) {
        cur.mkdir("d", 0755);
        Dir next = cur.dir("d");
        cur.close();
        cur = next;
      }
      cur.symlink("/", "up");
      cur.mkdir("ro", 0);
    } finally {
      cur.close();
    }
    try {
      SafeDelete.deleteTree(top);
    } finally {
      // JUnit's own clean-up cannot remove what is deeper than PATH_MAX: leave nothing for it.
      new ProcessBuilder("rm", "-rf", top.toString()).start().waitFor();
    }
    assertFalse(Files.exists(top, LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void aMissingTreeAndALinkInPlaceOfTheTree() throws IOException {
    SafeDelete.deleteTree(tmp.resolve("absent"));
    Path keep = Files.createDirectories(tmp.resolve("keep"));
    Files.writeString(keep.resolve("f"), "x");
    Path link = Files.createSymbolicLink(tmp.resolve("link"), keep);
    SafeDelete.deleteTree(link);
    assertFalse(Files.exists(link, LinkOption.NOFOLLOW_LINKS), "the link goes");
    assertTrue(Files.exists(keep.resolve("f")), "what it points to stays");
  }

  /**
   * A container removed twice at once (its waiter's {@code --rm} and the server's watcher:
   * RemoveRaceRootTest, which failed once in the lead's suite of 2026-12-04 with "getdents64(…
   * (deleted)) = -1 ENOENT"): two deletes of one tree racing each other both reach the goal, and
   * neither reports a directory the other removed as a failure.
   */
  @Test
  void twoDeletesOfOneTreeAtOnceBothSucceed() throws Exception {
    for (int round = 0; round < 40; round++) {
      Path top = Files.createDirectories(tmp.resolve("race" + round));
      for (int d = 0; d < 30; d++) {
        Path dir = Files.createDirectories(top.resolve("d" + d).resolve("e"));
        for (int f = 0; f < 5; f++) {
          Files.writeString(dir.resolve("f" + f), "x");
        }
      }
      java.util.concurrent.CyclicBarrier go = new java.util.concurrent.CyclicBarrier(2);
      java.util.concurrent.Callable<Void> delete =
          () -> {
            go.await();
            SafeDelete.deleteTree(top);
            return null;
          };
      java.util.concurrent.ExecutorService two =
          java.util.concurrent.Executors.newFixedThreadPool(2);
      try {
        var a = two.submit(delete);
        var b = two.submit(delete);
        try {
          a.get();
          b.get();
        } catch (java.util.concurrent.ExecutionException e) {
          throw new AssertionError("round " + round + ": " + e.getCause(), e.getCause());
        }
      } finally {
        two.shutdownNow();
      }
      assertFalse(Files.exists(top, LinkOption.NOFOLLOW_LINKS), "round " + round);
    }
  }
}

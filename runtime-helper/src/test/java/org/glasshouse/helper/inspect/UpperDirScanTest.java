package org.glasshouse.helper.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.glasshouse.helper.runtime.TestSupport;
import org.glasshouse.protocol.inspect.UpperDirEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upper-dir listing ({@code inspect --upper}) against a running workload that plants links in
 * its upper dir: the helper, root, must list what is in the upper dir and nothing it points to.
 */
class UpperDirScanTest {

  @TempDir Path tmp;

  @Test
  void aWorkloadSwappingADirectoryForALinkToAHostDirNeverGetsItListed() throws Exception {
    Path host = Files.createDirectories(tmp.resolve("host/.ssh"));
    Files.writeString(host.resolve("id_host_only"), "private key");
    Path upper = Files.createDirectories(tmp.resolve("upper"));
    Files.createSymbolicLink(upper.resolve("planted"), host);
    AtomicBoolean stop = new AtomicBoolean();
    Thread attacker =
        new Thread(
            () -> {
              Path d = upper.resolve("d");
              Path aside = upper.resolve("aside");
              while (!stop.get()) {
                try {
                  Files.createDirectories(d);
                  Files.move(d, aside, StandardCopyOption.ATOMIC_MOVE);
                  Files.createSymbolicLink(d, host);
                  Files.delete(d);
                  Files.move(aside, d, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException | RuntimeException e) {
                  // Start the round again.
                }
              }
            });
    long deadline = System.nanoTime() + 6_000_000_000L;
    int rounds = 0;
    String leaked = null;
    try {
      attacker.start();
      while (System.nanoTime() < deadline && leaked == null && rounds < 200_000) {
        try {
          for (UpperDirEntry e : UpperDirScanner.scan(upper, 100)) {
            if (e.path().contains("id_host_only")) {
              leaked = e.path();
            }
          }
        } catch (IOException e) {
          // The workload changed the tree under the walk: that listing is lost, nothing leaked.
        }
        rounds++;
      }
    } finally {
      stop.set(true);
      attacker.join();
    }
    assertEquals(null, leaked, "a host file was listed in round " + rounds);
    List<UpperDirEntry> still = UpperDirScanner.scan(upper, 100);
    assertTrue(
        still.stream().anyMatch(e -> e.path().equals("planted") && e.kind().equals("symlink")),
        "the planted link is listed as a link: " + still);
  }

  @Test
  void listsFilesWithOwnersAndReadsOpaqueMarksFromTheDirectoriesThemselves() throws Exception {
    Path up = Files.createDirectories(tmp.resolve("up/etc"));
    Files.writeString(up.resolve("hostname"), "c1\n");
    Path cache = Files.createDirectories(tmp.resolve("up/var/cache"));
    // A userxattr overlay marks an opaque dir with user.overlay.opaque, which anyone may set.
    Files.getFileAttributeView(cache, UserDefinedFileAttributeView.class)
        .write("overlay.opaque", ByteBuffer.wrap(new byte[] {'y'}));
    Files.createSymbolicLink(tmp.resolve("up/etc/link"), Path.of("/root"));
    List<UpperDirEntry> entries = UpperDirScanner.scan(tmp.resolve("up"), 100);
    Map<String, UpperDirEntry> byPath = new HashMap<>();
    entries.forEach(x -> byPath.put(x.path(), x));
    assertEquals(Set.of("etc", "etc/hostname", "etc/link", "var", "var/cache"), byPath.keySet());
    assertEquals("file", byPath.get("etc/hostname").kind());
    assertEquals(3, byPath.get("etc/hostname").size());
    assertEquals("symlink", byPath.get("etc/link").kind());
    assertEquals(true, byPath.get("var/cache").opaque());
    // trusted.* is readable by root only: without it an unmarked dir is unknown, not "not opaque".
    assertEquals(TestSupport.isRoot() ? false : null, byPath.get("etc").opaque());
    assertNull(byPath.get("etc/hostname").opaque());
    assertEquals(
        1, UpperDirScanner.scan(tmp.resolve("up"), 1).size(), "the limit caps the listing");
  }

  @Test
  void theLowerDirIsWalkedAlongsideToTellCopiesFromNewFiles() throws Exception {
    Path lower = Files.createDirectories(tmp.resolve("lower/etc"));
    Files.writeString(lower.resolve("motd"), "image\n");
    Path up = Files.createDirectories(tmp.resolve("up/etc"));
    Files.writeString(up.resolve("motd"), "changed\n");
    Files.writeString(up.resolve("new"), "mine\n");
    Files.createDirectories(tmp.resolve("up/opt"));
    Map<String, UpperDirEntry> byPath = new HashMap<>();
    UpperDirScanner.Listing l = UpperDirScanner.scan(tmp.resolve("up"), tmp.resolve("lower"), 100);
    l.entries().forEach(x -> byPath.put(x.path(), x));
    assertEquals(true, byPath.get("etc").inLower(), "etc merges with the image's");
    assertEquals(true, byPath.get("etc/motd").inLower(), "a copy of the image's motd");
    assertEquals(false, byPath.get("etc/new").inLower());
    assertEquals(false, byPath.get("opt").inLower());
    assertEquals(false, l.truncated());
    assertNull(
        UpperDirScanner.scan(tmp.resolve("up"), 100).get(0).inLower(),
        "without a lower dir it is unknown");
    UpperDirEntry motd = byPath.get("etc/motd");
    assertTrue(motd.changedNs() > 0);
    if (motd.createdNs() != null) {
      assertTrue(motd.createdNs() <= motd.changedNs(), motd.toString());
    }
    assertTrue(
        UpperDirScanner.scan(tmp.resolve("up"), tmp.resolve("lower"), 2).truncated(),
        "more entries than the limit");
  }

  @Test
  void aDirectoryDeeperThanTheWalkEntersIsListedNotEntered() throws Exception {
    Path d = tmp.resolve("up");
    for (int i = 0; i <= UpperDirScanner.MAX_DEPTH + 1; i++) {
      d = d.resolve("d");
    }
    Files.createDirectories(d);
    List<UpperDirEntry> entries = UpperDirScanner.scan(tmp.resolve("up"), 10_000);
    assertEquals(UpperDirScanner.MAX_DEPTH + 1, entries.size(), "one entry per level entered");
  }
}

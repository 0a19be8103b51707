package org.glasshouse.helper.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.glasshouse.helper.runtime.RootHarness.Result;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.RunSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Escape 1 of issue 12, as the attacker writes it: inside the container, {@code mknod} a host
 * device (the kernel log {@code c 1 11}, the host's first disk) and open it. From level 03 the node
 * cannot be opened (the root and /dev are nodev, and from level 08 a device allow-list stands
 * behind that); from level 11 it cannot even be made (no CAP_MKNOD). Level 02 still opens it: the
 * walls are not there yet, and the test says so.
 */
@Tag("root")
class DeviceWallsRootTest extends SharedRootHarness {

  /**
   * {@code major minor} of a host block device the test itself can open for reading: a disk first
   * (vd*, sd*, nvme*), else any (zram, loop). Some hosts refuse even their own root the raw disk;
   * the level-02 test below then proves the chosen node really opens where no wall stands.
   */
  static String disk;

  @BeforeAll
  static void hostDisk() throws Exception {
    List<Path> devs;
    try (Stream<Path> s = Files.list(Path.of("/sys/dev/block"))) {
      devs = s.sorted().toList();
    }
    List<String[]> candidates = new java.util.ArrayList<>();
    for (Path d : devs) {
      String name =
          Files.readAllLines(d.resolve("uevent")).stream()
              .filter(l -> l.startsWith("DEVNAME="))
              .map(l -> l.substring("DEVNAME=".length()))
              .findFirst()
              .orElse(null);
      if (name != null) {
        candidates.add(new String[] {d.getFileName().toString().replace(':', ' '), name});
      }
    }
    candidates.sort(java.util.Comparator.comparing(c -> c[1].matches("(vd|sd|nvme).*") ? 0 : 1));
    for (String[] c : candidates) {
      try (var ch = java.nio.channels.FileChannel.open(Path.of("/dev", c[1]))) {
        disk = c[0];
        return;
      } catch (java.io.IOException e) {
        // Not readable on this host: the next one.
      }
    }
    TestSupport.require(false, "no host block device can be opened here");
  }

  /**
   * Makes a char node of /dev/kmsg and a block node of the host disk in {@code dirs} and tries to
   * open each (write-only for kmsg: nothing is written; read-only for the disk: nothing is read).
   * Prints {@code MADE …} and {@code OPENED …} per success.
   */
  private static String attack(String... dirs) {
    StringBuilder s = new StringBuilder();
    for (String d : dirs) {
      s.append("mknod ")
          .append(d)
          .append("/k c 1 11 && echo MADE c ")
          .append(d)
          .append(" && (exec 3>")
          .append(d)
          .append("/k) && echo OPENED c ")
          .append(d)
          .append("; mknod ")
          .append(d)
          .append("/b b ")
          .append(disk)
          .append(" && echo MADE b ")
          .append(d)
          .append(" && (exec 3<")
          .append(d)
          .append("/b) && echo OPENED b ")
          .append(d)
          .append("; ");
    }
    // The standard nodes keep working.
    s.append("echo x > /dev/null && head -c 3 /dev/zero | wc -c && head -c 4 /dev/urandom | wc -c");
    return s.toString();
  }

  private static RunSpec spec(int level, List<String> capAdd, String script) {
    return RunSpec.builder()
        .image("busybox")
        .argv(List.of("/bin/sh", "-c", script))
        .env(RootHarness.ENV)
        .features(Feature.upTo(level))
        .capAdd(capAdd)
        .build();
  }

  @ParameterizedTest
  @ValueSource(ints = {12, 13})
  void fromLevel11ADeviceNodeCannotBeMade(int level) throws Exception {
    Result r = h.runAndRemove(spec(level, null, attack("/tmp", "/dev")));
    assertFalse(r.out().contains("MADE"), r.toString());
    assertTrue(r.err().contains("Operation not permitted"), r.toString());
    assertTrue(r.out().endsWith("3\n4\n"), "the standard nodes work: " + r);
  }

  @Test
  void level12WithMknodAddedBackStillCannotOpenWhatItMakes() throws Exception {
    Result r =
        h.runAndRemove(spec(12, List.of("CAP_MKNOD"), "mkdir -p /tmp; " + attack("/tmp", "/dev")));
    assertTrue(r.out().contains("MADE c /tmp") && r.out().contains("MADE b /dev"), r.toString());
    assertFalse(r.out().contains("OPENED"), r.toString());
    assertTrue(r.out().endsWith("3\n4\n"), "the standard nodes work: " + r);
  }

  @Test
  void level13WithMknodAddedBackCannotEvenMakeADeviceNode() throws Exception {
    // The seccomp profile refuses S_IFCHR and S_IFBLK in mknod/mknodat whatever the capabilities.
    Result r =
        h.runAndRemove(spec(13, List.of("CAP_MKNOD"), "mkdir -p /tmp; " + attack("/tmp", "/dev")));
    assertFalse(r.out().contains("MADE") || r.out().contains("OPENED"), r.toString());
    assertTrue(r.err().contains("Operation not permitted"), r.toString());
    assertTrue(r.out().endsWith("3\n4\n"), "the standard nodes work: " + r);
  }

  @ParameterizedTest
  @ValueSource(ints = {3, 4, 8, 10})
  void fromLevel03ANodeTheContainerMakesCannotBeOpened(int level) throws Exception {
    Result r = h.runAndRemove(spec(level, null, "mkdir -p /tmp; " + attack("/tmp", "/dev")));
    assertTrue(r.out().contains("MADE c /tmp") && r.out().contains("MADE b /dev"), r.toString());
    assertFalse(r.out().contains("OPENED"), r.toString());
    assertTrue(r.out().endsWith("3\n4\n"), "the standard nodes work: " + r);
  }

  @Test
  void atLevel02TheWallsAreNotUpYet() throws Exception {
    // Documented in the level 02 guide: mknod + open still reaches the host's devices there.
    Result r = h.runAndRemove(spec(2, null, "mkdir -p /tmp; " + attack("/tmp")));
    assertTrue(
        r.out().contains("OPENED c /tmp") && r.out().contains("OPENED b /tmp"), r.toString());
  }

  @Test
  void withoutNodevTheDevicesCgroupAloneRefusesTheOpen() throws Exception {
    EnumSet<Feature> f = EnumSet.copyOf(Feature.upTo(12));
    f.removeIf(x -> x.wireName().equals("nodev"));
    RunSpec s = spec(12, List.of("CAP_MKNOD"), "mkdir -p /tmp; " + attack("/tmp"));
    RunSpec free =
        RunSpec.builder()
            .image(s.image())
            .argv(s.argv())
            .env(s.env())
            .features(f)
            .capAdd(s.capAdd())
            .build();
    Result r = h.runAndRemove(free);
    assertTrue(r.out().contains("MADE c /tmp"), r.toString());
    assertFalse(r.out().contains("OPENED"), r.toString());
    assertEquals(0, r.status().code(), r.toString());
  }
}

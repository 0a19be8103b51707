package org.glasshouse.helper.runtime;

import static org.glasshouse.helper.runtime.RootHarness.hostNs;
import static org.glasshouse.helper.runtime.RootHarness.level;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.glasshouse.helper.runtime.RootHarness.Result;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Each level's check from DESIGN.md, on the real kernel with the busybox image. */
@Tag("root")
class LevelsTest extends SharedRootHarness {
  private static String mountinfo() throws Exception {
    return Files.readString(Path.of("/proc/self/mountinfo"));
  }

  @Test
  void level01ChrootShowsTheImageAndLeaksItsMountsIntoTheHost() throws Exception {
    Result r = h.run(level(1, "ls /; readlink /proc/self/ns/mnt"));
    assertEquals(0, r.status().code(), r.toString());
    assertTrue(r.out().contains("bin\n") && r.out().contains("home\n"), r.toString());
    assertTrue(r.out().contains(hostNs("mnt")), "level 01 shares the host's mount ns");
    String rootfs = h.state.resolve("containers/" + r.container().id() + "/rootfs").toString();
    assertTrue(mountinfo().contains(" " + rootfs + "/proc "), "the leak is visible on the host");
    h.runtime.remove(r.container().id(), true);
    assertFalse(mountinfo().contains(rootfs), "removal cleans the leaked mounts");
    assertFalse(Files.exists(Path.of(rootfs)));
  }

  @Test
  void level02MountNamespaceKeepsMountsInsideAndDevNullIsTheRealNode() throws Exception {
    Result r =
        h.run(
            level(
                2,
                "mkdir -p /mnt/x && mount -t tmpfs glasshouse-probe /mnt/x && readlink"
                    + " /proc/self/ns/mnt; stat -c '%F %t,%T' /dev/null; grep -c probe"
                    + " /proc/self/mountinfo"));
    assertEquals(0, r.status().code(), r.toString());
    assertFalse(r.out().contains(hostNs("mnt")), r.toString());
    assertTrue(r.out().contains("character special file 1,3"), r.toString());
    assertTrue(r.out().contains("\n1\n"), "the tmpfs is mounted inside: " + r);
    assertFalse(mountinfo().contains("glasshouse-probe"), "and invisible on the host");
    String rootfs = h.state.resolve("containers/" + r.container().id()).toString();
    assertFalse(mountinfo().contains(rootfs), "nothing of the container in the host's table");
    h.runtime.remove(r.container().id(), true);
  }

  @Test
  void level03PivotRootLeavesOnlyTheContainersMounts() throws Exception {
    Result r = h.runAndRemove(level(3, "cat /proc/self/mountinfo; ls /"));
    assertEquals(0, r.status().code(), r.toString());
    List<String> lines = Arrays.stream(r.out().split("\n")).filter(l -> l.contains(" - ")).toList();
    assertTrue(lines.size() <= 14, "only the container's own mounts: " + lines);
    List<String> points = lines.stream().map(l -> l.split(" ")[4]).toList();
    assertEquals("/", points.get(0), r.toString());
    // From level 03 the standard nodes are the host's, bound onto a nodev /dev.
    assertTrue(
        List.of(
                "/",
                "/proc",
                "/sys",
                "/dev",
                "/dev/null",
                "/dev/zero",
                "/dev/full",
                "/dev/random",
                "/dev/urandom",
                "/dev/tty",
                "/dev/pts",
                "/dev/shm")
            .containsAll(points),
        "no mount point of the host is visible: " + points);
    assertTrue(lines.get(0).contains(" rw,nodev,"), "the root is nodev: " + lines.get(0));
  }

  @Test
  void level04OverlayWritesLandOnlyInTheUpperDir() throws Exception {
    Result r = h.run(level(4, "echo hello > /glasshouse-probe; cat /glasshouse-probe"));
    assertEquals(0, r.status().code(), r.toString());
    assertEquals("hello\n", r.out());
    Path upper = h.state.resolve("containers/" + r.container().id() + "/upper");
    assertTrue(Files.exists(upper.resolve("glasshouse-probe")), "the write is in upper");
    assertFalse(
        Files.exists(h.state.resolve("images/busybox/rootfs/glasshouse-probe")),
        "the image (lower) is untouched");
    h.runtime.remove(r.container().id(), true);
  }

  @Test
  void level05HostnameIsTheContainerId() throws Exception {
    Result r =
        h.runAndRemove(
            level(5, "hostname; readlink /proc/self/ns/uts; readlink /proc/self/ns/ipc"));
    assertEquals(0, r.status().code(), r.toString());
    assertTrue(r.out().startsWith(r.container().id() + "\n"), r.toString());
    assertFalse(r.out().contains(hostNs("uts")));
    assertFalse(r.out().contains(hostNs("ipc")));
  }

  @Test
  void level06PsShowsTheCommandAsPid1AndNothingOfTheHost() throws Exception {
    Result r = h.runAndRemove(level(6, "ps -o pid,args; cat /proc/1/cmdline | tr '\\0' ' '"));
    assertEquals(0, r.status().code(), r.toString());
    List<String> rows = Arrays.stream(r.out().split("\n")).map(String::trim).toList();
    assertTrue(rows.get(1).startsWith("1 /bin/sh -c ps"), r.toString());
    long processes = rows.stream().filter(l -> l.matches("\\d+ .*")).count();
    assertEquals(2, processes, "sh and ps only: " + r);
    assertTrue(r.out().contains("/bin/sh -c ps -o pid,args;"), "/proc/1/cmdline: " + r);
    assertTrue(r.container().hostPid() > 1);
  }

  @Test
  void level07NetworkNamespaceHasOnlyLo() throws Exception {
    Result r = h.runAndRemove(level(7, "ip link; readlink /proc/self/ns/net"));
    assertEquals(0, r.status().code(), r.toString());
    assertTrue(r.out().contains(": lo:"), r.toString());
    assertEquals(1, r.out().lines().filter(l -> l.matches("\\d+: .*")).count(), r.toString());
    assertFalse(r.out().contains(hostNs("net")));
  }

  @Test
  void theContainersPid1HasOnlyFds012() throws Exception {
    CollectingListener l = new CollectingListener();
    // read waits for stdin, so the shell (PID 1) is alive while the host looks at its fds.
    Container c = h.runtime.start(RootHarness.newId(), level(12, "read x; echo $x"), l);
    List<String> fds;
    try (var list = Files.list(Path.of("/proc/" + c.hostPid() + "/fd"))) {
      fds = list.map(p -> p.getFileName().toString()).sorted().toList();
    }
    c.writeStdin("done\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(0, l.await().code(), l.stderr());
    assertEquals(List.of("0", "1", "2"), fds);
    assertEquals("done\n", l.stdout());
    h.runtime.remove(c.id(), true);
  }
}

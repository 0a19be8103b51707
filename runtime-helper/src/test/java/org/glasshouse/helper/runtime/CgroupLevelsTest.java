package org.glasshouse.helper.runtime;

import static org.glasshouse.helper.runtime.RootHarness.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.glasshouse.helper.cgroups.ContainerCgroup;
import org.glasshouse.helper.runtime.RootHarness.Result;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.Limits;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Levels 08, 09 and 12 (cgroups) on the real kernel, plus setuid (10) and capabilities (11). */
@Tag("root")
@Tag("cgroup")
class CgroupLevelsTest extends SharedRootHarness {
  private static String read(Path p) throws Exception {
    return Files.readString(p).trim();
  }

  @Test
  void level08TheContainerIsInItsCgroupWithItsLimitsAndSeesItsPath() throws Exception {
    CollectingListener l = new CollectingListener();
    Limits limits = new Limits(null, null, 512, 0.5, null);
    LinuxContainer c =
        (LinuxContainer)
            h.runtime.start(
                RootHarness.newId(),
                spec(
                    Feature.upTo(8),
                    limits,
                    null,
                    "/bin/sh",
                    "-c",
                    "read x; cat /proc/self/cgroup"),
                l);
    String hostView = Files.readString(Path.of("/proc/" + c.hostPid() + "/cgroup"));
    Path containerCgroupNs = Files.readSymbolicLink(Path.of("/proc/" + c.hostPid() + "/ns/cgroup"));
    ContainerCgroup cg = c.cgroup();
    List<Path> paths = cg.paths();
    c.writeStdin("\n".getBytes(StandardCharsets.UTF_8));
    assertEquals(0, l.await().code(), l.stderr());
    assertTrue(
        hostView.contains(h.cgroupParent + "/" + c.id()), "host sees the cgroup: " + hostView);
    Path cpu =
        paths.stream()
            .filter(p -> Files.exists(p.resolve("cpu.shares")))
            .findFirst()
            .orElseGet(() -> paths.get(0));
    if (Files.exists(cpu.resolve("cpu.shares"))) {
      assertEquals("512", read(cpu.resolve("cpu.shares")));
      assertEquals("50000", read(cpu.resolve("cpu.cfs_quota_us")));
    } else {
      assertTrue(read(cpu.resolve("cpu.max")).startsWith("50000 "));
    }
    // The cgroup namespace is the container's own, rooted at each hierarchy's root: inside, the
    // cpu line names the container's real cgroup, exactly as the host sees it.
    assertTrue(
        l.stdout()
            .lines()
            .anyMatch(
                x ->
                    x.matches("\\d+:cpu(,cpuacct)?:/" + h.cgroupParent + "/" + c.id())
                        || x.equals("0::/" + h.cgroupParent + "/" + c.id())),
        "inside names the container's cgroup: " + l.stdout());
    assertNotEquals(
        Files.readSymbolicLink(Path.of("/proc/self/ns/cgroup")),
        containerCgroupNs,
        "the container has a cgroup namespace of its own");
    h.runtime.remove(c.id(), true);
    for (Path p : paths) {
      assertTrue(!Files.exists(p), "removed: " + p);
    }
  }

  @Test
  void level09AMemoryHogIsOomKilledAndReportedSo() throws Exception {
    Limits limits = new Limits(32L << 20, 32L << 20, null, null, null);
    Result r =
        h.runAndRemove(
            spec(
                Feature.upTo(9),
                limits,
                null,
                "/bin/dd",
                "if=/dev/zero",
                "of=/dev/null",
                "bs=64M",
                "count=1"));
    assertEquals(9, r.status().signal(), r.toString());
    assertTrue(r.status().oomKilled(), r.toString());
  }

  @Test
  void level10RunsAsTheRequestedUser() throws Exception {
    Result r = h.runAndRemove(spec(Feature.upTo(10), null, "1000:1000", "/usr/bin/id"));
    assertEquals(0, r.status().code(), r.toString());
    assertTrue(r.out().startsWith("uid=1000(student) gid=1000"), r.out());
  }

  @Test
  void level11HostnameFailsWithEpermAlthoughUidIs0() throws Exception {
    Result r =
        h.runAndRemove(
            spec(
                Feature.upTo(11),
                null,
                null,
                "/bin/sh",
                "-c",
                "id -u; hostname x; echo status=$?; grep Cap /proc/self/status; wc -c"
                    + " /proc/timer_list; echo 1 > /proc/sys/kernel/domainname || echo ro"));
    assertTrue(r.out().startsWith("0\n"), r.toString());
    assertTrue(r.out().contains("status=1"), r.toString());
    assertTrue(r.err().contains("Operation not permitted"), r.toString());
    // CapBnd: docker's default set (0xa80425fb) without CAP_MKNOD (bit 27).
    assertTrue(r.out().contains("CapBnd:\t00000000a00425fb"), r.toString());
    assertTrue(r.out().contains("CapEff:\t00000000a00425fb"), r.toString());
    // Masked and read-only paths: no kernel memory, no kernel settings.
    assertTrue(r.out().contains("0 /proc/timer_list"), r.toString());
    assertTrue(r.out().contains("\nro\n"), r.toString());
  }

  @Test
  void level12AForkBombHitsThePidsLimitAndTheHostStaysResponsive() throws Exception {
    Limits limits = new Limits(null, null, null, null, 32);
    CollectingListener l = new CollectingListener();
    LinuxContainer c =
        (LinuxContainer)
            h.runtime.start(
                RootHarness.newId(),
                spec(
                    Feature.upTo(12),
                    limits,
                    null,
                    "/bin/sh",
                    "-c",
                    "f() { f | f & }; f; read x; echo survived"),
                l);
    Path pids =
        c.cgroup().paths().stream()
            .filter(p -> Files.exists(p.resolve("pids.max")))
            .findFirst()
            .orElseThrow();
    // Wait until the bomb has hit the limit at least once (pids.events counts refused forks).
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!read(pids.resolve("pids.events")).matches("max [1-9]\\d*")
        && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    long current = Long.parseLong(read(pids.resolve("pids.current")));
    Process probe = new ProcessBuilder("true").start();
    boolean hostAlive = probe.waitFor(10, TimeUnit.SECONDS);
    c.writeStdin("\n".getBytes(StandardCharsets.UTF_8));
    assertTrue(read(pids.resolve("pids.events")).matches("max [1-9]\\d*"), "limit hit");
    assertTrue(current <= 32, "pids.current " + current);
    assertTrue(hostAlive, "the host can still start processes");
    assertEquals("32", read(pids.resolve("pids.max")));
    h.runtime.remove(c.id(), true);
  }
}

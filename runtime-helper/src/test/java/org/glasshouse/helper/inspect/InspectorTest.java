package org.glasshouse.helper.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.glasshouse.helper.netlink.NlParser;
import org.glasshouse.protocol.inspect.InspectResult;
import org.glasshouse.protocol.inspect.MountsResult;
import org.glasshouse.protocol.inspect.ProcessInfo;
import org.glasshouse.protocol.inspect.TelemetrySample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class InspectorTest {

  @TempDir public Path tmp;

  private static final String HOST_MOUNTS =
      "27 1 254:0 / / rw - ext4 /dev/vda rw\n"
          + "35 27 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n";
  private static final String CONTAINER_MOUNTS =
      "90 89 0:50 / / rw - overlay overlay rw,lowerdir=/img/a:/img/b,upperdir=/c/up,workdir=/c/w\n"
          + "91 90 0:51 / /proc rw - proc proc rw\n";

  public FakeProc fake() throws IOException {
    FakeProc p = new FakeProc(tmp);
    Path host = p.process(1, FakeProc.ns(100));
    Files.writeString(host.resolve("mountinfo"), HOST_MOUNTS);
    Files.writeString(host.resolve("cgroup"), "4:memory:/\n");
    Files.writeString(p.proc.resolve("self"), "");
    Files.delete(p.proc.resolve("self"));
    Files.createSymbolicLink(p.proc.resolve("self"), Path.of("1"));
    Files.createDirectories(p.proc.resolve("1")).resolve("mountinfo");
    Path c = p.process(50, FakeProc.ns(200));
    Files.writeString(c.resolve("mountinfo"), CONTAINER_MOUNTS);
    Files.writeString(c.resolve("cgroup"), "4:memory:/glasshouse/c1\n");
    Path mem = Files.createDirectories(p.root.resolve("sys/fs/cgroup/memory/glasshouse/c1"));
    Files.writeString(mem.resolve("memory.usage_in_bytes"), "4096\n");
    Files.writeString(mem.resolve("memory.limit_in_bytes"), "1048576\n");
    Files.createDirectories(c.resolve("net"));
    Files.writeString(c.resolve("net/dev"), Fixtures.text("net/dev"));
    Files.writeString(p.proc.resolve("1/status"), "Name:\tinit\nState:\tS (sleeping)\nPPid:\t0\n");
    return p;
  }

  /** A process in a fresh network namespace: lo, down, no address; hostname c1. */
  public static NetnsReader fixtureNetns() {
    return pid ->
        new NetnsReader.View(
            "c1",
            List.of(
                new NlParser.Link(
                    1,
                    "lo",
                    0x8,
                    65536,
                    "DOWN",
                    "00:00:00:00:00:00",
                    null,
                    null,
                    null,
                    0L,
                    0L,
                    0L,
                    0L)),
            List.of());
  }

  @Test
  void inspectsAContainerAgainstTheHost() throws IOException {
    FakeProc p = fake();
    Inspector i = new Inspector(p.fs, fixtureNetns());
    assertEquals(1, i.hostPid());
    InspectResult r = i.inspect("c1", 50);
    assertFalse(r.gone());
    assertFalse(r.namespaces().get("mnt").sameAsHost());
    assertEquals(List.of(50L), r.namespaces().get("pid").sharedWith());
    assertEquals(List.of(50L), r.processes().stream().map(ProcessInfo::pid).toList());
    assertEquals(4096L, r.cgroup().stats().memory().usageBytes());
    assertEquals(1048576L, r.cgroup().stats().memory().limitBytes());
    assertEquals("c1", r.network().hostname());
    assertEquals("lo", r.network().interfaces().get(0).name());
    assertEquals(List.of("/img/a", "/img/b"), r.overlay().lower());
    assertEquals("/c/up", r.overlay().upper());
    assertEquals("overlay", r.mounts().rootFsType());
    assertEquals(2, r.mounts().addedVsHost());
    assertEquals(2, r.mounts().removedVsHost());
  }

  @Test
  void whereTheHelperStandsForTheHostItsResultStillNamesPid1() throws IOException {
    // PID 1 whose ns links cannot be read (an init holding capabilities the helper lacks): the
    // helper (pid 700, /proc/self) stands for the host; PID 1's status and cmdline still read.
    FakeProc p = new FakeProc(tmp);
    Path init = p.process(1, Map.of());
    Files.writeString(init.resolve("cmdline"), "/sbin/init\0splash\0");
    Path helper = p.process(700, FakeProc.ns(100));
    Files.writeString(helper.resolve("mountinfo"), HOST_MOUNTS);
    Files.writeString(helper.resolve("cgroup"), "4:memory:/\n");
    Files.createSymbolicLink(p.proc.resolve("self"), Path.of("700"));
    Inspector i = new Inspector(p.fs, fixtureNetns());
    assertEquals(700, i.hostPid());
    InspectResult r = i.inspect("host", i.hostPid());
    assertEquals(List.of(700L, 1L), r.processes().stream().map(ProcessInfo::pid).toList());
    assertEquals(List.of("/sbin/init", "splash"), r.processes().get(1).cmdline());
  }

  @Test
  void aProcessThatExitsMidReadGivesGoneNotAnException() throws IOException {
    FakeProc p = fake();
    // The network step is the last read; the process "exits" exactly then.
    NetnsReader exitingRunner =
        pid -> {
          deleteTree(p.proc.resolve("50"));
          throw new ProcessGoneException(pid);
        };
    InspectResult r = new Inspector(p.fs, exitingRunner).inspect("c1", 50);
    assertTrue(r.gone());
    assertNull(r.namespaces());
    InspectResult never = new Inspector(p.fs, fixtureNetns()).inspect("c2", 4242);
    assertTrue(never.gone());
    MountsResult m = new Inspector(p.fs, fixtureNetns()).mounts("c2", 4242, "host", Map.of());
    assertTrue(m.gone());
    TelemetrySample s = new TelemetrySampler(p.fs).sample("c2", 4242);
    assertTrue(s.gone());
  }

  @Test
  void aContainerInTheHelpersOwnCgroupsHasNoCgroupFigures() throws IOException {
    FakeProc p = fake();
    Files.writeString(p.proc.resolve("50/cgroup"), "4:memory:/\n");
    Files.writeString(p.root.resolve("sys/fs/cgroup/memory/memory.usage_in_bytes"), "999999\n");
    TelemetrySample s = new TelemetrySampler(p.fs).sample("c1", 50);
    assertNull(s.cgroup().memory(), "the helper's (root) group is not the container's");
    assertNull(new Inspector(p.fs, fixtureNetns()).inspect("c1", 50).cgroup().stats().memory());
  }

  @Test
  void mountsWithDiffAgainstTheHost() throws IOException {
    FakeProc p = fake();
    MountsResult m = new Inspector(p.fs, fixtureNetns()).mounts("c1", 50, "host", Map.of());
    assertEquals(2, m.entries().size());
    assertEquals("private", m.entries().get(0).propagation());
    assertEquals(
        List.of("/", "/proc"),
        m.diff().added().stream().map(MountsResult.Mount::mountPoint).toList());
    assertEquals(2, m.diff().removed().size());
  }

  @Test
  void samplerComputesCpuPercentOverTheInterval() throws IOException {
    FakeProc p = fake();
    Files.writeString(p.proc.resolve("50/cgroup"), "1:cpuacct:/g\n");
    Files.writeString(
        p.proc.resolve("1/mountinfo"),
        HOST_MOUNTS + "33 27 0:30 / /cg/cpuacct rw - cgroup cgroup rw,cpuacct\n");
    Path acct = Files.createDirectories(p.root.resolve("cg/cpuacct/g"));
    Files.writeString(acct.resolve("cpuacct.usage"), "1000000000\n");
    TelemetrySampler s = new TelemetrySampler(p.fs);
    TelemetrySample first = s.sample("c1", 50);
    assertNull(first.cpuPercent());
    assertEquals(1_000_000_000L, first.cgroup().cpu().usageNs());
    // A whole second of CPU more: whatever the wall interval, that is a positive percentage.
    Files.writeString(acct.resolve("cpuacct.usage"), "2000000000\n");
    TelemetrySample second = s.sample("c1", 50);
    assertTrue(second.cpuPercent() > 0, second.toString());
    assertTrue(second.intervalMs() >= 0);
    s.forget("c1");
    assertNull(s.sample("c1", 50).cpuPercent());
  }

  static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

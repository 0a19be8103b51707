package org.glasshouse.helper.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.glasshouse.helper.cgroups.CgroupLayout.Hierarchy;
import org.glasshouse.helper.cgroups.CgroupLayout.Mode;
import org.glasshouse.helper.linux.Call;
import org.glasshouse.helper.plan.StepLog;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.Limits;
import org.glasshouse.protocol.StepEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both drivers against a fake cgroupfs: exact files, exact values, exact order. */
class CgroupDriverFakeTest {
  @TempDir Path tmp;
  final List<StepEntry> entries = new ArrayList<>();
  final StepLog log = new StepLog(entries::add);

  static final Limits ALL = new Limits(64L << 20, 150L << 20, 512, 0.5, 32);
  static final Set<Feature> CG =
      Set.of(Feature.CGROUP_CPU, Feature.CGROUP_MEMORY, Feature.CGROUP_PIDS);

  static final List<String> V2_FILES =
      List.of(
          "cgroup.procs",
          "cgroup.controllers",
          "cgroup.subtree_control",
          "cgroup.kill",
          "cpu.weight",
          "cpu.max",
          "memory.max",
          "memory.swap.max",
          "memory.events",
          "pids.max");

  private FakeCgroupFs v2Fs(Path unified) throws IOException {
    return v2Fs(unified, V2_FILES);
  }

  private FakeCgroupFs v2Fs(Path unified, List<String> files) throws IOException {
    FakeCgroupFs fs = new FakeCgroupFs(Map.of(unified, files));
    fs.root(unified, "cgroup.controllers", "cpuset cpu io memory pids");
    return fs;
  }

  private static CgroupLayout v2Layout(Path unified) {
    return new CgroupLayout(
        Mode.V2,
        Map.of(
            "cpu", new Hierarchy("cpu", 2, unified),
            "memory", new Hierarchy("memory", 2, unified),
            "pids", new Hierarchy("pids", 2, unified)),
        Optional.of(unified));
  }

  @Test
  void v2WritesEveryLimitConvertedInOrder() throws Exception {
    Path u = tmp.resolve("sys/fs/cgroup");
    FakeCgroupFs fs = v2Fs(u);
    CgroupDriver d = CgroupDriver.detect(v2Layout(u), "glasshouse-test", fs);
    assertTrue(d instanceof CgroupV2Driver);
    assertEquals("v2", d.mode());
    ContainerCgroup cg = d.create("3f9a0b1c2d3e", ALL, CG, log);
    Path p = u.resolve("glasshouse-test");
    Path c = p.resolve("3f9a0b1c2d3e");
    assertEquals(
        List.of(
            u + "/cgroup.subtree_control ← +cpu +memory +pids",
            p + "/cgroup.subtree_control ← +cpu +memory +pids",
            c + "/cpu.weight ← 20",
            c + "/cpu.max ← 50000 100000",
            c + "/memory.max ← 67108864",
            c + "/memory.swap.max ← 90177536",
            c + "/pids.max ← 32"),
        fs.writes);
    assertEquals(List.of(c), cg.paths());
    assertEquals("20", Files.readString(c.resolve("cpu.weight")));
    // mkdir parent, mkdir container, and the seven writes: all helper steps.
    assertEquals(9, entries.size());
    assertTrue(entries.stream().allMatch(e -> e.stage().equals("helper") && e.ok()));
    assertEquals("mkdir", entries.get(3).call());
    assertEquals(Call.mkdir(c.toString(), 0777).args(), entries.get(3).args());
    assertEquals("cgroup-pids", entries.get(8).step());

    // A second container: subtree_control already holds them, so nothing is written there.
    fs.writes.clear();
    d.create("second", new Limits(null, null, null, null, 8), Set.of(Feature.CGROUP_PIDS), log)
        .destroy();
    assertEquals(List.of(p + "/second/pids.max ← 8"), fs.writes);
    assertEquals(List.of("3f9a0b1c2d3e"), d.containers());

    cg.destroy();
    cg.destroy(); // idempotent
    assertFalse(Files.exists(c));
    d.removeParent();
    assertFalse(Files.exists(p));
  }

  @Test
  void v2DeviceFilterIsLoadedAndAttachedToTheContainersDirWithoutAController() throws Exception {
    Path u = tmp.resolve("unified");
    FakeCgroupFs fs = v2Fs(u);
    CgroupDriver d = new CgroupV2Driver(v2Layout(u), "glasshouse-test", fs);
    ContainerCgroup cg = d.create("c1", Limits.NONE, Set.of(Feature.CGROUP_DEVICES), log);
    Path c = u.resolve("glasshouse-test/c1");
    int insns = DeviceFilter.allowing(DeviceRule.DEFAULT).instructions().size();
    assertEquals(
        List.of("open " + c, "load " + insns + " insns", "attach 8 to " + c, "close 8", "close 7"),
        fs.bpf);
    assertEquals(List.of(), fs.writes, "no controller to enable, no file to write");
    List<String> calls =
        entries.stream().filter(e -> e.step().equals("cgroup-devices")).map(e -> e.call()).toList();
    assertEquals(List.of("mkdir", "mkdir", "open", "bpf", "bpf"), calls);
    assertTrue(
        entries.stream().anyMatch(e -> e.args().startsWith("BPF_PROG_ATTACH, {target_fd=7<" + c)),
        entries.toString());
    cg.destroy();
    d.removeParent();
  }

  @Test
  void v2ProcessesAreMovedCountedAndKilledWithCgroupKill() throws Exception {
    Path u = tmp.resolve("unified");
    FakeCgroupFs fs = v2Fs(u);
    CgroupDriver d = new CgroupV2Driver(v2Layout(u), "glasshouse-test", fs);
    ContainerCgroup cg = d.create("c1", Limits.NONE, Set.of(Feature.CGROUP_MEMORY), log);
    Process sleep = new ProcessBuilder("sleep", "60").start();
    try {
      cg.addProcess(sleep.pid(), log);
      assertEquals(List.of(sleep.pid()), cg.pids());
      Files.writeString(cg.paths().get(0).resolve("memory.events"), "low 0\noom 2\noom_kill 1\n");
      assertEquals(1, cg.oomKills());
      cg.destroy();
      assertTrue(fs.writes.contains(cg.paths().get(0) + "/cgroup.kill ← 1"));
      sleep.waitFor();
      assertFalse(Files.exists(cg.paths().get(0)));
    } finally {
      sleep.destroyForcibly();
    }
  }

  @Test
  void v2TracksInAControllerlessCgroupBesideTheParentThatTheSweepFindsAndKills() throws Exception {
    Path u = tmp.resolve("unified");
    FakeCgroupFs fs = v2Fs(u);
    CgroupDriver d = new CgroupV2Driver(v2Layout(u), "glasshouse-test", fs);
    assertTrue(d.unified(), "a container's own v2 cgroup is killed whole: it needs no tracking");
    ContainerCgroup t = d.track("c1", log);
    Path dir = u.resolve("glasshouse-test-tracking/c1");
    assertEquals(List.of(dir), t.paths());
    assertEquals(List.of(), fs.writes, "no controller enabled, no limit written");
    assertEquals(
        List.of(
            Call.mkdir(dir.getParent().toString(), 0777).toString(),
            Call.mkdir(dir.toString(), 0777).toString()),
        entries.stream().map(e -> new Call(e.call(), e.args()).toString()).toList());
    assertTrue(entries.stream().allMatch(e -> e.step().equals("track")));
    assertTrue(CgroupDriver.isTracking("/glasshouse-test-tracking/c1"));
    assertTrue(CgroupDriver.isTracking("/system.slice/x.service/glasshouse-tracking/c1"));
    assertFalse(CgroupDriver.isTracking("/glasshouse-test/c1"));
    assertFalse(CgroupDriver.isTracking("/"));
    Process sleep = new ProcessBuilder("sleep", "60").start();
    try {
      t.addProcess(sleep.pid(), log);
      assertEquals(List.of("c1"), d.containers(), "the start-up sweep finds it");
      d.open("c1", log).destroy(); // as the sweep does
      assertTrue(fs.writes.contains(dir + "/cgroup.kill ← 1"), fs.writes.toString());
      assertTrue(sleep.waitFor(5, java.util.concurrent.TimeUnit.SECONDS));
      assertFalse(Files.exists(dir));
      d.removeParent();
      assertFalse(Files.exists(dir.getParent()), "the tracking parent goes with the parent");
    } finally {
      sleep.destroyForcibly();
    }
  }

  @Test
  void withoutCgroupKillTheTrackedAreKilledInsideAFreeze() throws Exception {
    Path u = tmp.resolve("unified");
    // Linux 5.2 to 5.13: cgroup.freeze but no cgroup.kill.
    List<String> files = new ArrayList<>(V2_FILES);
    files.remove("cgroup.kill");
    files.add("cgroup.freeze");
    FakeCgroupFs fs = v2Fs(u, files);
    CgroupDriver d = new CgroupV2Driver(v2Layout(u), "glasshouse-test", fs);
    ContainerCgroup t = d.track("c1", log);
    Path dir = t.paths().get(0);
    Process sleep = new ProcessBuilder("sleep", "60").start();
    try {
      t.addProcess(sleep.pid(), log);
      t.destroy();
      assertTrue(sleep.waitFor(5, java.util.concurrent.TimeUnit.SECONDS));
      // Frozen, killed, thawed (again if the killed one was still there at the next look).
      assertEquals(dir + "/cgroup.procs ← " + sleep.pid(), fs.writes.get(0));
      assertEquals(dir + "/cgroup.freeze ← 1", fs.writes.get(1));
      assertEquals(dir + "/cgroup.freeze ← 0", fs.writes.get(fs.writes.size() - 1));
      assertFalse(Files.exists(dir));
    } finally {
      sleep.destroyForcibly();
    }
  }

  @Test
  void hybridTracksOnTheUnifiedMountAndAV1OnlyHostCannot() throws Exception {
    Path cpuMount = tmp.resolve("cpu");
    Path u = tmp.resolve("unified");
    FakeCgroupFs fs =
        new FakeCgroupFs(
            Map.of(
                cpuMount, List.of("cgroup.procs", "tasks", "cpu.shares"),
                u, List.of("cgroup.procs", "cgroup.kill")));
    fs.root(cpuMount);
    fs.root(u);
    CgroupDriver d =
        new CgroupV1Driver(
            new CgroupLayout(
                Mode.HYBRID, Map.of("cpu", new Hierarchy("cpu", 1, cpuMount)), Optional.of(u)),
            "glasshouse-test",
            fs);
    assertFalse(d.unified(), "a v1 cgroup is killed pid by pid: a container with one is tracked");
    ContainerCgroup t = d.track("c1", log);
    Path dir = u.resolve("glasshouse-test-tracking/c1");
    assertEquals(List.of(dir), t.paths());
    assertEquals(List.of("c1"), d.containers());
    assertTrue(d.open("c1", log).paths().contains(dir), "the sweep's cleanup includes it");
    t.destroy();
    assertFalse(Files.exists(dir));
    d.removeParent();
    assertFalse(Files.exists(dir.getParent()));
    CgroupDriver v1Only =
        new CgroupV1Driver(
            new CgroupLayout(
                Mode.V1, Map.of("cpu", new Hierarchy("cpu", 1, cpuMount)), Optional.empty()),
            "glasshouse-test",
            fs);
    assertEquals(null, v1Only.track("c2", log), "no cgroup2 mount: nothing to track with");
  }

  @Test
  void destroyRemovesChildCgroupsAContainerMadeDeepestFirst() throws Exception {
    Path u = tmp.resolve("unified");
    // A kernel before 5.14 has no cgroup.kill: SIGKILL pid by pid.
    FakeCgroupFs fs = v2Fs(u, V2_FILES.stream().filter(f -> !f.equals("cgroup.kill")).toList());
    CgroupDriver d = new CgroupV2Driver(v2Layout(u), "glasshouse-test", fs);
    ContainerCgroup cg = d.create("c1", Limits.NONE, Set.of(Feature.CGROUP_PIDS), log);
    Path child = cg.paths().get(0).resolve("inner");
    fs.mkdir(child);
    Process sleep = new ProcessBuilder("sleep", "60").start();
    try {
      fs.write(child.resolve("cgroup.procs"), Long.toString(sleep.pid()));
      assertEquals(List.of(sleep.pid()), cg.pids());
      cg.destroy();
      assertTrue(sleep.waitFor(5, java.util.concurrent.TimeUnit.SECONDS));
      assertFalse(Files.exists(cg.paths().get(0)));
      List<String> rmdirs =
          entries.stream().filter(e -> e.call().equals("rmdir")).map(StepEntry::args).toList();
      assertEquals(List.of("\"" + child + "\"", "\"" + cg.paths().get(0) + "\""), rmdirs);
    } finally {
      sleep.destroyForcibly();
    }
  }

  @Test
  void v2FailsClearlyWhenAControllerIsMissingAndLeavesNothing() throws Exception {
    Path u = tmp.resolve("unified");
    FakeCgroupFs fs = new FakeCgroupFs(Map.of(u, V2_FILES));
    fs.root(u, "cgroup.controllers", "cpu io");
    CgroupDriver d = new CgroupV2Driver(v2Layout(u), "glasshouse-test", fs);
    StepLog.StepException e =
        assertThrows(StepLog.StepException.class, () -> d.create("c1", ALL, CG, log));
    assertEquals("cgroup-memory", e.entry().step());
    assertTrue(e.entry().explanation().contains("memory controller is not available"));
    assertFalse(Files.exists(u.resolve("glasshouse-test/c1")));
  }

  @Test
  void conversionsAndValidation() {
    assertEquals(1, CgroupLimits.sharesToWeight(2));
    assertEquals(39, CgroupLimits.sharesToWeight(1024));
    assertEquals(10000, CgroupLimits.sharesToWeight(262144));
    assertEquals(150000, CgroupLimits.quotaMicros(1.5));
    assertEquals(1000, CgroupLimits.quotaMicros(0.001));
    assertThrows(
        IllegalArgumentException.class,
        () -> CgroupLimits.validate(new Limits(64L << 20, 32L << 20, null, null, null)));
    assertThrows(
        IllegalArgumentException.class,
        () -> CgroupLimits.validate(new Limits(null, 32L << 20, null, null, null)));
    assertThrows(
        IllegalArgumentException.class,
        () -> CgroupLimits.validate(new Limits(null, null, 1, null, null)));
    assertThrows(
        IllegalArgumentException.class,
        () -> CgroupLimits.validate(new Limits(null, null, null, 0.0, null)));
    assertThrows(
        IllegalArgumentException.class,
        () -> CgroupLimits.validate(new Limits(null, null, null, null, 0)));
  }

  // ---- v1 ---------------------------------------------------------------------------------

  private Path cpu;
  private Path cpuacct;
  private Path memory;
  private Path pids;
  private Path devices;

  private FakeCgroupFs v1Fs(boolean swapAccounting) throws IOException {
    devices = tmp.resolve("sys/fs/cgroup/devices");
    cpu = tmp.resolve("sys/fs/cgroup/cpu");
    cpuacct = tmp.resolve("sys/fs/cgroup/cpuacct");
    memory = tmp.resolve("sys/fs/cgroup/memory");
    pids = tmp.resolve("sys/fs/cgroup/pids");
    List<String> mem =
        new ArrayList<>(
            List.of("cgroup.procs", "tasks", "memory.limit_in_bytes", "memory.oom_control"));
    if (swapAccounting) {
      mem.add("memory.memsw.limit_in_bytes");
    }
    FakeCgroupFs fs =
        new FakeCgroupFs(
            Map.of(
                cpu,
                    List.of(
                        "cgroup.procs",
                        "tasks",
                        "cpu.shares",
                        "cpu.cfs_period_us",
                        "cpu.cfs_quota_us"),
                cpuacct, List.of("cgroup.procs", "tasks", "cpuacct.usage"),
                memory, mem,
                pids, List.of("cgroup.procs", "tasks", "pids.max"),
                devices, List.of("cgroup.procs", "tasks", "devices.allow", "devices.deny")));
    for (Path m : List.of(cpu, cpuacct, memory, pids, devices)) {
      fs.root(m);
    }
    return fs;
  }

  private CgroupLayout v1Layout() {
    return new CgroupLayout(
        Mode.HYBRID,
        Map.of(
            "cpu", new Hierarchy("cpu", 1, cpu),
            "cpuacct", new Hierarchy("cpuacct", 1, cpuacct),
            "memory", new Hierarchy("memory", 1, memory),
            "pids", new Hierarchy("pids", 1, pids),
            "devices", new Hierarchy("devices", 1, devices)),
        Optional.of(tmp.resolve("sys/fs/cgroup/unified")));
  }

  @Test
  void v1DeviceListDeniesEverythingThenAllowsEachRule() throws Exception {
    FakeCgroupFs fs = v1Fs(true);
    CgroupDriver d = new CgroupV1Driver(v1Layout(), "glasshouse-test", fs);
    ContainerCgroup cg =
        d.create("3f9a", Limits.NONE, Set.of(Feature.CGROUP_CPU, Feature.CGROUP_DEVICES), log);
    Path dir = devices.resolve("glasshouse-test/3f9a");
    List<String> expected = new ArrayList<>();
    expected.add(dir + "/devices.deny ← a");
    for (DeviceRule r : DeviceRule.DEFAULT) {
      expected.add(dir + "/devices.allow ← " + r.v1());
    }
    assertEquals(expected, fs.writes);
    assertTrue(expected.contains(dir + "/devices.allow ← c 1:3 rwm"));
    assertTrue(expected.contains(dir + "/devices.allow ← c 136:* rwm"));
    assertFalse(fs.writes.stream().anyMatch(w -> w.contains("devices.allow ← b 254")));
    assertEquals(
        List.of(cpu.resolve("glasshouse-test/3f9a"), cpuacct.resolve("glasshouse-test/3f9a"), dir),
        cg.paths());
    assertTrue(
        entries.stream()
            .filter(e -> e.args().contains("devices."))
            .allMatch(e -> e.step().equals("cgroup-devices") && e.call().equals("write")));
    cg.destroy();
    d.removeParent();
  }

  @Test
  void v1WritesEveryLimitInEachHierarchy() throws Exception {
    FakeCgroupFs fs = v1Fs(true);
    CgroupDriver d = CgroupDriver.detect(v1Layout(), "glasshouse-test", fs);
    assertTrue(d instanceof CgroupV1Driver);
    assertEquals("hybrid", d.mode());
    ContainerCgroup cg = d.create("3f9a", ALL, CG, log);
    String id = "glasshouse-test/3f9a";
    assertEquals(
        List.of(
            cpu + "/" + id + "/cpu.shares ← 512",
            cpu + "/" + id + "/cpu.cfs_period_us ← 100000",
            cpu + "/" + id + "/cpu.cfs_quota_us ← 50000",
            memory + "/" + id + "/memory.limit_in_bytes ← 67108864",
            memory + "/" + id + "/memory.memsw.limit_in_bytes ← 157286400",
            pids + "/" + id + "/pids.max ← 32"),
        fs.writes);
    assertEquals(
        List.of(cpu.resolve(id), cpuacct.resolve(id), memory.resolve(id), pids.resolve(id)),
        cg.paths());
    Process sleep = new ProcessBuilder("sleep", "60").start();
    try {
      cg.addProcess(sleep.pid(), log);
      for (Path p : cg.paths()) {
        assertEquals(sleep.pid() + "\n", fs.read(p.resolve("cgroup.procs")));
      }
      assertEquals(List.of(sleep.pid()), cg.pids());
      Files.writeString(
          memory.resolve(id).resolve("memory.oom_control"),
          "oom_kill_disable 0\nunder_oom 0\noom_kill 3\n");
      assertEquals(3, cg.oomKills());
      cg.destroy();
      assertFalse(sleep.isAlive());
    } finally {
      sleep.destroyForcibly();
    }
    for (Path p : cg.paths()) {
      assertFalse(Files.exists(p));
    }
    long rmdirs = entries.stream().filter(e -> e.call().equals("rmdir") && e.ok()).count();
    assertEquals(4, rmdirs);
    // A container cgroup left in one hierarchy keeps that parent; the others still go.
    Files.createDirectories(memory.resolve("glasshouse-test/left"));
    IOException e = assertThrows(IOException.class, d::removeParent);
    assertTrue(
        e.getMessage().startsWith("cannot remove the cgroup parent " + memory), e.getMessage());
    assertFalse(Files.exists(cpu.resolve("glasshouse-test")));
    assertFalse(Files.exists(pids.resolve("glasshouse-test")));
    Files.delete(memory.resolve("glasshouse-test/left"));
    d.removeParent();
    assertFalse(Files.exists(memory.resolve("glasshouse-test")));
  }

  @Test
  void v1WithoutSwapAccountingFailsTheStepWithAnExplanation() throws Exception {
    FakeCgroupFs fs = v1Fs(false);
    CgroupDriver d = new CgroupV1Driver(v1Layout(), "glasshouse-test", fs);
    StepLog.StepException e =
        assertThrows(StepLog.StepException.class, () -> d.create("c1", ALL, CG, log));
    assertTrue(
        e.entry().args().endsWith("memory.memsw.limit_in_bytes\", \"157286400\""),
        e.entry().args());
    assertEquals("ENOENT", e.entry().errno(), e.entry().toString());
    assertTrue(e.entry().explanation().contains("swapaccount=1"), e.entry().explanation());
    for (Path m : List.of(cpu, cpuacct, memory, pids)) {
      assertFalse(Files.exists(m.resolve("glasshouse-test/c1")), "rolled back in " + m);
    }
    // A name that exists already fails the mkdir and the existing cgroup is left alone.
    Files.createDirectories(memory.resolve("glasshouse-test/taken"));
    StepLog.StepException taken =
        assertThrows(
            StepLog.StepException.class,
            () ->
                d.create(
                    "taken", Limits.NONE, Set.of(Feature.CGROUP_CPU, Feature.CGROUP_MEMORY), log));
    assertTrue(taken.entry().explanation().contains("exists already"));
    assertTrue(Files.isDirectory(memory.resolve("glasshouse-test/taken")), "not ours: kept");
    assertFalse(Files.exists(cpu.resolve("glasshouse-test/taken")), "ours: rolled back");
    Files.delete(memory.resolve("glasshouse-test/taken"));
    // Without --memory-swap the same kernel is fine.
    d.create(
            "c2", new Limits(64L << 20, null, null, null, null), Set.of(Feature.CGROUP_MEMORY), log)
        .destroy();
  }

  @Test
  void v1MissingHierarchyIsAStepFailure() throws Exception {
    v1Fs(true);
    CgroupLayout noPids =
        new CgroupLayout(
            Mode.V1, Map.of("memory", new Hierarchy("memory", 1, memory)), Optional.empty());
    CgroupDriver d = new CgroupV1Driver(noPids, "glasshouse-test", new CgroupFs());
    StepLog.StepException e =
        assertThrows(
            StepLog.StepException.class,
            () -> d.create("c1", Limits.NONE, Set.of(Feature.CGROUP_PIDS), log));
    assertTrue(e.entry().explanation().contains("no cgroup v1 pids hierarchy"));
    assertThrows(
        IllegalArgumentException.class,
        () -> d.create("../x", Limits.NONE, Set.of(Feature.CGROUP_MEMORY), log));
    assertThrows(
        IllegalArgumentException.class,
        () -> d.create("c3", Limits.NONE, Set.of(Feature.CHROOT), log));
  }
}

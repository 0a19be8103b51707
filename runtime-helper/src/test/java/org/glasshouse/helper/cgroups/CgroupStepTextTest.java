package org.glasshouse.helper.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
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

/**
 * A cgroup write is one call with one text, as every syscall is ({@link Call#writeFile}): its step
 * entry names the file and the value written, {@code write("…/memory.max", "67108864")}, and when
 * the kernel refuses it the entry and the error say exactly that, with the errno: {@code
 * write("…/memory.max", "67108864") = -1 EINVAL (Invalid argument)}. Both drivers, every limit, the
 * level 09 bonus controls and the moves of a process.
 */
class CgroupStepTextTest {
  @TempDir Path tmp;

  static final long MIB = 1L << 20;

  /** Every limit and bonus control the version has. */
  static final Limits V1_ALL =
      new Limits(64 * MIB, 150 * MIB, 512, 0.5, 32, 32 * MIB, 10, true, null, null);

  static final Limits V2_ALL =
      new Limits(64 * MIB, 150 * MIB, 512, 0.5, 32, 32 * MIB, null, null, true, null);

  static final Set<Feature> ALL_CGROUPS =
      Set.of(
          Feature.CGROUP_CPU, Feature.CGROUP_MEMORY, Feature.CGROUP_PIDS, Feature.CGROUP_DEVICES);

  /** A pid no process has: moved around, never killed. */
  static final long NO_PROCESS = 999_999_999L;

  /** The fake cgroupfs whose {@code failAt}-th write (0-based) is refused with EINVAL. */
  static final class Refusing extends FakeCgroupFs {
    private final int failAt;
    private int n;

    Refusing(Map<Path, List<String>> files, int failAt) {
      super(files);
      this.failAt = failAt;
    }

    @Override
    public void write(Path file, String value) throws IOException {
      if (n++ == failAt) {
        // What FileChannel's write(2) throws: glibc's sentence, no errno.
        throw new IOException("Invalid argument");
      }
      super.write(file, value);
    }
  }

  private Map<Path, List<String>> v1Files() {
    Path root = tmp.resolve("sys/fs/cgroup");
    return Map.of(
        root.resolve("cpu"),
        List.of("cgroup.procs", "tasks", "cpu.shares", "cpu.cfs_period_us", "cpu.cfs_quota_us"),
        root.resolve("cpuacct"),
        List.of("cgroup.procs", "tasks"),
        root.resolve("memory"),
        List.of(
            "cgroup.procs",
            "tasks",
            "memory.limit_in_bytes",
            "memory.memsw.limit_in_bytes",
            "memory.soft_limit_in_bytes",
            "memory.swappiness",
            "memory.oom_control"),
        root.resolve("pids"),
        List.of("cgroup.procs", "tasks", "pids.max"),
        root.resolve("devices"),
        List.of("cgroup.procs", "tasks", "devices.allow", "devices.deny"));
  }

  private CgroupDriver v1(FakeCgroupFs fs) throws IOException {
    Path root = tmp.resolve("sys/fs/cgroup");
    Map<String, Hierarchy> h = new java.util.HashMap<>();
    for (String c : List.of("cpu", "cpuacct", "memory", "pids", "devices")) {
      fs.root(root.resolve(c));
      h.put(c, new Hierarchy(c, 1, root.resolve(c)));
    }
    return new CgroupV1Driver(
        new CgroupLayout(Mode.HYBRID, h, Optional.of(root.resolve("unified"))),
        "glasshouse-test",
        fs);
  }

  private Map<Path, List<String>> v2Files() {
    return Map.of(
        tmp.resolve("sys/fs/cgroup"),
        List.of(
            "cgroup.procs",
            "cgroup.controllers",
            "cgroup.subtree_control",
            "cpu.weight",
            "cpu.max",
            "memory.max",
            "memory.swap.max",
            "memory.high",
            "memory.oom.group",
            "pids.max"));
  }

  private CgroupDriver v2(FakeCgroupFs fs) throws IOException {
    Path u = tmp.resolve("sys/fs/cgroup");
    fs.root(u, "cgroup.controllers", "cpu memory pids");
    Map<String, Hierarchy> h = new java.util.HashMap<>();
    for (String c : List.of("cpu", "memory", "pids")) {
      h.put(c, new Hierarchy(c, 2, u));
    }
    return new CgroupV2Driver(new CgroupLayout(Mode.V2, h, Optional.of(u)), "glasshouse-test", fs);
  }

  @FunctionalInterface
  interface Driver {
    CgroupDriver of(FakeCgroupFs fs) throws IOException;
  }

  @Test
  void v1WritesAreLoggedAsTheirCallsAndFailAsThem() throws Exception {
    check(this::v1Files, this::v1, V1_ALL, "v1");
  }

  @Test
  void v2WritesAreLoggedAsTheirCallsAndFailAsThem() throws Exception {
    check(this::v2Files, this::v2, V2_ALL, "v2");
  }

  private void check(
      java.util.function.Supplier<Map<Path, List<String>>> files,
      Driver driver,
      Limits limits,
      String version)
      throws Exception {
    // Everything succeeds: each write's entry is the call of what was written, nothing else.
    List<StepEntry> entries = new ArrayList<>();
    StepLog log = new StepLog(entries::add);
    FakeCgroupFs fs = new FakeCgroupFs(files.get());
    CgroupDriver d = driver.of(fs);
    ContainerCgroup cg = d.create("c0ffee", limits, ALL_CGROUPS, log);
    cg.addProcess(NO_PROCESS, log);
    cg.enterRoots(NO_PROCESS, log);
    List<String> logged =
        entries.stream()
            .filter(e -> e.call().equals("write"))
            .map(e -> e.call() + "(" + e.args() + ")")
            .toList();
    List<String> written =
        fs.writes.stream()
            .map(w -> w.split(" ← ", 2))
            .map(w -> Call.writeFile(w[0], w[1]).toString())
            .toList();
    assertEquals(written, logged, version + ": the step log names each file and value written");
    assertTrue(logged.size() > 10, logged.toString());
    cg.destroy();
    d.removeParent();

    // Each write refused in turn: the entry that fails reads as the one that succeeded, and the
    // error is that text with the errno.
    int creates = (int) logged.stream().takeWhile(l -> !l.contains("cgroup.procs")).count();
    for (int i = 0; i < creates; i++) {
      List<StepEntry> failedRun = new ArrayList<>();
      Refusing refusing = new Refusing(files.get(), i);
      CgroupDriver r = driver.of(refusing);
      StepLog.StepException e =
          assertThrows(
              StepLog.StepException.class,
              () -> r.create("c0ffee", limits, ALL_CGROUPS, new StepLog(failedRun::add)));
      StepEntry failed = e.entry();
      String text = failed.call() + "(" + failed.args() + ")";
      assertEquals(logged.get(i), text, version + ": write " + i);
      assertEquals("EINVAL", failed.errno(), failed.toString());
      assertEquals("Invalid argument", failed.message(), failed.toString());
      assertEquals(text + " = -1 EINVAL (Invalid argument)", e.getMessage());
      r.removeParent();
    }
  }
}

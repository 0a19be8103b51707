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
import org.glasshouse.helper.inspect.CgroupV1Reader;
import org.glasshouse.helper.inspect.CgroupV2Reader;
import org.glasshouse.helper.plan.StepLog;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.Limits;
import org.glasshouse.protocol.StepEntry;
import org.glasshouse.protocol.inspect.CgroupStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Level 09's bonus controls on a fake cgroupfs, v1 and v2: exact files, values and order; a control
 * the version lacks fails with its counterpart named; a kmem limit the kernel drops is caught by
 * reading it back; the readers give the values back.
 */
class MemoryBonusFakeTest {
  @TempDir Path tmp;
  final List<StepEntry> entries = new ArrayList<>();
  final StepLog log = new StepLog(entries::add);

  static final long MIB = 1L << 20;
  static final Set<Feature> MEM = Set.of(Feature.CGROUP_MEMORY);

  static Limits limits(Long soft, Integer swappiness, Boolean oomOff, Boolean oomGroup, Long kmem) {
    return new Limits(64 * MIB, null, null, null, null, soft, swappiness, oomOff, oomGroup, kmem);
  }

  // ---- v2 ----

  private Path unified;

  private CgroupDriver v2(FakeCgroupFs fs) {
    return new CgroupV2Driver(
        new CgroupLayout(
            Mode.V2, Map.of("memory", new Hierarchy("memory", 2, unified)), Optional.of(unified)),
        "glasshouse-test",
        fs);
  }

  private FakeCgroupFs v2Fs() throws IOException {
    unified = tmp.resolve("sys/fs/cgroup");
    FakeCgroupFs fs =
        new FakeCgroupFs(
            Map.of(
                unified,
                List.of(
                    "cgroup.procs",
                    "cgroup.controllers",
                    "cgroup.subtree_control",
                    "memory.max",
                    "memory.high",
                    "memory.swap.max",
                    "memory.oom.group",
                    "memory.events",
                    "memory.current")));
    fs.root(unified, "cgroup.controllers", "cpu memory pids");
    return fs;
  }

  @Test
  void v2WritesMemoryHighAndOomGroupAfterTheHardLimit() throws Exception {
    FakeCgroupFs fs = v2Fs();
    ContainerCgroup cg = v2(fs).create("c2", limits(32 * MIB, null, null, true, null), MEM, log);
    Path c = unified.resolve("glasshouse-test/c2");
    assertEquals(
        List.of(
            unified + "/cgroup.subtree_control ← +memory",
            unified + "/glasshouse-test/cgroup.subtree_control ← +memory",
            c + "/memory.max ← 67108864",
            c + "/memory.high ← 33554432",
            c + "/memory.oom.group ← 1"),
        fs.writes);
    Files.writeString(c.resolve("memory.current"), "1048576\n");
    Files.writeString(
        c.resolve("memory.events"), "low 0\nhigh 12\nmax 3\noom 1\noom_kill 1\noom_group_kill 1\n");
    CgroupStats.Memory m = new CgroupV2Reader(c).memory();
    assertEquals(33554432L, m.softLimitBytes());
    assertEquals(Boolean.TRUE, m.oomGroup());
    assertEquals(12L, m.highEvents());
    assertEquals(1L, m.oomKills());
    assertEquals(null, m.underOom(), "a v1 state");
    cg.destroy();
  }

  @Test
  void v2RefusesTheV1OnlyControlsNamingTheirCounterpart() throws Exception {
    record Case(Limits limits, String file, String hint) {}
    List<Case> cases =
        List.of(
            new Case(limits(null, 10, null, null, null), "memory.swappiness", "memory.swap.max"),
            new Case(limits(null, null, true, null, null), "memory.oom_control", "memory.high"),
            new Case(limits(null, null, null, null, 16 * MIB), "memory.kmem", "memory.max"));
    for (Case k : cases) {
      FakeCgroupFs fs = v2Fs();
      entries.clear();
      StepLog.StepException e =
          assertThrows(
              StepLog.StepException.class, () -> v2(fs).create("c3", k.limits(), MEM, log));
      StepEntry failed = e.entry();
      assertEquals("cgroup-memory", failed.step());
      assertTrue(
          failed.args().endsWith(k.file()) || failed.args().contains(k.file()), failed.args());
      assertTrue(failed.explanation().contains("v2"), failed.explanation());
      assertTrue(failed.explanation().contains(k.hint()), failed.explanation());
      assertFalse(Files.exists(unified.resolve("glasshouse-test/c3")), "undone");
    }
  }

  // ---- v1 ----

  private Path memory;

  private CgroupDriver v1(FakeCgroupFs fs) {
    return new CgroupV1Driver(
        new CgroupLayout(
            Mode.HYBRID, Map.of("memory", new Hierarchy("memory", 1, memory)), Optional.empty()),
        "glasshouse-test",
        fs);
  }

  private static final List<String> V1_FILES =
      List.of(
          "cgroup.procs",
          "tasks",
          "memory.limit_in_bytes",
          "memory.soft_limit_in_bytes",
          "memory.swappiness",
          "memory.oom_control",
          "memory.kmem.limit_in_bytes",
          "memory.usage_in_bytes");

  /** A v1 memory hierarchy; with {@code dropsKmem} it behaves like Linux ≥ 5.16's kmem file. */
  private FakeCgroupFs v1Fs(boolean dropsKmem) throws IOException {
    memory = tmp.resolve("sys/fs/cgroup/memory");
    FakeCgroupFs fs =
        new FakeCgroupFs(Map.of(memory, V1_FILES)) {
          @Override
          public void write(Path file, String value) throws IOException {
            if (file.getFileName().toString().equals("memory.oom_control")) {
              // The kernel shows it back as "oom_kill_disable 1\nunder_oom 0\n…".
              super.write(file, "oom_kill_disable " + value + "\nunder_oom 0\noom_kill 0\n");
              writes.set(writes.size() - 1, file + " ← " + value);
              return;
            }
            if (dropsKmem && file.getFileName().toString().equals("memory.kmem.limit_in_bytes")) {
              // Accepted, and dropped: the file still says "unlimited".
              super.write(file, "9223372036854771712\n");
              writes.set(writes.size() - 1, file + " ← " + value);
              return;
            }
            super.write(file, value);
          }
        };
    fs.root(memory);
    return fs;
  }

  @Test
  void v1WritesSoftLimitSwappinessOomControlAndKmemAndReadsKmemBack() throws Exception {
    FakeCgroupFs fs = v1Fs(false);
    ContainerCgroup cg = v1(fs).create("c1", limits(32 * MIB, 10, true, null, 16 * MIB), MEM, log);
    Path c = memory.resolve("glasshouse-test/c1");
    assertEquals(
        List.of(
            c + "/memory.limit_in_bytes ← 67108864",
            c + "/memory.soft_limit_in_bytes ← 33554432",
            c + "/memory.swappiness ← 10",
            c + "/memory.oom_control ← 1",
            c + "/memory.kmem.limit_in_bytes ← 16777216"),
        fs.writes);
    StepEntry readBack = entries.get(entries.size() - 1);
    assertEquals("read", readBack.call());
    assertEquals("16777216", readBack.result());
    Files.writeString(c.resolve("memory.usage_in_bytes"), "16777216\n");
    Files.writeString(c.resolve("memory.oom_control"), "oom_kill_disable 1\nunder_oom 1\n");
    CgroupStats.Memory m = new CgroupV1Reader(null, null, c, null).memory();
    assertEquals(33554432L, m.softLimitBytes());
    assertEquals(10L, m.swappiness());
    assertEquals(Boolean.TRUE, m.oomKillDisabled());
    assertEquals(Boolean.TRUE, m.underOom(), "waiting for memory at its limit");
    cg.destroy();
  }

  @Test
  void v1AKmemLimitTheKernelDropsFailsTheStartWithTheReason() throws Exception {
    FakeCgroupFs fs = v1Fs(true);
    StepLog.StepException e =
        assertThrows(
            StepLog.StepException.class,
            () -> v1(fs).create("c4", limits(null, null, null, null, 16 * MIB), MEM, log));
    assertEquals("read", e.entry().call());
    assertTrue(e.entry().explanation().contains("ignores kernel memory limits"), e.toString());
    assertFalse(Files.exists(memory.resolve("glasshouse-test/c4")), "undone");
  }

  @Test
  void v1RefusesOomGroupNamingTheV1Counterpart() throws Exception {
    FakeCgroupFs fs = v1Fs(false);
    StepLog.StepException e =
        assertThrows(
            StepLog.StepException.class,
            () -> v1(fs).create("c5", limits(null, null, null, true, null), MEM, log));
    assertTrue(e.entry().args().endsWith("memory.oom.group\", \"1\""), e.entry().args());
    assertEquals("ENOENT", e.entry().errno(), e.entry().toString());
    assertTrue(e.entry().explanation().contains("memory.oom_control"), e.entry().explanation());
  }

  @Test
  void theLimitsAreCheckedBeforeAnyFileIsWritten() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            CgroupLimits.validate(
                new Limits(32 * MIB, null, null, null, null, 64 * MIB, null, null, null, null)));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            CgroupLimits.validate(
                new Limits(null, null, null, null, null, null, null, true, null, null)));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            CgroupLimits.validate(
                new Limits(null, null, null, null, null, null, 101, null, null, null)));
  }
}

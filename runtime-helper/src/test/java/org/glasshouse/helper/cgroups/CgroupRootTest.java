package org.glasshouse.helper.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.glasshouse.helper.plan.StepLog;
import org.glasshouse.helper.runtime.TestSupport;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.Limits;
import org.glasshouse.protocol.StepEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The detected driver on this machine's real cgroupfs (hybrid here: the v1 driver). */
@Tag("root")
@Tag("cgroup")
class CgroupRootTest {
  String parent;
  CgroupDriver driver;
  final List<StepEntry> entries = new ArrayList<>();
  final StepLog log = new StepLog(entries::add);

  @BeforeEach
  void setUp() {
    TestSupport.requireRoot("cgroup tests");
    parent = "glasshouse-test-" + UUID.randomUUID().toString().substring(0, 8);
    driver = CgroupDriver.detect(CgroupLayout.detect(Path.of("/")), parent);
    System.out.println(
        "cgroup mode: " + driver.mode() + ", driver " + driver.getClass().getSimpleName());
  }

  @AfterEach
  void tearDown() throws Exception {
    if (driver == null) {
      return;
    }
    for (String id : driver.containers()) {
      driver.open(id, log).destroy();
    }
    driver.removeParent();
    for (Path p : driver.parentPaths()) {
      assertFalse(Files.exists(p), "left behind: " + p);
    }
  }

  @Test
  void limitsProcessesAndDestroyOnTheRealKernel() throws Exception {
    Limits limits = new Limits(64L << 20, 96L << 20, 512, 0.5, 32);
    Set<Feature> features = Set.of(Feature.CGROUP_CPU, Feature.CGROUP_MEMORY, Feature.CGROUP_PIDS);
    ContainerCgroup cg = driver.create("0123456789ab", limits, features, log);
    for (StepEntry e : entries) {
      System.out.println("  " + e.call() + " " + e.args());
    }
    if (driver instanceof CgroupV1Driver) {
      assertEquals("512", value(cg, "cpu.shares"));
      assertEquals("50000", value(cg, "cpu.cfs_quota_us"));
      assertEquals("100000", value(cg, "cpu.cfs_period_us"));
      assertEquals(Long.toString(64L << 20), value(cg, "memory.limit_in_bytes"));
      if (hasFile(cg, "memory.memsw.limit_in_bytes")) {
        assertEquals(Long.toString(96L << 20), value(cg, "memory.memsw.limit_in_bytes"));
      }
      assertEquals("32", value(cg, "pids.max"));
    } else {
      assertEquals("20", value(cg, "cpu.weight"));
      assertEquals("50000 100000", value(cg, "cpu.max"));
      assertEquals(Long.toString(64L << 20), value(cg, "memory.max"));
      assertEquals(Long.toString(32L << 20), value(cg, "memory.swap.max"));
      assertEquals("32", value(cg, "pids.max"));
    }

    Process sleep = new ProcessBuilder("sleep", "600").start();
    try {
      cg.addProcess(sleep.pid(), log);
      assertEquals(List.of(sleep.pid()), cg.pids());
      for (Path p : cg.paths()) {
        assertTrue(
            Files.readString(p.resolve("cgroup.procs"))
                .lines()
                .toList()
                .contains(Long.toString(sleep.pid())),
            p.toString());
      }
      String self = Files.readString(Path.of("/proc/" + sleep.pid() + "/cgroup"));
      assertTrue(self.contains("/" + parent + "/0123456789ab"), self);
      assertEquals(0, cg.oomKills());
      cg.destroy();
      // destroy() returns once the cgroup is empty: the process is dead, but the JDK learns it
      // only when its reaper thread has waited for it, which a loaded machine can delay.
      assertTrue(sleep.waitFor(10, TimeUnit.SECONDS), "destroy() killed the process");
    } finally {
      sleep.destroyForcibly();
    }
    for (Path p : cg.paths()) {
      assertFalse(Files.exists(p), "removed: " + p);
    }
    assertEquals(List.of(), driver.containers());
  }

  @Test
  void aMemoryHogIsOomKilledAndCounted() throws Exception {
    Limits limits = new Limits(32L << 20, 32L << 20, null, null, null);
    ContainerCgroup cg = driver.create("oom0000000ab", limits, Set.of(Feature.CGROUP_MEMORY), log);
    // Only the hog is in the cgroup: tail keeps a newline-free stream in memory until the OOM
    // killer stops it, and its shell moves itself in before exec'ing it. sh and head stay outside,
    // so the killer has one candidate: on a slow machine (the QEMU guest) tail's memory is
    // reclaimed late, and a shell in the cgroup was taken as a second victim (two kills, no exit
    // status to read). Lowering sh's oom_score_adj instead needs CAP_SYS_RESOURCE, which root
    // lacks on some machines (ours).
    Path procs = cg.paths().get(0).resolve("cgroup.procs");
    Process sh =
        new ProcessBuilder(
                "sh",
                "-c",
                "head -c 256m /dev/zero | sh -c 'echo $$ >"
                    + procs
                    + " && exec tail' >/dev/null; echo $?")
            .start();
    try {
      String status = new String(sh.getInputStream().readAllBytes()).trim();
      sh.waitFor();
      System.out.println(
          "memory hog pipeline exit status " + status + ", oom kills " + cg.oomKills());
      assertEquals(1, cg.oomKills());
      assertEquals("137", status, "tail was SIGKILLed");
    } finally {
      sh.destroyForcibly();
      cg.destroy();
    }
  }

  @Test
  void forksBeyondPidsMaxFail() throws Exception {
    ContainerCgroup cg =
        driver.create(
            "pids00000000",
            new Limits(null, null, null, null, 8),
            Set.of(Feature.CGROUP_PIDS),
            log);
    // The shell forks sleeps until the kernel refuses (dash then gives up); the sleeps that made
    // it stay in the cgroup, their output away from the pipe so reading it ends with the shell.
    Process sh =
        new ProcessBuilder(
                "sh",
                "-c",
                "read go; for i in 1 2 3 4 5 6 7 8 9 10 11 12; do"
                    + " sleep 60 </dev/null >/dev/null 2>&1 & done; echo started")
            .redirectErrorStream(true)
            .start();
    try {
      cg.addProcess(sh.pid(), log);
      sh.getOutputStream().write("go\n".getBytes());
      sh.getOutputStream().flush();
      String out = new String(sh.getInputStream().readAllBytes());
      sh.waitFor();
      int n = cg.pids().size();
      System.out.println("tasks left under pids.max 8: " + n + "; the shell said: " + out.trim());
      assertTrue(n >= 1 && n <= 8, "1..8 tasks, got " + n);
      assertFalse(out.contains("started"), out);
      assertTrue(out.contains("fork"), out);
    } finally {
      cg.destroy();
      sh.destroyForcibly();
    }
    assertEquals(List.of(), driver.containers());
  }

  private static boolean hasFile(ContainerCgroup cg, String file) {
    return cg.paths().stream().anyMatch(p -> Files.exists(p.resolve(file)));
  }

  private static String value(ContainerCgroup cg, String file) throws Exception {
    for (Path p : cg.paths()) {
      if (Files.exists(p.resolve(file))) {
        return Files.readString(p.resolve(file)).trim();
      }
    }
    throw new AssertionError(file + " in none of " + cg.paths());
  }
}

package org.glasshouse.helper.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.glasshouse.helper.plan.StepLog;
import org.glasshouse.helper.runtime.TestSupport;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.Limits;
import org.glasshouse.protocol.StepEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The v2 driver's controller-independent half on a real cgroup2 filesystem: on a hybrid host the
 * unified mount has no cpu/memory/pids, so limits cannot be tried here, but moving a process,
 * listing it, {@code cgroup.kill} and rmdir can — and so can the refusal when a controller is
 * missing, and the device filter: a BPF program needs no controller, and the kernel runs it for
 * every process in the unified cgroup it is attached to, on hybrid hosts too.
 */
@Tag("root")
@Tag("cgroup")
class CgroupV2UnifiedRootTest {
  String parent;
  CgroupV2Driver driver;
  Path unified;
  final List<StepEntry> entries = new ArrayList<>();
  final StepLog log = new StepLog(entries::add);

  @BeforeEach
  void setUp() {
    TestSupport.requireRoot("cgroup tests");
    CgroupLayout layout = CgroupLayout.detect(Path.of("/"));
    TestSupport.onlyOn(layout.unifiedMount().isPresent(), "no cgroup2 mount on this host");
    unified = layout.unifiedMount().get();
    parent = "glasshouse-test-" + UUID.randomUUID().toString().substring(0, 8);
    driver = new CgroupV2Driver(layout, parent, new CgroupFs());
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
    assertFalse(Files.exists(unified.resolve(parent)));
  }

  @Test
  void aLeftCgroupOpenedForCleanupIsEmptiedByCgroupKill() throws Exception {
    Path dir = Files.createDirectories(unified.resolve(parent).resolve("v2kill000000"));
    Process sleep = new ProcessBuilder("sleep", "600").start();
    try {
      // The kernel moves it (as the init's "ready" write does); open() is the cleanup view of what
      // a container left — its own cgroup and its tracking cgroup, absent here — as the sweep and
      // `rm` see it after a helper restart.
      Files.writeString(dir.resolve("cgroup.procs"), Long.toString(sleep.pid()));
      ContainerCgroup cg = driver.open("v2kill000000", log);
      assertEquals(List.of(sleep.pid()), cg.pids());
      String procCgroup = Files.readString(Path.of("/proc/" + sleep.pid() + "/cgroup"));
      assertTrue(procCgroup.contains("0::/" + parent + "/v2kill000000"), procCgroup);
      boolean hasKill = Files.exists(dir.resolve("cgroup.kill"));
      cg.destroy();
      assertFalse(sleep.isAlive());
      assertFalse(Files.exists(dir));
      if (hasKill) {
        assertTrue(
            entries.stream().anyMatch(e -> e.args().equals(dir + "/cgroup.kill ← 1")),
            "killed with cgroup.kill");
      }
      System.out.println("cgroup2 " + unified + ": cgroup.kill " + (hasKill ? "used" : "absent"));
    } finally {
      sleep.destroyForcibly();
    }
  }

  @Test
  void aControllerMissingOnV2IsAnExplainedStepFailure() throws Exception {
    List<String> available =
        List.of(Files.readString(unified.resolve("cgroup.controllers")).trim().split("\\s+"));
    TestSupport.onlyOn(!available.contains("pids"), "pids is on v2 here");
    StepLog.StepException e =
        assertThrows(
            StepLog.StepException.class,
            () -> driver.create("v2miss000000", Limits.NONE, Set.of(Feature.CGROUP_PIDS), log));
    assertTrue(e.entry().explanation().contains("pids controller is not available"));
    assertFalse(Files.exists(unified.resolve(parent).resolve("v2miss000000")));
  }

  @Test
  void theDeviceFilterLetsTheStandardNodesOpenAndNothingElse() throws Exception {
    ContainerCgroup cg =
        driver.create("v2devs000000", Limits.NONE, Set.of(Feature.CGROUP_DEVICES), log);
    Path dir = unified.resolve(parent).resolve("v2devs000000");
    assertTrue(
        entries.stream()
            .anyMatch(
                e ->
                    e.call().equals("bpf")
                        && e.args().startsWith("BPF_PROG_LOAD")
                        && e.args().contains("/* allow c *:* m, b *:* m, c 1:3 rwm")),
        entries.toString());
    assertTrue(
        entries.stream()
            .anyMatch(
                e -> e.args().startsWith("BPF_PROG_ATTACH") && e.args().contains(dir.toString())),
        entries.toString());
    assertEquals(1, new CgroupFs().deviceFilters(dir), "one device program attached");
    String loop = Files.exists(Path.of("/dev/loop0")) ? "/dev/loop0" : "/dev/null-missing";
    String script =
        "echo $$ > "
            + dir
            + "/cgroup.procs || exit 9; "
            + "(exec 3>/dev/null) && echo OPEN null; "
            + "(exec 3</dev/urandom) && echo OPEN urandom; "
            + "(exec 3>/dev/kmsg) && echo OPEN kmsg; "
            + "(exec 3<"
            + loop
            + ") && echo OPEN block; "
            + "exit 0";
    Process sh = new ProcessBuilder("/bin/sh", "-c", script).redirectErrorStream(true).start();
    String out = new String(sh.getInputStream().readAllBytes());
    assertEquals(0, sh.waitFor(), out);
    assertTrue(out.contains("OPEN null") && out.contains("OPEN urandom"), out);
    assertFalse(out.contains("OPEN kmsg"), out);
    assertFalse(out.contains("OPEN block"), out);
    assertTrue(out.contains("Operation not permitted"), out);
    cg.destroy();
  }
}

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
import org.glasshouse.helper.plan.StepLog;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.Limits;
import org.glasshouse.protocol.StepEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The helper in a cgroup systemd delegated to it (glasshouse.service, Delegate=yes): it moves into
 * a leaf and its containers go beside it, never at the root systemd owns. Against a fake cgroupfs
 * shaped as systemd leaves it; the real systemd is test-deb-guest's.
 */
class CgroupDelegationTest {
  @TempDir Path tmp;

  static final String SERVICE = "system.slice/glasshouse.service";

  @Test
  void ownCgroupIsTheV2LineWithoutItsSlash() throws IOException {
    assertEquals(SERVICE, CgroupDelegation.own("0::/" + SERVICE + "\n"));
    // Hybrid hosts list the v1 hierarchies first.
    assertEquals(
        SERVICE,
        CgroupDelegation.own("12:pids:/" + SERVICE + "\n3:memory:/x\n0::/" + SERVICE + "\n"));
    assertEquals("", CgroupDelegation.own("0::/\n"));
    IOException e = assertThrows(IOException.class, () -> CgroupDelegation.own("3:memory:/x\n"));
    assertTrue(e.getMessage().contains("no cgroup v2 line"), e.getMessage());
  }

  @Test
  void theHelperMovesIntoALeafAndItsContainersGoBesideIt() throws Exception {
    Path u = tmp.resolve("sys/fs/cgroup");
    FakeCgroupFs fs = new FakeCgroupFs(Map.of(u, CgroupDriverFakeTest.V2_FILES));
    fs.root(u, "cgroup.controllers", "cpuset cpu io memory pids");
    // What systemd made for the service: controllers enabled down to the service's cgroup.
    fs.write(u.resolve("cgroup.subtree_control"), "+cpu +memory +pids");
    fs.mkdir(u.resolve("system.slice"));
    fs.write(u.resolve("system.slice/cgroup.subtree_control"), "+cpu +memory +pids");
    Path service = u.resolve(SERVICE);
    fs.mkdir(service);
    fs.writes.clear();

    long pid = ProcessHandle.current().pid();
    assertEquals(SERVICE, CgroupDelegation.enter(fs, u, SERVICE, pid));
    assertEquals(List.of(service + "/helper/cgroup.procs ← " + pid), fs.writes);
    assertEquals(pid + "\n", fs.read(service.resolve("helper/cgroup.procs")));

    List<StepEntry> entries = new ArrayList<>();
    CgroupDriver d =
        CgroupDriver.detect(layout(u), SERVICE, "glasshouse", fs); // as the helper builds it
    assertEquals(List.of(service.resolve("glasshouse")), d.parentPaths());
    fs.writes.clear();
    ContainerCgroup cg =
        d.create(
            "c0ffee",
            new Limits(48L << 20, null, null, null, 23),
            Set.of(Feature.CGROUP_MEMORY, Feature.CGROUP_PIDS),
            new StepLog(entries::add));
    Path c = service.resolve("glasshouse/c0ffee");
    // The service's own subtree_control (the root's is systemd's and is never written).
    assertEquals(
        List.of(
            service + "/cgroup.subtree_control ← +memory +pids",
            service + "/glasshouse/cgroup.subtree_control ← +memory +pids",
            c + "/memory.max ← 50331648",
            c + "/pids.max ← 23"),
        fs.writes);
    assertEquals(List.of(c), cg.paths());
    assertEquals(List.of("c0ffee"), d.containers());
    cg.destroy();
    d.removeParent();
    assertFalse(Files.exists(service.resolve("glasshouse")));
    assertTrue(
        Files.isDirectory(service.resolve("helper")), "the helper's leaf is systemd's to go");
  }

  /**
   * The cgroup-namespace step moves the init into the hierarchy's real root (the unified mount), so
   * the namespace shows the container its full path. Under delegation the container's grandparent
   * is the service's cgroup, not the root: a process written there is refused (EBUSY, its
   * controllers are on for its children) and would sit outside the container's limits anyway.
   */
  @Test
  void theCgroupNamespaceStepUsesTheMountNotTheGrandparent() throws Exception {
    Path u = tmp.resolve("sys/fs/cgroup");
    FakeCgroupFs fs = new FakeCgroupFs(Map.of(u, CgroupDriverFakeTest.V2_FILES));
    fs.root(u, "cgroup.controllers", "cpuset cpu io memory pids");
    fs.write(u.resolve("cgroup.subtree_control"), "+cpu +memory +pids");
    fs.mkdir(u.resolve("system.slice"));
    fs.write(u.resolve("system.slice/cgroup.subtree_control"), "+cpu +memory +pids");
    Path service = u.resolve(SERVICE);
    fs.mkdir(service);
    long helper = ProcessHandle.current().pid();
    CgroupDelegation.enter(fs, u, SERVICE, helper);
    ContainerCgroup cg =
        CgroupDriver.detect(layout(u), SERVICE, "glasshouse", fs)
            .create(
                "c0ffee",
                new Limits(null, null, null, null, 23),
                Set.of(Feature.CGROUP_PIDS),
                new StepLog(e -> {}));
    long init = 4242;
    fs.writes.clear();
    List<StepEntry> entries = new ArrayList<>();
    cg.enterRoots(init, new StepLog(entries::add));
    cg.addProcess(init, new StepLog(entries::add));
    cg.leave(init, new StepLog(entries::add));
    assertEquals(
        List.of(
            u + "/cgroup.procs ← 4242",
            service + "/glasshouse/c0ffee/cgroup.procs ← 4242",
            u + "/cgroup.procs ← 4242"),
        fs.writes);
    assertEquals(3, entries.size(), entries.toString());
    cg.destroy();
  }

  @Test
  void theRootIsNoDelegationAndAPathCannotClimbOut() throws Exception {
    Path u = tmp.resolve("sys/fs/cgroup");
    FakeCgroupFs fs = new FakeCgroupFs(Map.of(u, CgroupDriverFakeTest.V2_FILES));
    fs.root(u);
    IOException e = assertThrows(IOException.class, () -> CgroupDelegation.enter(fs, u, "", 1));
    assertTrue(e.getMessage().contains("root cgroup"), e.getMessage());
    for (String bad : List.of("..", "a/../..", "/etc", "a//b", "a/.")) {
      assertThrows(IllegalArgumentException.class, () -> CgroupDelegation.under(u, bad), bad);
    }
    assertEquals(u.resolve(SERVICE), CgroupDelegation.under(u, SERVICE));
  }

  private static CgroupLayout layout(Path unified) {
    return new CgroupLayout(
        Mode.V2,
        Map.of(
            "cpu", new Hierarchy("cpu", 2, unified),
            "memory", new Hierarchy("memory", 2, unified),
            "pids", new Hierarchy("pids", 2, unified)),
        Optional.of(unified));
  }
}

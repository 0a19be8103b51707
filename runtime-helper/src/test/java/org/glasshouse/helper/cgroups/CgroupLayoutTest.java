package org.glasshouse.helper.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.glasshouse.helper.cgroups.CgroupLayout.Hierarchy;
import org.glasshouse.helper.cgroups.CgroupLayout.Mode;
import org.glasshouse.helper.mountinfo.MountEntry;
import org.glasshouse.helper.mountinfo.MountInfoParser;
import org.glasshouse.helper.runtime.TestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class CgroupLayoutTest {

  public static Path fixture(String host) throws Exception {
    return Path.of(CgroupLayoutTest.class.getResource("/hosts/" + host).toURI());
  }

  @Test
  void hybridHostHasControllersOnV1AndAnEmptyishCgroup2() throws Exception {
    CgroupLayout layout = CgroupLayout.detect(fixture("hybrid"));

    assertEquals(Mode.HYBRID, layout.mode());
    assertEquals("hybrid", layout.mode().wireName());
    assertEquals(Optional.of(Path.of("/sys/fs/cgroup/unified")), layout.unifiedMount());
    for (String c : List.of("cpu", "cpuacct", "memory", "pids", "cpuset", "devices", "freezer")) {
      assertEquals(
          Optional.of(new Hierarchy(c, 1, Path.of("/sys/fs/cgroup/" + c))), layout.controller(c));
      assertTrue(layout.isV1(c), c);
    }
    // hugetlb is bound to no v1 hierarchy on that host, so cgroup2 owns it.
    assertEquals(
        Optional.of(new Hierarchy("hugetlb", 2, Path.of("/sys/fs/cgroup/unified"))),
        layout.controller("hugetlb"));
    // name=systemd is a named hierarchy without a controller.
    assertFalse(layout.controllers().keySet().stream().anyMatch(n -> n.contains("systemd")));
  }

  @Test
  void v1HostWithCoMountedControllers() throws Exception {
    CgroupLayout layout = CgroupLayout.detect(fixture("v1"));

    assertEquals(Mode.V1, layout.mode());
    assertEquals(Optional.empty(), layout.unifiedMount());
    Path cpuMount = Path.of("/sys/fs/cgroup/cpu,cpuacct");
    assertEquals(Optional.of(new Hierarchy("cpu", 1, cpuMount)), layout.controller("cpu"));
    assertEquals(Optional.of(new Hierarchy("cpuacct", 1, cpuMount)), layout.controller("cpuacct"));
    assertEquals(
        Path.of("/sys/fs/cgroup/net_cls,net_prio"),
        layout.controller("net_prio").get().mountPoint());
    assertEquals(Path.of("/sys/fs/cgroup/memory"), layout.controller("memory").get().mountPoint());
    assertEquals(Path.of("/sys/fs/cgroup/pids"), layout.controller("pids").get().mountPoint());
    assertTrue(layout.controllers().values().stream().allMatch(h -> h.version() == 1));
    assertEquals(10, layout.v1Mounts().size()); // systemd's named hierarchy is not one
  }

  @Test
  void v2HostHasEveryControllerOnTheUnifiedMount() throws Exception {
    CgroupLayout layout = CgroupLayout.detect(fixture("v2"));

    assertEquals(Mode.V2, layout.mode());
    Path unified = Path.of("/sys/fs/cgroup");
    assertEquals(Optional.of(unified), layout.unifiedMount());
    for (String c : List.of("cpuset", "cpu", "io", "memory", "hugetlb", "pids", "rdma", "misc")) {
      assertEquals(Optional.of(new Hierarchy(c, 2, unified)), layout.controller(c));
      assertFalse(layout.isV1(c));
    }
    // cpuacct has no v2 controller: its figures are in cpu.stat.
    assertEquals(Optional.empty(), layout.controller("cpuacct"));
    assertEquals(List.of(), layout.v1Mounts());
  }

  @Test
  void noCgroupFilesystemAtAll(@TempDir Path empty) {
    CgroupLayout layout = CgroupLayout.detect(empty);

    assertEquals(Mode.NONE, layout.mode());
    assertTrue(layout.controllers().isEmpty());
    assertEquals(Optional.empty(), layout.unifiedMount());
  }

  @Test
  void subCgroupBindMountsAndDisabledControllersAreIgnored() {
    List<MountEntry> mounts =
        MountInfoParser.parse(
            "40 31 0:37 /docker/abc /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
                + "41 31 0:38 / /mnt/mem rw - cgroup cgroup rw,memory\n"
                + "42 31 0:39 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n");
    String procCgroups =
        "#subsys_name\thierarchy\tnum_cgroups\tenabled\ncpu\t2\t1\t0\nmemory\t1\t5\t1\n";

    CgroupLayout layout = CgroupLayout.from(mounts, procCgroups, p -> "");

    assertEquals(Mode.V1, layout.mode());
    assertEquals(Path.of("/mnt/mem"), layout.controller("memory").get().mountPoint());
    assertEquals(Optional.empty(), layout.controller("cpu"));
  }

  @Test
  void withoutProcCgroupsKnownControllerNamesAreUsed() {
    List<MountEntry> mounts =
        MountInfoParser.parse(
            "42 31 0:39 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct,name=x\n");

    CgroupLayout layout = CgroupLayout.from(mounts, "", p -> "");

    assertEquals(List.of("cpu", "cpuacct"), List.copyOf(layout.controllers().keySet()));
  }

  /** The real host: the doctor and the runtime must see this machine as it is. */
  @Test
  void thisHost() {
    CgroupLayout layout = CgroupLayout.detect(Path.of("/"));
    // Whatever the layout, every hierarchy it names must be a real directory here.
    for (Hierarchy h : layout.controllers().values()) {
      assertTrue(Files.isDirectory(h.mountPoint()), h.toString());
    }
    TestSupport.onlyOn(
        layout.mode() == Mode.HYBRID,
        "CgroupLayoutTest.thisHost checks a hybrid host; this one is " + layout.mode().wireName());
    for (String c : List.of("cpu", "memory", "pids")) {
      assertTrue(layout.isV1(c), c + " should be on v1 here: " + layout);
      assertTrue(
          Files.isRegularFile(layout.controller(c).get().mountPoint().resolve("cgroup.procs")), c);
    }
    assertTrue(
        Files.isRegularFile(layout.unifiedMount().get().resolve("cgroup.controllers")),
        layout.toString());
  }
}

package org.glasshouse.helper.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import org.glasshouse.helper.mountinfo.MountEntry;
import org.glasshouse.helper.mountinfo.MountInfoParser;
import org.junit.jupiter.api.Test;

class CgroupLocationTest {

  private final HostFs fs = new HostFs(Path.of("/fixture/proc"), Path.of("/fixture/root"));

  @Test
  void resolvesTheCapturedHybridLayout() {
    List<CgroupMembership> m = CgroupMembership.parse(Fixtures.text("proc/cgroup"));
    assertEquals(10, m.size());
    assertEquals(List.of("name=systemd"), m.get(0).controllers());
    CgroupLocation loc =
        CgroupLocation.resolve(
            fs, m, MountInfoParser.parseTotal(Fixtures.text("proc/mountinfo")).entries());
    String id = m.get(1).path();
    assertEquals("/glasshouse-fixture-9305", id);
    assertEquals(Path.of("/fixture/root/sys/fs/cgroup/pids" + id), loc.v1().get("pids"));
    assertEquals(Path.of("/fixture/root/sys/fs/cgroup/memory" + id), loc.v1().get("memory"));
    assertEquals(Path.of("/fixture/root/sys/fs/cgroup/cpu" + id), loc.v1().get("cpu"));
    assertEquals(Path.of("/fixture/root/sys/fs/cgroup/cpuacct" + id), loc.v1().get("cpuacct"));
    assertEquals(Path.of("/fixture/root/sys/fs/cgroup/cpuset"), loc.v1().get("cpuset"));
    assertEquals(Path.of("/fixture/root/sys/fs/cgroup/unified"), loc.v2());
    assertEquals("/", loc.v2Path());
  }

  @Test
  void pureV2AndCoMountedControllersAndMountRoots() {
    List<MountEntry> mounts =
        MountInfoParser.parse(
            "30 20 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw,nsdelegate\n"
                + "31 20 0:27 /docker /cg/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n");
    CgroupLocation v2 =
        CgroupLocation.resolve(fs, CgroupMembership.parse("0::/glasshouse/abc\n"), mounts);
    assertEquals(Path.of("/fixture/root/sys/fs/cgroup/glasshouse/abc"), v2.v2());
    assertEquals(0, v2.v1().size());
    CgroupLocation v1 =
        CgroupLocation.resolve(
            fs, CgroupMembership.parse("3:cpu,cpuacct:/docker/x\n4:memory:/y\n"), mounts);
    assertEquals(Path.of("/fixture/root/cg/cpu,cpuacct/x"), v1.v1().get("cpu"));
    assertEquals(v1.v1().get("cpu"), v1.v1().get("cpuacct"));
    assertNull(v1.v1().get("memory"), "no memory hierarchy mounted");
    CgroupLocation outside =
        CgroupLocation.resolve(fs, CgroupMembership.parse("3:cpu,cpuacct:/other\n"), mounts);
    assertNull(outside.v1().get("cpu"), "a group outside the mount's root cannot be reached");
  }
}

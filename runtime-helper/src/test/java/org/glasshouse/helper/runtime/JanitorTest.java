package org.glasshouse.helper.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.glasshouse.helper.cgroups.CgroupDriver;
import org.glasshouse.helper.cgroups.CgroupLayout;
import org.glasshouse.helper.linux.RecordingSyscalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The janitor's order and its refusal to delete into mounts, without root. */
class JanitorTest {
  @TempDir Path tmp;

  @Test
  void unmountsDeepestFirstAndNeverDeletesIntoAMountThatStays() throws IOException {
    Path state = Files.createDirectory(tmp.resolve("state"));
    Path c = Files.createDirectories(state.resolve("containers/abc/rootfs/proc/sys"));
    Files.writeString(c.resolve("kept"), "inside a mount");
    Path root = state.resolve("containers/abc/rootfs").toRealPath();
    Path mountinfo = tmp.resolve("mountinfo");
    Files.writeString(
        mountinfo,
        "22 1 0:21 / / rw - ext4 /dev/vda rw\n"
            + "90 22 0:50 / "
            + root
            + "/proc rw - proc proc rw\n"
            + "91 90 0:51 / "
            + root
            + "/proc/sys rw - sysfs sysfs rw\n"
            + "92 22 0:52 / /elsewhere rw - tmpfs tmpfs rw\n");
    Path images = Files.createDirectories(state.resolve("images/busybox/.extract-123/bin"));
    Files.createDirectories(state.resolve("images/busybox/rootfs"));
    CgroupDriver noCgroups =
        CgroupDriver.detect(
            new CgroupLayout(CgroupLayout.Mode.NONE, Map.of(), Optional.empty()), "glasshouse");
    RecordingSyscalls sys = new RecordingSyscalls();

    Janitor.Report r =
        new Janitor(state, noCgroups, sys, mountinfo, Files.createDirectory(tmp.resolve("proc")))
            .sweep();

    // Deepest first, detached; the fake table never changes, so the janitor says they stayed.
    assertEquals(
        List.of(
            "umount2(\"" + root + "/proc/sys\", MNT_DETACH)",
            "umount2(\"" + root + "/proc\", MNT_DETACH)"),
        sys.calls());
    assertFalse(r.clean());
    assertTrue(r.failures().get(0).contains("would not go"), r.failures().toString());
    assertTrue(
        r.failures().stream().anyMatch(f -> f.contains("must be unmounted first")),
        r.failures().toString());
    assertTrue(Files.exists(c.resolve("kept")), "nothing deleted under a mount");
    assertFalse(Files.exists(images.getParent()), "unfinished extraction removed");
    assertTrue(Files.exists(state.resolve("images/busybox/rootfs")), "finished image kept");
  }
}

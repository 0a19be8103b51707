package org.glasshouse.helper.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.glasshouse.helper.linux.Flags;
import org.glasshouse.helper.linux.SyscallArgs;
import org.glasshouse.protocol.StepEntry;
import org.glasshouse.protocol.inspect.MountsResult;
import org.junit.jupiter.api.Test;

/** A mount of a table is traced to the start step that made it, and nothing else is. */
class MountStepsTest {

  private static final String ROOT = "/var/lib/glasshouse/containers/3f9a0c11b2d4/merged";
  private static final long PSEUDO = Flags.MS_NOSUID | Flags.MS_NODEV | Flags.MS_NOEXEC;

  private static StepEntry mount(int seq, String src, String target, String type, long flags) {
    return StepEntry.builder()
        .seq(seq)
        .step("pseudo-fs")
        .stage("init")
        .call("mount")
        .args(SyscallArgs.mount(src, target, type, flags, null))
        .ok(true)
        .result("0")
        .durationNanos(1000)
        .build();
  }

  private static MountsResult.Mount m(int id, int parent, String point, String type, String src) {
    return new MountsResult.Mount(
        id, parent, "0:1", "/", point, "rw", List.of(), "private", type, src, "rw", false, null,
        null);
  }

  /**
   * Level 04 after pivot_root: the targets were under the merged dir, the table shows them at /.
   */
  @Test
  void theContainersOwnTableSeesTheTargetsBelowItsRoot() {
    List<StepEntry> steps =
        List.of(
            mount(7, null, "/", null, Flags.MS_REC | Flags.MS_PRIVATE),
            mount(8, "overlay", ROOT, "overlay", 0),
            mount(12, "proc", ROOT + "/proc", "proc", PSEUDO),
            mount(14, "tmpfs", ROOT + "/dev", "tmpfs", Flags.MS_NOSUID),
            mount(30, "/dev/null", ROOT + "/proc/kcore", null, Flags.MS_BIND),
            mount(31, null, ROOT + "/proc/sys", null, Flags.MS_BIND | Flags.MS_REMOUNT));
    List<MountsResult.Mount> table =
        List.of(
            m(157, 155, "/", "overlay", "overlay"),
            m(176, 157, "/proc", "proc", "proc"),
            m(196, 157, "/dev", "tmpfs", "tmpfs"),
            m(200, 176, "/proc/kcore", "devtmpfs", "udev"),
            m(201, 196, "/tmp", "tmpfs", "none"));
    assertEquals(
        Map.of(157, 8, 176, 12, 196, 14, 200, 30),
        MountSteps.match(table, steps, ROOT, false),
        "the workload's own /tmp and the remount/propagation steps match nothing");
  }

  /** Level 01: the leaked mounts sit in the host's table at the very paths the steps named. */
  @Test
  void theHostsTableSeesTheTargetsAsTheyWereNamed() {
    String rootfs = "/s/containers/87b2fb0ea39b/rootfs";
    List<StepEntry> steps =
        List.of(
            mount(9, "proc", rootfs + "/proc", "proc", PSEUDO),
            mount(10, "sysfs", rootfs + "/sys", "sysfs", PSEUDO | Flags.MS_RDONLY));
    List<MountsResult.Mount> host =
        List.of(
            m(22, 1, "/proc", "proc", "proc"),
            m(261, 27, rootfs + "/proc", "proc", "proc"),
            m(156, 27, rootfs + "/sys", "sysfs", "sysfs"));
    assertEquals(Map.of(261, 9, 156, 10), MountSteps.match(host, steps, rootfs, true));
  }

  /**
   * Two mounts on one point (a tmpfs over the step's): the first, in mount order, is the step's.
   */
  @Test
  void aStepClaimsOneMountOnly() {
    List<StepEntry> steps = List.of(mount(14, "tmpfs", ROOT + "/dev", "tmpfs", Flags.MS_NOSUID));
    List<MountsResult.Mount> table =
        List.of(m(196, 157, "/dev", "tmpfs", "tmpfs"), m(300, 157, "/dev", "tmpfs", "tmpfs"));
    assertEquals(Map.of(196, 14), MountSteps.match(table, steps, ROOT, false));
  }

  @Test
  void aFailedStepMadeNothing() {
    List<StepEntry> steps = new ArrayList<>();
    StepEntry ok = mount(12, "proc", ROOT + "/proc", "proc", PSEUDO);
    steps.add(
        StepEntry.builder()
            .seq(ok.seq())
            .step(ok.step())
            .stage(ok.stage())
            .call(ok.call())
            .args(ok.args())
            .ok(false)
            .result("-1")
            .errno("EPERM")
            .message("x")
            .durationNanos(1)
            .build());
    assertEquals(
        Map.of(),
        MountSteps.match(List.of(m(176, 157, "/proc", "proc", "proc")), steps, ROOT, false));
  }

  @Test
  void belowTheRoot() {
    assertEquals("/", MountSteps.below("/r", "/r"));
    assertEquals("/proc", MountSteps.below("/r/", "/r/proc"));
    assertEquals(null, MountSteps.below("/r", "/rx/proc"));
    assertEquals(null, MountSteps.below(null, "/r/proc"));
  }
}

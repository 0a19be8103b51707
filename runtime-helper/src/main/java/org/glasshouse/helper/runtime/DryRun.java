package org.glasshouse.helper.runtime;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.glasshouse.helper.linux.Syscalls;
import org.glasshouse.helper.plan.InitPlan;
import org.glasshouse.helper.plan.StepLog;
import org.glasshouse.helper.runtime.init.InitOp;
import org.glasshouse.helper.runtime.init.OpRecorder;
import org.glasshouse.helper.runtime.rootfs.ContainerDirs;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.RunSpec;

/**
 * The pure-Java part of a start, run once for every level at the helper's start and thrown away
 * (issue 16): its plan (capabilities, the seccomp filter's compilation) and the native init's op
 * list recorded from it ({@link OpRecorder}). Nothing touches the kernel or the disk: no container,
 * no directory, no cgroup. The first real start of a level then finds those classes loaded and
 * their code run: the first start of level 13 spent ~280 ms before its first namespace step here,
 * with the helper's JVM loading and interpreting that code for the first time.
 */
final class DryRun {
  private DryRun() {}

  /**
   * Plans every level's start of {@code /bin/true} in busybox and records its op list.
   *
   * @return how many levels were planned
   */
  static int plans(RuntimeConfig config, Syscalls sys) throws IOException {
    int n = 0;
    for (int level = 0; level <= Feature.MAX_LEVEL; level++) {
      RunSpec spec =
          RunSpec.builder()
              .image("busybox")
              .level(level)
              .argv(List.of("/bin/true"))
              .env(Map.of("PATH", "/bin"))
              .build();
      Set<Feature> features = Feature.upTo(level);
      String id = "dry-run-" + level;
      ContainerDirs dirs = ContainerDirs.of(config.stateDir(), id);
      LinuxContainer c = new LinuxContainer(id, spec, features, new StepLog(e -> {}), dirs, sys);
      RootfsFactory.Layout layout = null;
      if (features.contains(Feature.OVERLAY)) {
        layout =
            new RootfsFactory.Layout(
                dirs.merged().toString(),
                dirs.rootfs().toString(),
                dirs.upper().toString(),
                dirs.work().toString());
      } else if (Feature.needsRootfs(features)) {
        layout = new RootfsFactory.Layout(dirs.rootfs().toString(), null, null, null);
      }
      InitPlan plan = Plans.plan(c, layout, null, sys);
      if (config.nativeInit() != null) {
        InitOp.list(OpRecorder.record(plan));
      }
      n++;
    }
    return n;
  }
}

package org.glasshouse.helper.cgroups;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.glasshouse.helper.linux.Call;
import org.glasshouse.helper.linux.FileErrors;
import org.glasshouse.helper.plan.StepLog;
import org.glasshouse.protocol.Limits;

/**
 * Level 09's bonus controls, v1 and v2 side by side: the soft limit, swappiness, the OOM killer
 * switched off (v1) or made to take the whole group (v2), and kernel memory. Each write is one step
 * entry; a control the host's cgroup version does not have fails the start with the nearest
 * counterpart named, rather than running without what the student asked for.
 */
final class MemoryBonus {
  private MemoryBonus() {}

  /** The v1 writes, into the container's memory cgroup {@code dir}; after the hard limits. */
  static void writeV1(
      FsContainerCgroup cg, StepLog log, String step, Path dir, Limits l, CgroupFs fs)
      throws StepLog.StepException {
    if (l.memorySoftBytes() != null) {
      cg.write(
          log,
          step,
          dir.resolve("memory.soft_limit_in_bytes"),
          l.memorySoftBytes().toString(),
          null);
    }
    if (l.memorySwappiness() != null) {
      cg.write(
          log,
          step,
          dir.resolve("memory.swappiness"),
          l.memorySwappiness().toString(),
          "memory.swappiness cannot be changed in a cgroup whose parent uses hierarchy with"
              + " children, on old kernels (EINVAL)");
    }
    if (Boolean.TRUE.equals(l.oomKillDisable())) {
      cg.write(
          log,
          step,
          dir.resolve("memory.oom_control"),
          "1",
          "memory.oom_control takes only 0 or 1 (oom_kill_disable)");
    }
    if (l.kernelMemoryBytes() != null) {
      Path kmem = dir.resolve("memory.kmem.limit_in_bytes");
      long want = l.kernelMemoryBytes();
      cg.write(
          log,
          step,
          kmem,
          Long.toString(want),
          "this kernel has no memory.kmem.limit_in_bytes (removed in Linux 6.x)");
      // Since Linux 5.16 the write is accepted and dropped (a warning in dmesg, the file keeps
      // its old value): only reading it back tells whether the limit exists.
      log.run(
          step,
          "helper",
          "read",
          kmem.toString(),
          "this kernel ignores kernel memory limits (deprecated since Linux 5.16: the write is"
              + " accepted and dropped); kernel memory is charged to memory.limit_in_bytes like any"
              + " other: leave the kernel memory limit unset",
          () -> {
            String text = fs.read(kmem).trim();
            long got;
            try {
              got = Long.parseLong(text);
            } catch (NumberFormatException e) {
              throw new IOException("reads back '" + text + "', not a number", e);
            }
            // The kernel rounds a limit down to whole pages.
            if (got != want && got != (want & ~4095L)) {
              throw new IOException("reads back " + got + ", not " + want);
            }
            return got;
          });
    }
    if (Boolean.TRUE.equals(l.oomGroup())) {
      refuse(
          log,
          step,
          dir.resolve("memory.oom.group"),
          "1",
          "cgroup v1 has no memory.oom.group: its OOM killer always picks one process; on v1 the"
              + " nearest control is memory.oom_control (disable the OOM killer)");
    }
  }

  /** The v2 writes, into the container's cgroup {@code dir}; after memory.max and swap.max. */
  static void writeV2(FsContainerCgroup cg, StepLog log, String step, Path dir, Limits l)
      throws StepLog.StepException {
    if (l.memorySoftBytes() != null) {
      cg.write(log, step, dir.resolve("memory.high"), l.memorySoftBytes().toString(), null);
    }
    if (Boolean.TRUE.equals(l.oomGroup())) {
      cg.write(
          log,
          step,
          dir.resolve("memory.oom.group"),
          "1",
          "memory.oom.group exists from Linux 4.19 on");
    }
    if (l.memorySwappiness() != null) {
      refuse(
          log,
          step,
          dir.resolve("memory.swappiness"),
          l.memorySwappiness().toString(),
          "cgroup v2 has no per-group swappiness (memory.swappiness is v1 only): limit swap with"
              + " memory.swap.max (the memory+swap limit) instead");
    }
    if (Boolean.TRUE.equals(l.oomKillDisable())) {
      refuse(
          log,
          step,
          dir.resolve("memory.oom_control"),
          "1",
          "cgroup v2 cannot switch the OOM killer off (memory.oom_control is v1 only):"
              + " memory.high (the soft limit) throttles a group above it instead of killing, and"
              + " memory.oom.group makes a kill take the whole group");
    }
    if (l.kernelMemoryBytes() != null) {
      refuse(
          log,
          step,
          dir.resolve("memory.kmem.limit_in_bytes"),
          l.kernelMemoryBytes().toString(),
          "cgroup v2 has no separate kernel memory limit: kernel memory (memory.stat's kernel"
              + " line) is charged to memory.max with everything else");
    }
  }

  /**
   * A control this cgroup version lacks: one failed step entry that names the counterpart. The
   * write is not tried (the file is absent on every kernel of this version): its entry says it as
   * the kernel would refuse it, {@code write("…/memory.swappiness", "0") = -1 ENOENT}.
   */
  private static void refuse(StepLog log, String step, Path file, String value, String explanation)
      throws StepLog.StepException {
    Call call = Call.writeFile(file.toString(), value);
    log.run(
        step,
        "helper",
        call,
        explanation,
        () -> {
          throw FileErrors.thrownAs(call, new NoSuchFileException(file.toString()));
        });
  }
}

package org.glasshouse.helper.runtime.init;

import static org.glasshouse.helper.linux.SyscallArgs.bindOn;
import static org.glasshouse.helper.linux.SyscallArgs.mountOn;

import java.util.List;
import org.glasshouse.helper.linux.Fd;
import org.glasshouse.helper.linux.Flags;
import org.glasshouse.helper.linux.Syscalls;
import org.glasshouse.helper.runtime.StepLog.StepException;

/**
 * Masked and read-only paths, as docker and runc set them up (level 11, with /proc mounted): root
 * in a container must not read kernel memory or keys through /proc, nor write kernel settings
 * through /proc/sys. Files are masked by binding /dev/null over them, directories by an empty
 * read-only tmpfs; read-only paths are bound onto themselves and remounted read-only. Done inside
 * the rootfs before the root changes, while the host's /dev/null is still reachable.
 *
 * <p>Level 11, not earlier: these are mounts, and before level 11 the container's root holds
 * CAP_SYS_ADMIN and could simply unmount them. Each path is opened beneath the fresh /proc or /sys
 * mount without following symlinks ({@link RootPaths}) and mounted on through its fd.
 */
final class MaskedPaths {

  /**
   * A path to mask.
   *
   * @param base {@code proc} or {@code sys}
   * @param rel the path under it
   * @param directory whether the kernel makes it a directory (masked with an empty tmpfs)
   */
  record Mask(String base, String rel, boolean directory) {
    String shown() {
      return "/" + base + "/" + rel;
    }
  }

  /** docker's masked paths (moby's defaults, 2025). A path this kernel lacks is skipped. */
  static final List<Mask> MASKED =
      List.of(
          new Mask("proc", "asound", true),
          new Mask("proc", "acpi", true),
          new Mask("proc", "interrupts", false),
          new Mask("proc", "kcore", false),
          new Mask("proc", "keys", false),
          new Mask("proc", "latency_stats", false),
          new Mask("proc", "timer_list", false),
          new Mask("proc", "timer_stats", false),
          new Mask("proc", "sched_debug", false),
          new Mask("proc", "scsi", true),
          new Mask("sys", "firmware", true),
          new Mask("sys", "devices/virtual/powercap", true));

  /** docker's read-only paths. */
  static final List<String> READ_ONLY =
      List.of("proc/bus", "proc/fs", "proc/irq", "proc/sys", "proc/sysrq-trigger");

  private MaskedPaths() {}

  static void apply(Syscalls sys, StepRunner steps, Fd root) throws StepException {
    RootPaths paths = new RootPaths(sys, steps);
    // Opened after /proc and /sys were mounted: these fds are the fresh mounts' roots.
    Fd proc = paths.dir("masked-paths", root, "proc", "/proc");
    Fd sysfs = paths.dir("masked-paths", root, "sys", "/sys");
    for (Mask m : MASKED) {
      Fd base = m.base().equals("proc") ? proc : sysfs;
      Fd target = paths.optional("masked-paths", base, m.rel(), m.directory(), m.shown());
      if (target.absent()) {
        continue;
      }
      if (m.directory()) {
        long flags = Flags.MS_RDONLY;
        steps.step(
            "masked-paths",
            "mount",
            mountOn("tmpfs", target, "tmpfs", flags, "size=0"),
            null,
            () -> sys.mountOn("tmpfs", target, "tmpfs", flags, "size=0"));
      } else {
        steps.step(
            "masked-paths",
            "mount",
            mountOn("/dev/null", target, null, Flags.MS_BIND, null),
            null,
            () -> sys.mountOn("/dev/null", target, null, Flags.MS_BIND, null));
      }
    }
    for (String rel : READ_ONLY) {
      String under = rel.substring("proc/".length());
      Fd place = paths.optional("read-only-paths", proc, under, false, "/" + rel);
      if (place.absent()) {
        continue;
      }
      long bind = Flags.MS_BIND | Flags.MS_REC;
      steps.step(
          "read-only-paths",
          "mount",
          bindOn(place, place, bind),
          null,
          () -> sys.bindOn(place, place, bind));
      // A bind mount takes its flags only on a remount of it; the fd above still names the place
      // under the new mount, so the new mount's root is opened again.
      Fd mounted = paths.place("read-only-paths", proc, under, "/" + rel);
      long ro = Flags.MS_BIND | Flags.MS_REMOUNT | Flags.MS_RDONLY;
      steps.step(
          "read-only-paths",
          "mount",
          bindOn(null, mounted, ro),
          null,
          () -> sys.bindOn(null, mounted, ro));
    }
  }
}

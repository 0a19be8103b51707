package org.glasshouse.helper.runtime.init;

import java.util.List;
import org.glasshouse.helper.linux.Call;
import org.glasshouse.helper.linux.Errno;
import org.glasshouse.helper.linux.Fd;
import org.glasshouse.helper.linux.Flags;
import org.glasshouse.helper.linux.Syscalls;
import org.glasshouse.helper.plan.StepLog.StepException;

/**
 * Masked and read-only paths, as docker and runc set them up (level 11, with /proc mounted): root
 * in a container must not read kernel memory or keys through /proc, nor write kernel settings
 * through /proc/sys. Files are masked by binding /dev/null over them, directories by an empty
 * read-only tmpfs; read-only paths are bound onto themselves and remounted read-only. Done inside
 * the rootfs before the root changes, while the host's /dev/null is still reachable.
 *
 * <p>Level 11, not earlier: these are mounts, and before level 11 the container's root holds
 * CAP_SYS_ADMIN and could simply unmount them. /proc and /sys are opened beneath the root without
 * following symlinks ({@link RootPaths}); the paths are mounted on beneath those fds.
 */
final class MaskedPaths {

  /**
   * A path to mask.
   *
   * @param base {@code proc} or {@code sys}
   * @param rel the path under it
   * @param directory whether the kernel makes it a directory (masked with an empty tmpfs)
   */
  record Mask(String base, String rel, boolean directory) {}

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

  /** A masked path's step result when this kernel lacks the path. */
  static final String ABSENT = "-1 ENOENT (not on this kernel: nothing to mask)";

  private MaskedPaths() {}

  static void apply(Syscalls sys, StepRunner steps, Fd root) throws StepException {
    RootPaths paths = new RootPaths(sys, steps);
    // The image's /proc and /sys were refused if they were symlinks, and fresh filesystems are
    // mounted on them: everything beneath these fds is the kernel's, not the image's, so the
    // paths below are looked up from the fds (as runc does after checking /proc is a real procfs)
    // — one mount per path, no open.
    Fd proc = paths.dir("masked-paths", root, "proc", "/proc");
    Fd sysfs = paths.dir("masked-paths", root, "sys", "/sys");
    for (Mask m : MASKED) {
      Fd base = m.base().equals("proc") ? proc : sysfs;
      if (m.directory()) {
        mount(
            sys, steps, "masked-paths", "tmpfs", base, m.rel(), "tmpfs", Flags.MS_RDONLY, "size=0");
      } else {
        mount(sys, steps, "masked-paths", "/dev/null", base, m.rel(), null, Flags.MS_BIND, null);
      }
    }
    for (String rel : READ_ONLY) {
      String under = rel.substring("proc/".length());
      String self = proc.procPath() + "/" + under;
      long bind = Flags.MS_BIND | Flags.MS_REC;
      boolean found = mount(sys, steps, "read-only-paths", self, proc, under, null, bind, null);
      // A bind mount takes its flags only on a remount of it; the lookup now ends on the bind.
      long ro = Flags.MS_BIND | Flags.MS_REMOUNT | Flags.MS_RDONLY;
      steps.ifFound(
          found, () -> mount(sys, steps, "read-only-paths", null, proc, under, null, ro, null));
    }
  }

  /**
   * One mount onto {@code rel} beneath {@code base}; a path this kernel lacks (ENOENT) is nothing
   * to mask: false.
   */
  private static boolean mount(
      Syscalls sys,
      StepRunner steps,
      String step,
      String source,
      Fd base,
      String rel,
      String fstype,
      long flags,
      String data)
      throws StepException {
    String result =
        steps.tolerating(
            step,
            Call.mountBeneath(source, base, rel, fstype, flags, data),
            null,
            Errno.ENOENT,
            ABSENT,
            () -> {
              sys.mountBeneath(source, base, rel, fstype, flags, data);
              return "0";
            });
    return result.equals("0");
  }
}

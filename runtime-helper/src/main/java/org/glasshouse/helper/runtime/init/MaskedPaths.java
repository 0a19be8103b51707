package org.glasshouse.helper.runtime.init;

import static org.glasshouse.helper.linux.SyscallArgs.mount;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.glasshouse.helper.linux.Flags;
import org.glasshouse.helper.linux.Syscalls;
import org.glasshouse.helper.runtime.StepLog.StepException;

/**
 * Masked and read-only paths, as docker and runc set them up (level 11, with /proc mounted): root
 * in a container must not read kernel memory or keys through /proc, nor write kernel settings
 * through /proc/sys. Files are masked by binding /dev/null over them, directories by an empty
 * read-only tmpfs; read-only paths are bound onto themselves and remounted read-only. Done inside
 * the rootfs before the root changes, while the host's /dev/null is still reachable.
 */
final class MaskedPaths {

  /** docker's masked paths. */
  static final List<String> MASKED =
      List.of(
          "proc/asound",
          "proc/acpi",
          "proc/kcore",
          "proc/keys",
          "proc/latency_stats",
          "proc/timer_list",
          "proc/timer_stats",
          "proc/sched_debug",
          "proc/scsi",
          "sys/firmware");

  /** docker's read-only paths. */
  static final List<String> READ_ONLY =
      List.of("proc/bus", "proc/fs", "proc/irq", "proc/sys", "proc/sysrq-trigger");

  private MaskedPaths() {}

  static void apply(Syscalls sys, StepRunner steps, String root) throws StepException {
    for (String rel : MASKED) {
      Path p = Path.of(root, rel);
      if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      String target = p.toString();
      if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        long flags = Flags.MS_RDONLY;
        steps.step(
            "masked-paths",
            "mount",
            mount("tmpfs", target, "tmpfs", flags, "size=0"),
            null,
            () -> sys.mount("tmpfs", target, "tmpfs", flags, "size=0"));
      } else {
        steps.step(
            "masked-paths",
            "mount",
            mount("/dev/null", target, null, Flags.MS_BIND, null),
            null,
            () -> sys.mount("/dev/null", target, null, Flags.MS_BIND, null));
      }
    }
    for (String rel : READ_ONLY) {
      Path p = Path.of(root, rel);
      if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      String target = p.toString();
      long bind = Flags.MS_BIND | Flags.MS_REC;
      long ro = Flags.MS_BIND | Flags.MS_REMOUNT | Flags.MS_RDONLY;
      steps.step(
          "read-only-paths",
          "mount",
          mount(target, target, null, bind, null),
          null,
          () -> sys.mount(target, target, null, bind, null));
      // A bind mount takes its flags only on a remount of it.
      steps.step(
          "read-only-paths",
          "mount",
          mount(null, target, null, ro, null),
          null,
          () -> sys.mount(null, target, null, ro, null));
    }
  }
}

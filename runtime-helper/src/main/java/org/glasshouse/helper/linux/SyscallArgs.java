package org.glasshouse.helper.linux;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Arguments of a syscall written the way a human (or strace) writes them: strings quoted, flags
 * symbolic. Shared by {@link JnaSyscalls} (for failures) and the steps (for the step log).
 */
public final class SyscallArgs {
  private SyscallArgs() {}

  /** {@code "text"}, or {@code NULL}. */
  public static String q(String s) {
    return s == null ? "NULL" : "\"" + s + "\"";
  }

  /** {@code "proc", "/…/proc", "proc", MS_NOSUID|MS_NODEV, NULL}. */
  public static String mount(String source, String target, String fstype, long flags, String data) {
    return q(source)
        + ", "
        + q(target)
        + ", "
        + q(fstype)
        + ", "
        + Flags.mountFlags(flags)
        + ", "
        + q(data);
  }

  /** {@code "/…", MNT_DETACH}. */
  public static String umount2(String target, int flags) {
    return q(target) + ", " + Flags.umountFlags(flags);
  }

  /** Two quoted paths. */
  public static String paths(String a, String b) {
    return q(a) + ", " + q(b);
  }

  /** {@code "/dev/null", S_IFCHR|0666, makedev(1, 3)}. */
  public static String mknodChar(String path, int mode, int major, int minor) {
    return q(path)
        + ", S_IFCHR|0"
        + Integer.toOctalString(mode)
        + ", makedev("
        + major
        + ", "
        + minor
        + ")";
  }

  /** {@code "/dev/shm", 01777}. */
  public static String mkdir(String path, int mode) {
    return q(path) + ", 0" + Integer.toOctalString(mode);
  }

  /** {@code 1, [1000]}. */
  public static String setgroups(int[] gids) {
    StringBuilder b = new StringBuilder().append(gids.length).append(", [");
    for (int i = 0; i < gids.length; i++) {
      b.append(i == 0 ? "" : ", ").append(gids[i]);
    }
    return b.append(']').toString();
  }

  /** {@code 1000, 1000, 1000}. */
  public static String ids(int r, int e, int s) {
    return r + ", " + e + ", " + s;
  }

  /** The capset arguments. */
  public static String capset(long effective, long permitted, long inheritable) {
    return "{_LINUX_CAPABILITY_VERSION_3, 0}, {effective=0x"
        + Long.toHexString(effective)
        + ", permitted=0x"
        + Long.toHexString(permitted)
        + ", inheritable=0x"
        + Long.toHexString(inheritable)
        + "}";
  }

  /** {@code SECCOMP_SET_MODE_FILTER, 0, {len=214, filter=…}}. */
  public static String seccompFilter(int length) {
    return "SECCOMP_SET_MODE_FILTER, 0, {len=" + length + ", filter=…}";
  }

  /** {@code "/bin/sh", ["sh", "-c", "…"], [/* 2 vars *\/]}. */
  public static String execve(String path, List<String> argv, int envCount) {
    return q(path)
        + ", ["
        + argv.stream().map(SyscallArgs::q).collect(Collectors.joining(", "))
        + "], [/* "
        + envCount
        + " vars */]";
  }
}

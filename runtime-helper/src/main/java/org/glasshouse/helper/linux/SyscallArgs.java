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

  /**
   * The arguments of a {@code mount} call as {@link #mount} wrote them.
   *
   * @param source the source, or null
   * @param target the mount point
   * @param fstype the filesystem type, or null (bind, move, propagation changes)
   * @param flags the {@code MS_*} flags
   * @param data the data string, or null
   */
  public record MountCall(String source, String target, String fstype, long flags, String data) {
    /**
     * Whether the call makes a new mount at {@code target}: not a remount, a move or a change of
     * propagation only.
     */
    public boolean createsMount() {
      if ((flags & (Flags.MS_REMOUNT | Flags.MS_MOVE)) != 0) {
        return false;
      }
      long propagation = Flags.MS_PRIVATE | Flags.MS_SHARED | Flags.MS_SLAVE | Flags.MS_UNBINDABLE;
      return (flags & Flags.MS_BIND) != 0 || (flags & propagation) == 0;
    }

    /** Whether it binds an existing tree rather than mounting a filesystem by type. */
    public boolean bind() {
      return (flags & Flags.MS_BIND) != 0;
    }
  }

  /**
   * Reads back what {@link #mount} wrote (the step log's arguments of a {@code mount} step): the
   * one parser next to the one formatter, so the two cannot drift apart unnoticed ({@code
   * SyscallArgsTest} round-trips them). Empty for text of another shape. A quoted string is not
   * escaped, so one that itself contains {@code ", "} cannot be read back; the helper's own paths
   * and the fixed sources and options of its steps never do.
   */
  public static java.util.Optional<MountCall> parseMount(String args) {
    if (args == null) {
      return java.util.Optional.empty();
    }
    String[] field = new String[3];
    String rest = args;
    for (int i = 0; i < 3; i++) {
      if (rest.startsWith("NULL, ")) {
        field[i] = null;
        rest = rest.substring(6);
      } else if (rest.startsWith("\"") && rest.startsWith(" /* ", rest.indexOf('"', 1) + 1)) {
        // A path reached through a directory fd ({@link #viaFd}, {@link #beneath}): the comment
        // names the file the fd path stands for, which is what the mount table shows.
        int open = rest.indexOf('"', 1) + 1;
        int close = rest.indexOf(" */, ", open);
        if (close < 0) {
          return java.util.Optional.empty();
        }
        field[i] = rest.substring(open + 4, close);
        rest = rest.substring(close + 5);
      } else if (rest.startsWith("\"")) {
        int end = rest.indexOf("\", ", 1);
        if (end < 0) {
          return java.util.Optional.empty();
        }
        field[i] = rest.substring(1, end);
        rest = rest.substring(end + 3);
      } else {
        return java.util.Optional.empty();
      }
    }
    int comma = rest.indexOf(", ");
    if (comma < 0) {
      return java.util.Optional.empty();
    }
    java.util.OptionalLong flags = Flags.parseMountFlags(rest.substring(0, comma));
    String data = rest.substring(comma + 2);
    if (flags.isEmpty() || field[1] == null) {
      return java.util.Optional.empty();
    }
    if (data.equals("NULL")) {
      data = null;
    } else if (data.length() >= 2 && data.startsWith("\"") && data.endsWith("\"")) {
      data = data.substring(1, data.length() - 1);
    } else {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        new MountCall(field[0], field[1], field[2], flags.getAsLong(), data));
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

  /** An fd argument as strace -y prints it ({@code 7</…/merged>}), or {@code AT_FDCWD}. */
  public static String fd(Fd fd) {
    return fd == null ? "AT_FDCWD" : fd.text();
  }

  /**
   * {@code 7</…/merged>, "dev", {flags=O_RDONLY|O_DIRECTORY|O_CLOEXEC|O_PATH,
   * resolve=RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS}, 24}; the mode only with O_CREAT.
   */
  public static String openat2(Fd dir, String path, int flags, int mode, long resolve) {
    return fd(dir)
        + ", "
        + q(path)
        + ", {flags="
        + FsFlags.open(flags)
        + ((flags & FsFlags.O_CREAT) != 0 ? ", mode=0" + Integer.toOctalString(mode) : "")
        + ", resolve="
        + FsFlags.resolve(resolve)
        + "}, 24";
  }

  /** {@code 7</…/dev>, "pts", 0755}. */
  public static String mkdirat(Fd dir, String name, int mode) {
    return fd(dir) + ", " + q(name) + ", 0" + Integer.toOctalString(mode);
  }

  /** {@code 7</…/dev>, "null", S_IFCHR|0666, makedev(1, 3)}. */
  public static String mknodat(Fd dir, String name, int mode, int major, int minor) {
    return fd(dir) + ", " + mknodChar(name, mode, major, minor);
  }

  /** {@code "/proc/self/fd", 7</…/dev>, "fd"}. */
  public static String symlinkat(String target, Fd dir, String name) {
    return q(target) + ", " + fd(dir) + ", " + q(name);
  }

  /** A {@code /proc/self/fd/N} path argument with the place it names: {@code "…/7" /* … *\/}. */
  public static String viaFd(Fd fd) {
    return fd == null ? "NULL" : q(fd.procPath()) + " /* " + fd.path() + " */";
  }

  /** {@code "/proc/self/fd/7/kcore" /* …/proc/kcore *\/}, or NULL. */
  public static String beneath(Fd dir, String rel) {
    return dir == null ? "NULL" : q(dir.procPath() + "/" + rel) + " /* " + dir.child(rel) + " */";
  }

  /** {@code "/dev/null", "/proc/self/fd/7/kcore" /* …/proc/kcore *\/, NULL, MS_BIND, NULL}. */
  public static String mountBeneath(
      String source, Fd dir, String rel, String fstype, long flags, String data) {
    return q(source)
        + ", "
        + beneath(dir, rel)
        + ", "
        + q(fstype)
        + ", "
        + Flags.mountFlags(flags)
        + ", "
        + q(data);
  }

  /** {@code "tmpfs", "/proc/self/fd/7" /* …/dev *\/, "tmpfs", MS_NOSUID, "mode=755"}. */
  public static String mountOn(String source, Fd target, String fstype, long flags, String data) {
    return q(source)
        + ", "
        + viaFd(target)
        + ", "
        + q(fstype)
        + ", "
        + Flags.mountFlags(flags)
        + ", "
        + q(data);
  }
}

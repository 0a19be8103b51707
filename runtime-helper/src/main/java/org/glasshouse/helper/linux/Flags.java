package org.glasshouse.helper.linux;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Flag constants of the calls in {@link Syscalls}, with their names, so arguments print the way a
 * human writes them ({@code MS_PRIVATE|MS_REC}, {@code CLONE_NEWNS|CLONE_NEWUTS}).
 */
public final class Flags {
  private Flags() {}

  // clone/unshare/setns namespace flags (linux/sched.h)
  /** unshare: a private copy of the thread's root, cwd and umask (before setns into a mount ns). */
  public static final int CLONE_FS = 0x00000200;

  /** New mount namespace (level 02). */
  public static final int CLONE_NEWNS = 0x00020000;

  /** New cgroup namespace (level 08). */
  public static final int CLONE_NEWCGROUP = 0x02000000;

  /** New UTS namespace: hostname (level 05). */
  public static final int CLONE_NEWUTS = 0x04000000;

  /** New IPC namespace (level 05). */
  public static final int CLONE_NEWIPC = 0x08000000;

  /** New user namespace (not used: fails in a multi-threaded process). */
  public static final int CLONE_NEWUSER = 0x10000000;

  /** New PID namespace for the caller's future children (level 06). */
  public static final int CLONE_NEWPID = 0x20000000;

  /** New network namespace (level 07). */
  public static final int CLONE_NEWNET = 0x40000000;

  // mount flags (linux/mount.h)
  /** Read-only mount. */
  public static final long MS_RDONLY = 1;

  /** Ignore set-user-id bits. */
  public static final long MS_NOSUID = 2;

  /** No device files. */
  public static final long MS_NODEV = 4;

  /** No execution. */
  public static final long MS_NOEXEC = 8;

  /** Change flags of an existing mount. */
  public static final long MS_REMOUNT = 32;

  /** Bind mount. */
  public static final long MS_BIND = 4096;

  /** Move a mount. */
  public static final long MS_MOVE = 8192;

  /** Recursive (with MS_BIND or a propagation flag). */
  public static final long MS_REC = 16384;

  /** Propagation: unbindable. */
  public static final long MS_UNBINDABLE = 1 << 17;

  /** Propagation: private, nothing propagates in or out. */
  public static final long MS_PRIVATE = 1 << 18;

  /** Propagation: slave, receives from its master only. */
  public static final long MS_SLAVE = 1 << 19;

  /** Propagation: shared. */
  public static final long MS_SHARED = 1 << 20;

  // umount2 flags
  /** Lazy unmount: detach now, clean up once no longer busy. */
  public static final int MNT_DETACH = 2;

  private static final Map<Long, String> CLONE = new LinkedHashMap<>();
  private static final Map<Long, String> MOUNT = new LinkedHashMap<>();

  static {
    CLONE.put((long) CLONE_FS, "CLONE_FS");
    CLONE.put((long) CLONE_NEWNS, "CLONE_NEWNS");
    CLONE.put((long) CLONE_NEWCGROUP, "CLONE_NEWCGROUP");
    CLONE.put((long) CLONE_NEWUTS, "CLONE_NEWUTS");
    CLONE.put((long) CLONE_NEWIPC, "CLONE_NEWIPC");
    CLONE.put((long) CLONE_NEWUSER, "CLONE_NEWUSER");
    CLONE.put((long) CLONE_NEWPID, "CLONE_NEWPID");
    CLONE.put((long) CLONE_NEWNET, "CLONE_NEWNET");
    MOUNT.put(MS_RDONLY, "MS_RDONLY");
    MOUNT.put(MS_NOSUID, "MS_NOSUID");
    MOUNT.put(MS_NODEV, "MS_NODEV");
    MOUNT.put(MS_NOEXEC, "MS_NOEXEC");
    MOUNT.put(MS_REMOUNT, "MS_REMOUNT");
    MOUNT.put(MS_BIND, "MS_BIND");
    MOUNT.put(MS_MOVE, "MS_MOVE");
    MOUNT.put(MS_UNBINDABLE, "MS_UNBINDABLE");
    MOUNT.put(MS_PRIVATE, "MS_PRIVATE");
    MOUNT.put(MS_SLAVE, "MS_SLAVE");
    MOUNT.put(MS_SHARED, "MS_SHARED");
    MOUNT.put(MS_REC, "MS_REC");
  }

  /** {@code CLONE_NEWNS|CLONE_NEWUTS}; {@code 0} when empty. */
  public static String cloneFlags(long flags) {
    return render(flags, CLONE);
  }

  /** {@code MS_PRIVATE|MS_REC}; {@code 0} when empty. */
  public static String mountFlags(long flags) {
    return render(flags, MOUNT);
  }

  /**
   * The inverse of {@link #mountFlags}: {@code MS_PRIVATE|MS_REC} → their value; empty for a name
   * it does not know.
   */
  public static java.util.OptionalLong parseMountFlags(String text) {
    return parse(text, MOUNT);
  }

  /** {@code MNT_DETACH} or the number. */
  public static String umountFlags(int flags) {
    return flags == MNT_DETACH ? "MNT_DETACH" : String.valueOf(flags);
  }

  private static java.util.OptionalLong parse(String text, Map<Long, String> names) {
    if (text == null || text.isEmpty()) {
      return java.util.OptionalLong.empty();
    }
    long flags = 0;
    for (String part : text.split("\\|", -1)) {
      Long value = null;
      if (part.equals("0")) {
        value = 0L;
      } else if (part.startsWith("0x")) {
        try {
          value = Long.parseUnsignedLong(part.substring(2), 16);
        } catch (NumberFormatException e) {
          return java.util.OptionalLong.empty();
        }
      } else {
        for (Map.Entry<Long, String> e : names.entrySet()) {
          if (e.getValue().equals(part)) {
            value = e.getKey();
          }
        }
      }
      if (value == null) {
        return java.util.OptionalLong.empty();
      }
      flags |= value;
    }
    return java.util.OptionalLong.of(flags);
  }

  private static String render(long flags, Map<Long, String> names) {
    if (flags == 0) {
      return "0";
    }
    List<String> parts = new ArrayList<>();
    long rest = flags;
    for (Map.Entry<Long, String> e : names.entrySet()) {
      if ((rest & e.getKey()) != 0) {
        parts.add(e.getValue());
        rest &= ~e.getKey();
      }
    }
    if (rest != 0) {
      parts.add("0x" + Long.toHexString(rest));
    }
    return String.join("|", parts);
  }
}

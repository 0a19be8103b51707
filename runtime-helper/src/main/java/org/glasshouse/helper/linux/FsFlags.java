package org.glasshouse.helper.linux;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Flags of {@link FsCalls} with the kernel's values for the running architecture (x86-64 and arm64
 * disagree on {@code O_DIRECTORY} and {@code O_NOFOLLOW}) and their names, so arguments print the
 * way strace prints them.
 */
public final class FsFlags {
  private FsFlags() {}

  private static final boolean ARM64 =
      switch (System.getProperty("os.arch")) {
        case "aarch64", "arm64" -> true;
        default -> false;
      };

  /** Read only. */
  public static final int O_RDONLY = 0;

  /** Write only. */
  public static final int O_WRONLY = 01;

  /** Read and write. */
  public static final int O_RDWR = 02;

  /** A terminal opened this way never becomes the controlling terminal. */
  public static final int O_NOCTTY = 0400;

  /** Create if missing. */
  public static final int O_CREAT = 0100;

  /** With O_CREAT: fail with EEXIST if anything, a dangling link included, has that name. */
  public static final int O_EXCL = 0200;

  /** Never block (a fifo opened for reading). */
  public static final int O_NONBLOCK = 04000;

  /** Fail with ENOTDIR unless a directory. */
  public static final int O_DIRECTORY = ARM64 ? 040000 : 0200000;

  /** Fail with ELOOP if the last component is a symbolic link. */
  public static final int O_NOFOLLOW = ARM64 ? 0100000 : 0400000;

  /** Close on execve. */
  public static final int O_CLOEXEC = 02000000;

  /** A handle on the path only: no read, no write, no permission needed on the file itself. */
  public static final int O_PATH = 010000000;

  /** openat2: no component may leave the starting directory ({@code ..}, absolute, links). */
  public static final long RESOLVE_BENEATH = 0x08;

  /** openat2: no component may be a symbolic link. */
  public static final long RESOLVE_NO_SYMLINKS = 0x04;

  /** openat2: no {@code /proc/PID/fd}-style magic link. */
  public static final long RESOLVE_NO_MAGICLINKS = 0x02;

  /** openat2: no component may cross into another mount. */
  public static final long RESOLVE_NO_XDEV = 0x01;

  /**
   * openat2: resolve as if the starting directory were {@code /} (absolute links and {@code ..}
   * stop there), the way the tree's own processes see it.
   */
  public static final long RESOLVE_IN_ROOT = 0x10;

  /**
   * The resolution every walk of an image or container tree uses: beneath the starting directory,
   * through no link of any kind, within its mount.
   */
  public static final long RESOLVE_STRICT =
      RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV;

  /** The current directory as a dirfd. */
  public static final int AT_FDCWD = -100;

  /** Act on a link itself. */
  public static final int AT_SYMLINK_NOFOLLOW = 0x100;

  /** unlinkat: remove a directory. */
  public static final int AT_REMOVEDIR = 0x200;

  /** An empty path means the dirfd itself. */
  public static final int AT_EMPTY_PATH = 0x1000;

  /** {@code flock(2)}: a shared lock. */
  public static final int LOCK_SH = 1;

  /** {@code flock(2)}: an exclusive lock. */
  public static final int LOCK_EX = 2;

  /** {@code flock(2)}: fail with EWOULDBLOCK instead of waiting. */
  public static final int LOCK_NB = 4;

  private static final Map<Integer, String> OPEN = new LinkedHashMap<>();
  private static final Map<Integer, String> RESOLVE = new LinkedHashMap<>();
  private static final Map<Integer, String> AT = new LinkedHashMap<>();
  private static final Map<Integer, String> LOCK = new LinkedHashMap<>();

  static {
    OPEN.put(O_WRONLY, "O_WRONLY");
    OPEN.put(O_CREAT, "O_CREAT");
    OPEN.put(O_EXCL, "O_EXCL");
    OPEN.put(O_NOCTTY, "O_NOCTTY");
    OPEN.put(O_NONBLOCK, "O_NONBLOCK");
    OPEN.put(O_DIRECTORY, "O_DIRECTORY");
    OPEN.put(O_NOFOLLOW, "O_NOFOLLOW");
    OPEN.put(O_CLOEXEC, "O_CLOEXEC");
    OPEN.put(O_PATH, "O_PATH");
    RESOLVE.put((int) RESOLVE_BENEATH, "RESOLVE_BENEATH");
    RESOLVE.put((int) RESOLVE_NO_SYMLINKS, "RESOLVE_NO_SYMLINKS");
    RESOLVE.put((int) RESOLVE_NO_MAGICLINKS, "RESOLVE_NO_MAGICLINKS");
    RESOLVE.put((int) RESOLVE_NO_XDEV, "RESOLVE_NO_XDEV");
    RESOLVE.put((int) RESOLVE_IN_ROOT, "RESOLVE_IN_ROOT");
    AT.put(AT_SYMLINK_NOFOLLOW, "AT_SYMLINK_NOFOLLOW");
    AT.put(AT_REMOVEDIR, "AT_REMOVEDIR");
    AT.put(AT_EMPTY_PATH, "AT_EMPTY_PATH");
    LOCK.put(LOCK_SH, "LOCK_SH");
    LOCK.put(LOCK_EX, "LOCK_EX");
    LOCK.put(LOCK_NB, "LOCK_NB");
  }

  /** {@code O_RDONLY|O_DIRECTORY|O_NOFOLLOW|O_CLOEXEC}; {@code O_RDWR|O_NOCTTY}. */
  public static String open(int flags) {
    String rest = render(flags & ~(O_WRONLY | O_RDWR), OPEN);
    String access =
        (flags & O_RDWR) != 0 ? "O_RDWR" : (flags & O_WRONLY) != 0 ? "O_WRONLY" : "O_RDONLY";
    return rest.equals("0") ? access : access + "|" + rest;
  }

  /** {@code RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS}; {@code 0} when empty. */
  public static String resolve(long flags) {
    return render((int) flags, RESOLVE);
  }

  /** {@code AT_SYMLINK_NOFOLLOW}; {@code 0} when empty. */
  public static String at(int flags) {
    return render(flags, AT);
  }

  /** {@code LOCK_EX|LOCK_NB}. */
  public static String lock(int op) {
    return render(op, LOCK);
  }

  private static String render(int flags, Map<Integer, String> names) {
    if (flags == 0) {
      return "0";
    }
    List<String> parts = new ArrayList<>();
    int rest = flags;
    for (Map.Entry<Integer, String> e : names.entrySet()) {
      if ((rest & e.getKey()) != 0) {
        parts.add(e.getValue());
        rest &= ~e.getKey();
      }
    }
    if (rest != 0) {
      parts.add("0" + Integer.toOctalString(rest));
    }
    return String.join("|", parts);
  }
}

package org.glasshouse.helper.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Directory-fd calls for walking a tree a container made, the way {@code rm -rf} does: every name
 * is resolved relative to an open directory ({@code openat}, {@code statx}, {@code unlinkat}) and
 * never through a symbolic link ({@code O_NOFOLLOW}, {@code AT_SYMLINK_NOFOLLOW}), so neither a
 * path longer than {@code PATH_MAX} nor a link planted in the tree can stop or divert the walk.
 * Every failure is an {@link IOException} that reads like strace: {@code unlinkat(12, "d",
 * AT_REMOVEDIR) = -1 ENOTEMPTY (Directory not empty)}.
 */
public final class DirFds {

  private DirFds() {}

  /** libc's *at calls; {@code syscall} for getdents64, which glibc does not wrap by that name. */
  interface LibC extends Library {
    // Paths are NUL-terminated bytes: a name a container made need not be UTF-8.
    int openat(int dirfd, byte[] path, int flags, int mode) throws LastErrorException;

    int statx(int dirfd, byte[] path, int flags, int mask, Pointer buf) throws LastErrorException;

    int unlinkat(int dirfd, byte[] path, int flags) throws LastErrorException;

    int fchmod(int fd, int mode) throws LastErrorException;

    int chmod(String path, int mode) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int flock(int fd, int operation) throws LastErrorException;

    NativeLong syscall(NativeLong number, Object... args) throws LastErrorException;

    String strerror(int errno);
  }

  private static final LibC LIBC = Native.load("c", LibC.class);

  /** {@code openat}'s "relative to the working directory": for an absolute path. */
  public static final int AT_FDCWD = -100;

  private static final int O_RDONLY = 0;
  private static final int O_DIRECTORY = 0x10000;
  private static final int O_NOFOLLOW = 0x20000;
  private static final int O_CLOEXEC = 0x80000;
  private static final int O_PATH = 0x200000;
  private static final int AT_SYMLINK_NOFOLLOW = 0x100;
  private static final int AT_REMOVEDIR = 0x200;
  private static final int AT_NO_AUTOMOUNT = 0x800;
  private static final int AT_EMPTY_PATH = 0x1000;
  private static final int STATX_TYPE = 0x1;
  private static final int STATX_MODE = 0x2;
  private static final int STATX_INO = 0x100;
  private static final int STATX_MNT_ID = 0x1000;
  private static final int STATX_SIZE = 256;
  private static final int DIRENTS_BYTES = 32 * 1024;
  private static final int S_IFMT = 0170000;
  private static final int S_IFDIR = 0040000;
  private static final int GETDENTS64 =
      switch (System.getProperty("os.arch")) {
        case "aarch64", "arm64" -> 61;
        default -> 217;
      };

  /** Error numbers the walk reacts to. */
  public static final int ENOENT = 2;

  public static final int EACCES = 13;

  /**
   * What {@code statx} says of a name.
   *
   * @param mode type and permission bits
   * @param ino the inode number
   * @param mountId the mount it is on ({@code STATX_MNT_ID}): a different one means a mount point,
   *     bind mounts of the same filesystem included
   */
  public record Stat(int mode, long ino, long mountId) {
    /** Whether it is a directory (never a link to one: links are not followed). */
    public boolean isDirectory() {
      return (mode & S_IFMT) == S_IFDIR;
    }
  }

  /** A failed call, with its errno for the caller to react to. */
  public static final class Failure extends IOException {
    private static final long serialVersionUID = 1L;
    private final int errno;

    Failure(String call, int errno) {
      super(call + " = -1 " + Errno.name(errno) + " (" + LIBC.strerror(errno) + ")");
      this.errno = errno;
    }

    public int errno() {
      return errno;
    }
  }

  private static String q(byte[] name) {
    return SyscallArgs.q(text(name));
  }

  /** A name as text (undecodable bytes shown as U+FFFD), for messages only. */
  public static String text(byte[] name) {
    return new String(name, StandardCharsets.UTF_8);
  }

  /** A name from text (for names the helper chose, like a container dir). */
  public static byte[] name(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] c(byte[] name) {
    return java.util.Arrays.copyOf(name, name.length + 1);
  }

  /**
   * Opens a directory for reading its entries: {@code openat(dirfd, name,
   * O_RDONLY|O_DIRECTORY|O_NOFOLLOW|O_CLOEXEC)}; a link or a non-directory fails.
   */
  public static int openDirectory(int dirfd, byte[] name) throws Failure {
    try {
      return LIBC.openat(dirfd, c(name), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0);
    } catch (LastErrorException e) {
      throw new Failure(
          "openat(" + dirfd + ", " + q(name) + ", O_RDONLY|O_DIRECTORY|O_NOFOLLOW|O_CLOEXEC)",
          e.getErrorCode());
    }
  }

  /**
   * Makes a directory its owner can search and change ({@code |0700}), reaching it by an {@code
   * O_PATH|O_NOFOLLOW} fd (which needs no permission on it) and {@code /proc/self/fd}: for a
   * directory the container made unreadable, when the helper lacks root's DAC override (tests).
   */
  public static void makeSearchable(int dirfd, byte[] name) throws Failure {
    int fd;
    try {
      fd = LIBC.openat(dirfd, c(name), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0);
    } catch (LastErrorException e) {
      throw new Failure(
          "openat(" + dirfd + ", " + q(name) + ", O_PATH|O_DIRECTORY|O_NOFOLLOW)",
          e.getErrorCode());
    }
    try {
      Stat st = stat(fd, new byte[0]);
      LIBC.chmod("/proc/self/fd/" + fd, (st.mode() & 07777) | 0700);
    } catch (LastErrorException e) {
      throw new Failure("chmod(\"/proc/self/fd/" + fd + "\", …|0700)", e.getErrorCode());
    } finally {
      close(fd);
    }
  }

  /** Gives the owner of an open directory rwx on it ({@code fchmod}), so entries can go. */
  public static void fchmod(int fd, int mode) throws Failure {
    try {
      LIBC.fchmod(fd, mode);
    } catch (LastErrorException e) {
      throw new Failure(
          "fchmod(" + fd + ", 0" + Integer.toOctalString(mode) + ")", e.getErrorCode());
    }
  }

  /**
   * {@code statx(dirfd, name, AT_SYMLINK_NOFOLLOW|AT_NO_AUTOMOUNT)}; the fd itself with an empty
   * name ({@code AT_EMPTY_PATH}).
   */
  public static Stat stat(int dirfd, byte[] name) throws Failure {
    Memory buf = new Memory(STATX_SIZE);
    int flags = AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | (name.length == 0 ? AT_EMPTY_PATH : 0);
    try {
      LIBC.statx(dirfd, c(name), flags, STATX_TYPE | STATX_MODE | STATX_INO | STATX_MNT_ID, buf);
    } catch (LastErrorException e) {
      throw new Failure(
          "statx(" + dirfd + ", " + q(name) + ", AT_SYMLINK_NOFOLLOW|AT_NO_AUTOMOUNT)",
          e.getErrorCode());
    }
    // struct statx: stx_mode (u16) at 28, stx_ino (u64) at 32, stx_mnt_id (u64) at 144.
    return new Stat(buf.getShort(28) & 0xffff, buf.getLong(32), buf.getLong(144));
  }

  /** {@code unlinkat(dirfd, name, dir ? AT_REMOVEDIR : 0)}: never follows a link. */
  public static void unlink(int dirfd, byte[] name, boolean dir) throws Failure {
    try {
      LIBC.unlinkat(dirfd, c(name), dir ? AT_REMOVEDIR : 0);
    } catch (LastErrorException e) {
      throw new Failure(
          "unlinkat(" + dirfd + ", " + q(name) + ", " + (dir ? "AT_REMOVEDIR" : "0") + ")",
          e.getErrorCode());
    }
  }

  /** {@code flock(2)}: a shared lock. */
  public static final int LOCK_SH = 1;

  /** {@code flock(2)}: an exclusive lock. */
  public static final int LOCK_EX = 2;

  /** {@code flock(2)}: fail instead of waiting. */
  public static final int LOCK_NB = 4;

  /**
   * {@code flock(fd, op)}: locks the file (a directory too) open on {@code fd}; with {@link
   * #LOCK_NB}, false when another holds a conflicting lock. The lock goes with the last fd of its
   * open file description — and with the process, however it dies.
   */
  public static boolean flock(int fd, int op) throws Failure {
    while (true) {
      try {
        LIBC.flock(fd, op);
        return true;
      } catch (LastErrorException e) {
        if (e.getErrorCode() == 11 /* EWOULDBLOCK */ && (op & LOCK_NB) != 0) {
          return false;
        }
        if (e.getErrorCode() != Errno.EINTR) {
          throw new Failure("flock(" + fd + ", " + op + ")", e.getErrorCode());
        }
      }
    }
  }

  /** {@code close(fd)}; an error (EBADF) cannot be acted on and is not reported. */
  public static void close(int fd) {
    try {
      LIBC.close(fd);
    } catch (LastErrorException e) {
      // The fd is gone either way.
    }
  }

  /**
   * The next names of an open directory, at most one {@code getdents64} buffer's worth, without
   * {@code .} and {@code ..}; empty at the end. Names are the kernel's bytes, not text.
   */
  public static List<byte[]> readNames(int fd) throws Failure {
    Memory buf = new Memory(DIRENTS_BYTES);
    int n;
    try {
      n = LIBC.syscall(new NativeLong(GETDENTS64), fd, buf, DIRENTS_BYTES).intValue();
    } catch (LastErrorException e) {
      throw new Failure("getdents64(" + fd + ", …, " + DIRENTS_BYTES + ")", e.getErrorCode());
    }
    List<byte[]> names = new ArrayList<>();
    int off = 0;
    while (off < n) {
      // struct linux_dirent64 { u64 d_ino; s64 d_off; u16 d_reclen; u8 d_type; char d_name[]; }
      int reclen = buf.getShort(off + 16) & 0xffff;
      int len = 0;
      while (buf.getByte(off + 19 + len) != 0) {
        len++;
      }
      byte[] name = buf.getByteArray(off + 19, len);
      boolean dots = (len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.');
      if (!dots) {
        names.add(name);
      }
      off += reclen;
    }
    return names;
  }

  /**
   * The parent of an open directory: {@code openat(fd, "..", O_RDONLY|O_DIRECTORY|O_NOFOLLOW)} —
   * for a walk that closed the fds of directories far above it and comes back up.
   */
  public static int openParent(int fd) throws Failure {
    return openDirectory(fd, DOTDOT);
  }

  private static final byte[] DOTDOT = {'.', '.'};
}

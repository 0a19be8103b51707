package org.glasshouse.helper.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Looks into a tree a container or an image shaped — a container's {@code /etc/passwd}, whether an
 * image layer has a path — from a directory fd, never through a path string the kernel would
 * re-walk through links the container planted. Every lookup is one {@code openat2(2)} (Linux 5.6)
 * relative to the directory opened by {@link #open}:
 *
 * <ul>
 *   <li>{@link #readRegular} resolves as the container itself would ({@code RESOLVE_IN_ROOT}: an
 *       absolute link or {@code ..} stops at the directory, as at {@code /}), refuses magic links
 *       ({@code /proc/self/root/…}), opens with {@code O_NONBLOCK} so a FIFO planted in place of
 *       the file cannot stall the helper, and reads only a regular file;
 *   <li>{@link #exists} follows no link at all ({@code RESOLVE_NO_SYMLINKS}, {@code O_NOFOLLOW}): a
 *       link is an entry of its own, as overlayfs sees one in a lower layer.
 * </ul>
 *
 * A lookup that the kernel refuses because it would leave the tree ({@code EXDEV}, {@code ELOOP})
 * or that meets a non-directory ({@code ENOTDIR}) finds nothing, like a missing file.
 */
public final class Beneath implements AutoCloseable {
  private static final long OPENAT2 = 437; // the same number on x86-64 and arm64 (generic table)
  private static final int O_RDONLY = 0;
  private static final int O_NONBLOCK = 04000;
  private static final int O_NOCTTY = 0400;
  private static final int O_CLOEXEC = 02000000;
  private static final int O_PATH = 010000000;
  // O_DIRECTORY and O_NOFOLLOW are among the few flags whose values differ on arm64.
  private static final boolean ARM64 =
      System.getProperty("os.arch").equals("aarch64")
          || System.getProperty("os.arch").equals("arm64");
  private static final int O_DIRECTORY = ARM64 ? 040000 : 0200000;
  private static final int O_NOFOLLOW = ARM64 ? 0100000 : 0400000;
  private static final long RESOLVE_NO_MAGICLINKS = 0x02;
  private static final long RESOLVE_NO_SYMLINKS = 0x04;
  private static final long RESOLVE_BENEATH = 0x08;
  private static final long RESOLVE_IN_ROOT = 0x10;
  private static final int ENOENT = 2;
  private static final int ENOTDIR = 20;
  private static final int EXDEV = 18;
  private static final int ELOOP = 40;

  /** The few libc calls this needs, bound on their own so the class stays self-contained. */
  interface C extends Library {
    NativeLong syscall(NativeLong number, Object... args) throws LastErrorException;

    int open(String path, int flags, int mode) throws LastErrorException;

    NativeLong read(int fd, byte[] buf, NativeLong count) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    String strerror(int errnum);
  }

  private static final class Holder {
    static final C LIBC = Native.load("c", C.class);
  }

  private final Path dir;
  private final int fd;

  private Beneath(Path dir, int fd) {
    this.dir = dir;
    this.fd = fd;
  }

  /**
   * Opens {@code dir} as the root of later lookups. The path itself is trusted: the helper's state
   * directory, or {@code /proc/PID/root} (a magic link the kernel resolves to the process's root).
   */
  public static Beneath open(Path dir) throws SyscallException {
    int flags = O_PATH | O_CLOEXEC | O_DIRECTORY;
    try {
      return new Beneath(dir, Holder.LIBC.open(dir.toString(), flags, 0));
    } catch (LastErrorException e) {
      throw error("open", SyscallArgs.q(dir.toString()) + ", O_PATH|O_DIRECTORY|O_CLOEXEC", e);
    }
  }

  /**
   * The content of the regular file at {@code path} (relative, or absolute as the tree's own
   * processes see it), at most {@code max} bytes; empty when there is none there, or it is not a
   * regular file.
   */
  public Optional<byte[]> readRegular(String path, int max) throws SyscallException {
    int f = openat2(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, readResolve());
    if (f < 0) {
      return Optional.empty();
    }
    try {
      if (!isRegular(f)) {
        return Optional.empty();
      }
      byte[] buf = new byte[max];
      int n = 0;
      while (n < max) {
        byte[] chunk = new byte[Math.min(65536, max - n)];
        int r = Holder.LIBC.read(f, chunk, new NativeLong(chunk.length)).intValue();
        if (r <= 0) {
          break;
        }
        System.arraycopy(chunk, 0, buf, n, r);
        n += r;
      }
      return Optional.of(Arrays.copyOf(buf, n));
    } catch (LastErrorException e) {
      throw error("read", f + "</" + dir + "/" + path + ">", e);
    } finally {
      closeQuietly(f);
    }
  }

  /** Whether the tree has an entry at {@code path} (relative), following no link on the way. */
  public boolean exists(String path) throws SyscallException {
    int f = openat2(path, O_PATH | O_NOFOLLOW | O_CLOEXEC, RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS);
    if (f < 0) {
      return false;
    }
    closeQuietly(f);
    return true;
  }

  private static long readResolve() {
    return RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  }

  /** The fd, or -1 when the kernel says there is nothing there for this lookup. */
  private int openat2(String path, int flags, long resolve) throws SyscallException {
    String rel = path.startsWith("/") ? path.substring(1) : path;
    if (rel.isEmpty() || rel.indexOf('\0') >= 0) {
      return -1;
    }
    try (Memory how = new Memory(24)) {
      how.setLong(0, flags);
      how.setLong(8, 0);
      how.setLong(16, resolve);
      return Holder.LIBC
          .syscall(new NativeLong(OPENAT2), new NativeLong(fd), rel, how, new NativeLong(24))
          .intValue();
    } catch (LastErrorException e) {
      int errno = e.getErrorCode();
      if (errno == ENOENT || errno == ENOTDIR || errno == EXDEV || errno == ELOOP) {
        return -1;
      }
      throw error(
          "openat2",
          fd
              + "</"
              + dir
              + ">, "
              + SyscallArgs.q(rel)
              + ", {resolve=0x"
              + Long.toHexString(resolve)
              + "}",
          e);
    }
  }

  /** The type of the opened file, read through its fd's magic link (the very inode opened). */
  private static boolean isRegular(int f) {
    try {
      return Files.isRegularFile(Path.of("/proc/self/fd/" + f));
    } catch (SecurityException e) {
      return false;
    }
  }

  private static void closeQuietly(int f) {
    try {
      Holder.LIBC.close(f);
    } catch (LastErrorException e) {
      // close(2) of an fd we own fails only with EINTR/EIO; the fd is released either way.
    }
  }

  private static SyscallException error(String call, String args, LastErrorException e) {
    int errno = e.getErrorCode();
    return new SyscallException(call, args, errno, Errno.name(errno), Holder.LIBC.strerror(errno));
  }

  @Override
  public void close() {
    closeQuietly(fd);
  }

  /** For messages: the directory this looks beneath. */
  @Override
  public String toString() {
    return "Beneath[" + dir + "]";
  }
}

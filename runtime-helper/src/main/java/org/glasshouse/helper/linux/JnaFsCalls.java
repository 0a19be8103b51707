package org.glasshouse.helper.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Supplier;

/** {@link FsCalls} on the real kernel through JNA. Thread-safe: it holds no state but libc. */
final class JnaFsCalls implements FsCalls {

  static final JnaFsCalls INSTANCE = new JnaFsCalls();

  /** {@code EWOULDBLOCK} (= EAGAIN on Linux). */
  private static final int EWOULDBLOCK = 11;

  /**
   * The libc functions of this seam; every call reports errno through LastErrorException. Bound by
   * JNA's direct mapping ({@link DirectFsLibC}), which has no varargs: {@code syscall} is declared
   * once per shape of arguments a caller passes.
   */
  interface LibC {
    /** {@code syscall(SYS_openat2, dirfd, path, how, size)}. */
    long syscall(long number, int dirfd, byte[] path, Pointer how, long size)
        throws LastErrorException;

    int openat(int dirfd, byte[] path, int flags, int mode) throws LastErrorException;

    int mkdirat(int dirfd, byte[] name, int mode) throws LastErrorException;

    int symlinkat(byte[] target, int dirfd, byte[] name) throws LastErrorException;

    int mknodat(int dirfd, byte[] name, int mode, long dev) throws LastErrorException;

    int linkat(int olddirfd, byte[] oldname, int newdirfd, byte[] newname, int flags)
        throws LastErrorException;

    int unlinkat(int dirfd, byte[] name, int flags) throws LastErrorException;

    int fchownat(int dirfd, byte[] path, int uid, int gid, int flags) throws LastErrorException;

    int fchown(int fd, int uid, int gid) throws LastErrorException;

    int fchmod(int fd, int mode) throws LastErrorException;

    int flock(int fd, int op) throws LastErrorException;

    int chmod(String path, int mode) throws LastErrorException;

    int utimensat(int dirfd, byte[] path, Pointer times, int flags) throws LastErrorException;

    int futimens(int fd, Pointer times) throws LastErrorException;

    int statx(int dirfd, byte[] path, int flags, int mask, Pointer buf) throws LastErrorException;

    long getdents64(int fd, byte[] buf, long count) throws LastErrorException;

    long lseek(int fd, long offset, int whence) throws LastErrorException;

    long fgetxattr(int fd, String name, byte[] value, long size) throws LastErrorException;

    long write(int fd, Pointer buf, long count) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    String strerror(int errno);
  }

  /** openat2 has no glibc wrapper; its number is the same on x86-64 and arm64. */
  private static final int SYS_OPENAT2 = 437;

  private static final int STATX_BASIC_STATS = 0x7ff;
  private static final int STATX_BTIME = 0x800;
  private static final int STATX_MNT_ID = 0x1000;
  private static final long UTIME_OMIT = (1L << 30) - 2;
  private static final int ENODATA = 61;

  private final LibC libc;

  private JnaFsCalls() {
    this.libc = new DirectFsLibC();
  }

  /** Runs {@code body}; a failure becomes a SyscallException whose arguments are built then. */
  private <T> T call(String name, Supplier<String> args, LastErrors.Body<T> body)
      throws SyscallException {
    return LastErrors.call(name, args, libc::strerror, body);
  }

  /** Like strace -y: {@code 7</var/lib/glasshouse/images/x/.extract-1>}. */
  private static String fd(int fd) {
    if (fd == FsFlags.AT_FDCWD) {
      return "AT_FDCWD";
    }
    try {
      return fd + "<" + Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)) + ">";
    } catch (IOException | RuntimeException e) {
      // Closed meanwhile, or a path longer than the kernel will print.
      return String.valueOf(fd);
    }
  }

  /** A path as strace quotes it: printable ASCII as is, every other byte escaped. */
  static String q(byte[] path) {
    if (path == null) {
      return "NULL";
    }
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < path.length && path[i] != 0; i++) {
      int c = path[i] & 0xff;
      if (c == '"' || c == '\\') {
        b.append('\\').append((char) c);
      } else if (c >= 0x20 && c < 0x7f) {
        b.append((char) c);
      } else {
        b.append(String.format("\\x%02x", c));
      }
    }
    return b.append('"').toString();
  }

  /** The C string: the bytes and a NUL (null stays NULL). */
  private static byte[] c(byte[] s) {
    return s == null ? null : Arrays.copyOf(s, s.length + 1);
  }

  private static String octal(int mode) {
    return mode == 0 ? "0" : "0" + Integer.toOctalString(mode);
  }

  @Override
  public int openat2(int dirfd, byte[] path, int flags, int mode, long resolve)
      throws SyscallException {
    Memory how = new Memory(24);
    how.setLong(0, Integer.toUnsignedLong(flags));
    how.setLong(8, mode);
    how.setLong(16, resolve);
    byte[] p = c(path);
    return call(
            "openat2",
            () ->
                fd(dirfd)
                    + ", "
                    + q(path)
                    + ", {flags="
                    + FsFlags.open(flags)
                    + ", mode="
                    + octal(mode)
                    + ", resolve="
                    + FsFlags.resolve(resolve)
                    + "}, 24",
            () -> libc.syscall(SYS_OPENAT2, dirfd, p, how, 24))
        .intValue();
  }

  @Override
  public int openat(int dirfd, byte[] path, int flags, int mode) throws SyscallException {
    byte[] p = c(path);
    return call(
        "openat",
        () -> fd(dirfd) + ", " + q(path) + ", " + FsFlags.open(flags) + ", " + octal(mode),
        () -> libc.openat(dirfd, p, flags, mode));
  }

  @Override
  public void mkdirat(int dirfd, byte[] name, int mode) throws SyscallException {
    byte[] n = c(name);
    call(
        "mkdirat",
        () -> fd(dirfd) + ", " + q(name) + ", " + octal(mode),
        () -> libc.mkdirat(dirfd, n, mode));
  }

  @Override
  public void mknodat(int dirfd, byte[] name, int mode, long dev) throws SyscallException {
    byte[] n = c(name);
    call(
        "mknodat",
        () ->
            fd(dirfd)
                + ", "
                + q(name)
                + ", "
                + ((mode & 0170000) == 0020000 ? "S_IFCHR|" : "")
                + octal(mode & 07777)
                + ", makedev(0x"
                + Long.toHexString(((dev >>> 32) & 0xfffff000L) | ((dev >>> 8) & 0xfff))
                + ", 0x"
                + Long.toHexString(((dev >>> 12) & 0xffffff00L) | (dev & 0xff))
                + ")",
        () -> libc.mknodat(dirfd, n, mode, dev));
  }

  @Override
  public void symlinkat(byte[] target, int dirfd, byte[] name) throws SyscallException {
    byte[] t = c(target);
    byte[] n = c(name);
    call(
        "symlinkat",
        () -> q(target) + ", " + fd(dirfd) + ", " + q(name),
        () -> libc.symlinkat(t, dirfd, n));
  }

  @Override
  public void linkat(int olddirfd, byte[] oldname, int newdirfd, byte[] newname, int flags)
      throws SyscallException {
    byte[] o = c(oldname);
    byte[] n = c(newname);
    call(
        "linkat",
        () ->
            fd(olddirfd)
                + ", "
                + q(oldname)
                + ", "
                + fd(newdirfd)
                + ", "
                + q(newname)
                + ", "
                + FsFlags.at(flags),
        () -> libc.linkat(olddirfd, o, newdirfd, n, flags));
  }

  @Override
  public void unlinkat(int dirfd, byte[] name, int flags) throws SyscallException {
    byte[] n = c(name);
    call(
        "unlinkat",
        () -> fd(dirfd) + ", " + q(name) + ", " + FsFlags.at(flags),
        () -> libc.unlinkat(dirfd, n, flags));
  }

  @Override
  public void fchownat(int dirfd, byte[] path, int uid, int gid, int flags)
      throws SyscallException {
    byte[] p = c(path);
    call(
        "fchownat",
        () -> fd(dirfd) + ", " + q(path) + ", " + uid + ", " + gid + ", " + FsFlags.at(flags),
        () -> libc.fchownat(dirfd, p, uid, gid, flags));
  }

  @Override
  public void fchown(int fd, int uid, int gid) throws SyscallException {
    call("fchown", () -> fd(fd) + ", " + uid + ", " + gid, () -> libc.fchown(fd, uid, gid));
  }

  @Override
  public void fchmod(int fd, int mode) throws SyscallException {
    call("fchmod", () -> fd(fd) + ", " + octal(mode), () -> libc.fchmod(fd, mode));
  }

  @Override
  public void fchmodPath(int opathFd, int mode) throws SyscallException {
    String p = "/proc/self/fd/" + opathFd;
    call("chmod", () -> "\"" + p + "\", " + octal(mode), () -> libc.chmod(p, mode));
  }

  @Override
  public void utimensat(int dirfd, byte[] path, long sec, long nsec, int flags)
      throws SyscallException {
    Memory times = new Memory(32);
    times.setLong(0, 0);
    times.setLong(8, UTIME_OMIT);
    times.setLong(16, sec);
    times.setLong(24, nsec);
    if (path == null) {
      // glibc's utimensat refuses a NULL path (a Linux extension): futimens is that call.
      call(
          "futimens",
          () -> fd(dirfd) + ", [UTIME_OMIT, {tv_sec=" + sec + ", tv_nsec=" + nsec + "}]",
          () -> libc.futimens(dirfd, times));
      return;
    }
    byte[] p = c(path);
    call(
        "utimensat",
        () ->
            fd(dirfd)
                + ", "
                + q(path)
                + ", [UTIME_OMIT, {tv_sec="
                + sec
                + ", tv_nsec="
                + nsec
                + "}], "
                + FsFlags.at(flags),
        () -> libc.utimensat(dirfd, p, times, flags));
  }

  @Override
  public Stat statx(int dirfd, byte[] path, int flags) throws SyscallException {
    Memory buf = new Memory(256);
    buf.clear();
    byte[] p = c(path);
    int mask = STATX_BASIC_STATS | STATX_BTIME | STATX_MNT_ID;
    call(
        "statx",
        () ->
            fd(dirfd)
                + ", "
                + q(path)
                + ", "
                + FsFlags.at(flags)
                + ", STATX_BASIC_STATS|STATX_BTIME|STATX_MNT_ID, …",
        () -> libc.statx(dirfd, p, flags, mask, buf));
    boolean mountId = (buf.getInt(0) & STATX_MNT_ID) != 0;
    // struct statx_timestamp { s64 tv_sec; u32 tv_nsec; }: btime at 80, ctime at 96, mtime at 112.
    boolean born = (buf.getInt(0) & STATX_BTIME) != 0;
    Stat.Times times =
        new Stat.Times(nanos(buf, 112), nanos(buf, 96), born ? nanos(buf, 80) : Stat.Times.UNKNOWN);
    return new Stat(
        Short.toUnsignedInt(buf.getShort(28)),
        buf.getInt(20),
        buf.getInt(24),
        Integer.toUnsignedLong(buf.getInt(16)),
        buf.getLong(40),
        buf.getLong(32),
        (Integer.toUnsignedLong(buf.getInt(136)) << 32) | Integer.toUnsignedLong(buf.getInt(140)),
        buf.getInt(128),
        buf.getInt(132),
        mountId ? buf.getLong(144) : 0,
        times);
  }

  private static long nanos(Memory buf, int offset) {
    return buf.getLong(offset) * 1_000_000_000L + Integer.toUnsignedLong(buf.getInt(offset + 8));
  }

  @Override
  public int getdents64(int fd, byte[] buf) throws SyscallException {
    return call(
            "getdents64",
            () -> fd(fd) + ", …, " + buf.length,
            () -> libc.getdents64(fd, buf, buf.length))
        .intValue();
  }

  @Override
  public void rewind(int fd) throws SyscallException {
    call("lseek", () -> fd(fd) + ", 0, SEEK_SET", () -> libc.lseek(fd, 0, 0));
  }

  @Override
  public byte[] fgetxattr(int fd, String name) throws SyscallException {
    byte[] value = new byte[256];
    try {
      long n = libc.fgetxattr(fd, name, value, value.length);
      return Arrays.copyOf(value, (int) n);
    } catch (LastErrorException e) {
      if (e.getErrorCode() == ENODATA) {
        return null;
      }
      int errno = e.getErrorCode();
      throw new SyscallException(
          "fgetxattr",
          fd(fd) + ", \"" + name + "\", …, " + value.length,
          errno,
          Errno.name(errno),
          libc.strerror(errno));
    }
  }

  @Override
  public int write(int fd, byte[] buf, int off, int len) throws SyscallException {
    Memory m = new Memory(Math.max(1, len));
    m.write(0, buf, off, len);
    return call("write", () -> fd(fd) + ", …, " + len, () -> libc.write(fd, m, len)).intValue();
  }

  @Override
  public boolean flock(int fd, int op) throws SyscallException {
    while (true) {
      try {
        libc.flock(fd, op);
        return true;
      } catch (LastErrorException e) {
        int errno = e.getErrorCode();
        if (errno == Errno.EINTR) {
          continue;
        }
        if (errno == EWOULDBLOCK && (op & FsFlags.LOCK_NB) != 0) {
          return false;
        }
        throw new SyscallException(
            "flock",
            fd(fd) + ", " + FsFlags.lock(op),
            errno,
            Errno.name(errno),
            libc.strerror(errno));
      }
    }
  }

  @Override
  public void close(int fd) throws SyscallException {
    call("close", () -> String.valueOf(fd), () -> libc.close(fd));
  }
}

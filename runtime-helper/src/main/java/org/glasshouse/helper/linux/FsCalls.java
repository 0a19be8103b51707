package org.glasshouse.helper.linux;

/**
 * The seam for the directory-fd-relative file calls (the {@code *at} family, {@code openat2},
 * {@code statx}, {@code getdents64}) with which the helper touches trees an image or a container
 * shaped: image extraction, the removal of container and image dirs, the upper-dir listing. A path
 * given to them is resolved from a directory fd the caller holds, never from a string the kernel
 * re-walks through links an attacker planted. {@link JnaFsCalls} calls the kernel; failures are
 * {@link SyscallException}s that read like strace ({@code openat2(7</…/rootfs>, "a/b", {…}) = -1
 * ELOOP (…)}).
 *
 * <p>Paths are bytes as the kernel sees them (a container may name a file with any bytes but {@code
 * /} and NUL); {@link Dir} encodes Java strings as UTF-8.
 *
 * <p>Flag values are the kernel's for the running architecture: see {@link FsFlags}.
 */
public interface FsCalls {

  /**
   * {@code openat2(dirfd, path, {flags, mode, resolve}, 24)}: opens {@code path} relative to {@code
   * dirfd} with the {@code RESOLVE_*} restrictions (Linux 5.6). Returns the fd.
   */
  int openat2(int dirfd, byte[] path, int flags, int mode, long resolve) throws SyscallException;

  /** {@code openat(dirfd, path, flags, mode)}; returns the fd. */
  int openat(int dirfd, byte[] path, int flags, int mode) throws SyscallException;

  /** {@code mkdirat(dirfd, name, mode)}. */
  void mkdirat(int dirfd, byte[] name, int mode) throws SyscallException;

  /**
   * {@code mknodat(dirfd, name, mode, dev)}: {@code mode} carries the type ({@code S_IFCHR}); an
   * existing name, a dangling link included, is EEXIST, never followed.
   */
  void mknodat(int dirfd, byte[] name, int mode, long dev) throws SyscallException;

  /** {@code symlinkat(target, dirfd, name)}: the link's text is stored, never resolved. */
  void symlinkat(byte[] target, int dirfd, byte[] name) throws SyscallException;

  /**
   * {@code linkat(olddirfd, oldname, newdirfd, newname, flags)}: without {@code AT_SYMLINK_FOLLOW}
   * a link as {@code oldname} is linked itself, never followed.
   */
  void linkat(int olddirfd, byte[] oldname, int newdirfd, byte[] newname, int flags)
      throws SyscallException;

  /** {@code unlinkat(dirfd, name, flags)}; {@code AT_REMOVEDIR} removes an empty directory. */
  void unlinkat(int dirfd, byte[] name, int flags) throws SyscallException;

  /** {@code fchownat(dirfd, path, uid, gid, flags)}; {@code AT_SYMLINK_NOFOLLOW}: the link. */
  void fchownat(int dirfd, byte[] path, int uid, int gid, int flags) throws SyscallException;

  /** {@code fchown(fd, uid, gid)}. */
  void fchown(int fd, int uid, int gid) throws SyscallException;

  /** {@code fchmod(fd, mode)}. */
  void fchmod(int fd, int mode) throws SyscallException;

  /**
   * {@code chmod("/proc/self/fd/<fd>", mode)}: the mode of the file an {@code O_PATH} fd holds
   * (fchmod refuses those); the magic link names exactly that inode, whatever happens to the path
   * it was opened by.
   */
  void fchmodPath(int opathFd, int mode) throws SyscallException;

  /**
   * {@code utimensat(dirfd, path, {UTIME_OMIT, {sec, nsec}}, flags)}: sets the mtime only; a null
   * {@code path} sets the fd's own.
   */
  void utimensat(int dirfd, byte[] path, long sec, long nsec, int flags) throws SyscallException;

  /** {@code statx(dirfd, path, flags, STATX_BASIC_STATS|STATX_MNT_ID, &buf)}. */
  Stat statx(int dirfd, byte[] path, int flags) throws SyscallException;

  /** {@code getdents64(fd, buf, buf.length)}: bytes filled, 0 at the end of the directory. */
  int getdents64(int fd, byte[] buf) throws SyscallException;

  /** {@code lseek(fd, offset, SEEK_SET)}. */
  void rewind(int fd) throws SyscallException;

  /** {@code fgetxattr(fd, name, buf, size)}: the value, or null when the file has none. */
  byte[] fgetxattr(int fd, String name) throws SyscallException;

  /** {@code write(fd, buf + off, len)}; returns the count written. */
  int write(int fd, byte[] buf, int off, int len) throws SyscallException;

  /**
   * {@code flock(fd, op)} ({@link FsFlags#LOCK_SH}, {@link FsFlags#LOCK_EX}, with {@link
   * FsFlags#LOCK_NB} or waiting; EINTR is retried): true when the lock was taken, false when {@code
   * LOCK_NB} was given and another holder keeps it ({@code EWOULDBLOCK}).
   */
  boolean flock(int fd, int op) throws SyscallException;

  /** {@code close(fd)}. */
  void close(int fd) throws SyscallException;

  /** The shared binding on the real kernel (libc loaded once). */
  static FsCalls real() {
    return JnaFsCalls.INSTANCE;
  }
}

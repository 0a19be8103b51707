package org.glasshouse.helper.linux;

import java.util.List;

/**
 * The seam for every syscall the runtime makes. {@link JnaSyscalls} calls the kernel; tests use a
 * recording fake to check the order of the steps without root. Every failure is a {@link
 * SyscallException} naming the call, its arguments as a human writes them and the errno.
 *
 * <p>Read this like the workshop's module docs: each call says what it does and which level first
 * needs it.
 */
public interface Syscalls {

  /** {@code open(2)} flag: read and write. */
  int O_RDWR = 2;

  /** {@code open(2)} flag: do not make the terminal the controlling terminal. */
  int O_NOCTTY = 0x100;

  /** {@code open(2)} flag: read only. */
  int O_RDONLY = 0;

  /** {@code open(2)} flag: must be a directory. */
  int O_DIRECTORY = 0x10000;

  /** {@code open(2)} flag: close on execve. */
  int O_CLOEXEC = 0x80000;

  /**
   * {@code unshare(flags)}: moves the calling THREAD into new namespaces ({@link Flags#CLONE_NEWNS}
   * …). For {@link Flags#CLONE_NEWPID} only the thread's future children are in the new namespace.
   * Levels 02, 05, 06, 07 (helper side, on a throwaway thread); level 08 ({@code CLONE_NEWCGROUP})
   * in the init stage.
   */
  void unshare(int flags) throws SyscallException;

  /**
   * {@code setns(fd, nstype)}: moves the calling thread into the namespace {@code fd} refers to (an
   * open {@code /proc/PID/ns/*} file). Used by {@code exec} into a running container.
   */
  void setns(int fd, int nstype, String nsPath) throws SyscallException;

  /**
   * {@code mount(source, target, fstype, flags, data)}: mounts a filesystem, binds a directory, or
   * changes a mount's propagation. Level 01 (/proc /sys /dev), 02 ({@code MS_PRIVATE|MS_REC} on /),
   * 03 (bind-root), 04 (overlay).
   */
  void mount(String source, String target, String fstype, long flags, String data)
      throws SyscallException;

  /**
   * {@code umount2(target, flags)}: unmounts; {@link Flags#MNT_DETACH} lazily. Level 03, cleanup.
   */
  void umount2(String target, int flags) throws SyscallException;

  /**
   * {@code pivot_root(new_root, put_old)}: makes {@code new_root} the root of the mount namespace
   * and moves the old root to {@code put_old}. {@code new_root} must be a mount point (EINVAL/EBUSY
   * otherwise). Level 03. There is no glibc wrapper: called via {@code syscall(SYS_pivot_root)}.
   */
  void pivotRoot(String newRoot, String putOld) throws SyscallException;

  /** {@code chroot(path)}: changes the calling process's root directory. Level 01. */
  void chroot(String path) throws SyscallException;

  /**
   * {@code fchdir(fd)}: changes the working directory to the directory open on {@code fd}. Used by
   * exec to enter a container's root ({@code /proc/PID/root}) after joining its mount namespace.
   */
  void fchdir(int fd) throws SyscallException;

  /**
   * {@code chdir(path)}: changes the working directory. Level 01 (after chroot) and every level.
   */
  void chdir(String path) throws SyscallException;

  /** {@code sethostname(name)}: sets the UTS namespace's hostname. Level 05. */
  void sethostname(String name) throws SyscallException;

  /**
   * {@code mknod(path, S_IFCHR|mode, makedev(major, minor))}: creates a character device node.
   * Level 02 (/dev/null is 1,3).
   */
  void mknodChar(String path, int mode, int major, int minor) throws SyscallException;

  /** {@code symlink(target, linkPath)}. Level 02 (/dev/fd, /dev/stdin …). */
  void symlink(String target, String linkPath) throws SyscallException;

  /** {@code mkdir(path, mode)}. */
  void mkdir(String path, int mode) throws SyscallException;

  /**
   * {@code setgroups(gids)}: sets the supplementary groups of the calling thread (raw syscall: only
   * this thread). Level 10.
   */
  void setgroups(int[] gids) throws SyscallException;

  /** {@code setresgid(r, e, s)}: raw syscall, this thread only. Level 10. */
  void setresgid(int rgid, int egid, int sgid) throws SyscallException;

  /** {@code setresuid(r, e, s)}: raw syscall, this thread only. Level 10. */
  void setresuid(int ruid, int euid, int suid) throws SyscallException;

  /**
   * {@code capget}: this thread's capability sets as masks {@code {effective, permitted,
   * inheritable}}. Level 11.
   */
  long[] capget() throws SyscallException;

  /** {@code capset}: sets this thread's effective, permitted and inheritable sets. Level 11. */
  void capset(long effective, long permitted, long inheritable) throws SyscallException;

  /**
   * {@code prctl(PR_CAPBSET_DROP, cap)}: removes a capability from the bounding set for good; no
   * later execve can get it back. Level 11.
   */
  void capbsetDrop(Capability cap) throws SyscallException;

  /** {@code prctl(PR_SET_NO_NEW_PRIVS, 1)}: execve can never grant privileges again. Level 11. */
  void setNoNewPrivs() throws SyscallException;

  /**
   * {@code prctl(PR_SET_DUMPABLE, 0|1)}: a non-dumpable process's /proc entries belong to root, so
   * container processes cannot reopen the init stage's executable or memory. Every level's init.
   */
  void setDumpable(boolean dumpable) throws SyscallException;

  /** {@code prctl(PR_SET_KEEPCAPS, 0|1)}: keep permitted caps across setresuid. Level 10+11. */
  void setKeepCaps(boolean keep) throws SyscallException;

  /**
   * {@code execve(path, argv, envp)}: replaces the process image with the user's command. Returns
   * only on failure. Every level.
   */
  void execve(String path, List<String> argv, List<String> envp) throws SyscallException;

  /** {@code setsid()}: a new session, so the pty can become the controlling terminal. */
  void setsid() throws SyscallException;

  /** {@code ioctl(fd, TIOCSCTTY, 0)}: makes the terminal on {@code fd} the controlling one. */
  void setControllingTerminal(int fd) throws SyscallException;

  /** {@code ioctl(fd, TIOCSWINSZ, {rows, cols})}: sets a pty's window size. */
  void setWindowSize(int fd, int cols, int rows) throws SyscallException;

  /** {@code dup2(oldFd, newFd)}. */
  void dup2(int oldFd, int newFd) throws SyscallException;

  /**
   * {@code close_range(first, ~0U, CLOSE_RANGE_CLOEXEC)}: marks every fd from {@code first} on
   * close-on-exec, so nothing but 0 1 2 reaches the container.
   */
  void closeRangeCloexec(int first) throws SyscallException;

  /** {@code open(path, flags)}; returns the fd. */
  int open(String path, int flags) throws SyscallException;

  /** {@code close(fd)}. */
  void close(int fd) throws SyscallException;

  /**
   * {@code posix_openpt(O_RDWR|O_NOCTTY|O_CLOEXEC)} + {@code grantpt} + {@code unlockpt}: a new pty
   * master fd.
   */
  int openPtyMaster() throws SyscallException;

  /** {@code ptsname_r(fd)}: the slave's path, e.g. {@code /dev/pts/7}. */
  String ptsname(int masterFd) throws SyscallException;

  /** {@code read(fd, buf, buf.length)}; returns the count, 0 at end of file. */
  int read(int fd, byte[] buf) throws SyscallException;

  /** {@code write(fd, buf, len)}; returns the count written. */
  int write(int fd, byte[] buf, int len) throws SyscallException;

  /**
   * {@code posix_spawn(path, argv, envp)}: starts a program as a child of the calling thread — in
   * the namespaces that thread unshared — without running any Java in the child. The child gets
   * {@code stdin}/{@code stdout}/{@code stderr} as 0 1 2, {@code cwd}, an empty signal mask and
   * default signal dispositions; every other fd is closed. Returns its pid. Used to spawn the init
   * stage: the JDK's ProcessBuilder would create a thread in the calling thread, which fails
   * (EINVAL) once that thread has unshared a PID namespace.
   */
  long spawn(
      String path,
      List<String> argv,
      List<String> envp,
      String cwd,
      int stdin,
      int stdout,
      int stderr)
      throws SyscallException;

  /** {@code pipe2(fds, O_CLOEXEC)}: {@code {readEnd, writeEnd}}. */
  int[] pipe() throws SyscallException;

  /**
   * {@code waitpid(pid, &status, 0)}: blocks until the child ends and reaps it; returns the raw
   * wait status (exit code or terminating signal).
   */
  int waitpid(long pid) throws SyscallException;

  /** {@code kill(pid, sig)}. */
  void kill(long pid, int sig) throws SyscallException;

  /** {@code getpid()}. */
  long getpid();

  /**
   * {@code seccomp(SECCOMP_SET_MODE_FILTER, 0, &prog)}: attaches a BPF program that the kernel runs
   * on every later syscall of the calling THREAD (and of everything it execve()s or forks) and
   * whose answer allows the call, fails it with an errno, or kills the process. Filters stack and
   * can never be removed. Needs no_new_privs or CAP_SYS_ADMIN (EACCES otherwise). Falls back to
   * {@code prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog)} on kernels older than 3.17. Level 13.
   */
  void seccompFilter(List<SockFilter> program) throws SyscallException;
}

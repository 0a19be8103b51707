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
   * {@code setpriority(PRIO_PROCESS, tid, nice)}: the nice value of one thread (Linux keeps it per
   * thread; {@code 0} is the calling thread; threads and processes it creates inherit it). The warm
   * pool spawns its inits at a low priority and gives a taken one's threads the normal one back.
   */
  void setpriority(int tid, int nice) throws SyscallException;

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

  /** {@code rmdir(path)}: removes an empty directory. Level 03: the old root's mount point. */
  void rmdir(String path) throws SyscallException;

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

  /** {@code poll(2)}: input (or end of file) is ready. */
  short POLLIN = 0x1;

  /** {@code poll(2)}: the other end hung up (a pipe's writers, a pty's slave are all gone). */
  short POLLHUP = 0x10;

  /** {@code poll(2)}: an error on the fd (a pty master whose slave closed). */
  short POLLERR = 0x8;

  /**
   * {@code poll(fds, n, timeout)} for input on each fd ({@code POLLIN}): blocks until one is
   * readable, hung up or failed, or {@code timeoutMillis} passed (-1: no timeout); EINTR is
   * retried. Returns each fd's {@code revents}, in order. The output pumps wait here on the
   * container's pipe or pty and on their wake-up eventfd together, so stopping a pump never needs a
   * close of an fd another thread is blocked on.
   */
  short[] pollIn(int[] fds, int timeoutMillis) throws SyscallException;

  /** {@code pidfd_open(2)}'s number, the same on every architecture (one table from 424 on). */
  long SYS_PIDFD_OPEN = 434;

  /**
   * {@code pidfd_open(pid, 0)} (Linux 5.3): a descriptor of exactly this process — never of a later
   * one given the same pid — that {@link #pollIn} finds readable once the process has exited;
   * close-on-exec. This default refuses (ENOSYS), as a kernel without it does.
   */
  default int pidfdOpen(long pid) throws SyscallException {
    throw new SyscallException(
        new Call("pidfd_open", pid + ", 0"), 38, "ENOSYS", "Function not implemented");
  }

  /**
   * {@code eventfd(0, EFD_CLOEXEC)}: a counter fd; writing 8 bytes makes it readable, which wakes a
   * thread in {@link #pollIn}.
   */
  int eventfd() throws SyscallException;

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

  // Paths inside a container's root, resolved by the kernel from an fd (issue 12): a symlink in an
  // image can never redirect a mount or a created node onto the host.

  /** openat2 resolve flags used for every path inside a container root: beneath it, no symlink. */
  long RESOLVE_IN_CONTAINER = FsFlags.RESOLVE_BENEATH | FsFlags.RESOLVE_NO_SYMLINKS;

  /**
   * {@code openat2(dir, path, {flags, mode, resolve}, 24)}: opens {@code path} under {@code dir}
   * with the kernel doing the lookup under {@code resolve} rules ({@link FsFlags#RESOLVE_BENEATH},
   * {@link FsFlags#RESOLVE_NO_SYMLINKS}): a symlink anywhere on the path is ELOOP, a way out of
   * {@code dir} is EXDEV. {@code dir} null means the current directory. Levels 01+ (mount targets,
   * device nodes, masked paths).
   */
  Fd openat2(Fd dir, String path, int flags, int mode, long resolve) throws SyscallException;

  /** {@code mkdirat(dir, name, mode)}: {@code name} is one component, created in {@code dir}. */
  void mkdirat(Fd dir, String name, int mode) throws SyscallException;

  /**
   * {@code mknodat(dir, name, S_IFCHR|mode, makedev(major, minor))}: a character device node named
   * {@code name} in {@code dir}; never follows a symlink in its place (EEXIST). Level 02.
   */
  void mknodat(Fd dir, String name, int mode, int major, int minor) throws SyscallException;

  /** {@code symlinkat(target, dir, name)}. Level 02 (/dev/fd, /dev/stdin …). */
  void symlinkat(String target, Fd dir, String name) throws SyscallException;

  /**
   * {@code mount(source, "/proc/self/fd/N", fstype, flags, data)}: mounts onto the place {@code
   * target} holds (runc does the same): the kernel follows the fd, so a symlink swapped in at its
   * path afterwards changes nothing.
   */
  void mountOn(String source, Fd target, String fstype, long flags, String data)
      throws SyscallException;

  /**
   * {@code mount(source, "/proc/self/fd/N/rel", fstype, flags, data)}: mounts onto {@code rel}
   * beneath the directory {@code dir} holds. Only for a {@code dir} whose content the kernel makes
   * (a /proc or /sys the init has just mounted), never for the image's directories: {@code rel} is
   * looked up normally. Level 11 (masked paths).
   */
  void mountBeneath(String source, Fd dir, String rel, String fstype, long flags, String data)
      throws SyscallException;

  // exec into a container with its own PID namespace (issue 12, runc's CVE-2016-9962): the init
  // never enters that namespace itself; it joins everything else and spawns the command into it.

  /**
   * {@code posix_spawn(path, argv, envp)} from the calling thread, for the command of an exec: the
   * child is a copy of this thread — its namespaces ({@code pid_for_children} included), root,
   * working directory, credentials, capabilities, bounding set and no_new_privs — with a clean
   * signal mask and default dispositions; it keeps 0 1 2, every close-on-exec fd closes. With
   * {@code foregroundTerminal} it gets a process group of its own, made the foreground group of the
   * terminal on fd 0 before it runs. Returns its pid (as this process sees it).
   */
  long spawnCommand(String path, List<String> argv, List<String> envp, boolean foregroundTerminal)
      throws SyscallException;

  /**
   * Ends this process the way the raw wait status {@code status} says a child ended: {@code
   * exit(code)}, or death by the same signal. Returns only in tests.
   */
  void endAs(int status);

  /**
   * {@code seccomp(SECCOMP_SET_MODE_FILTER, 0, &prog)}: attaches a BPF program that the kernel runs
   * on every later syscall of the calling THREAD (and of everything it execve()s or forks) and
   * whose answer allows the call, fails it with an errno, or kills the process. Filters stack and
   * can never be removed. Needs no_new_privs or CAP_SYS_ADMIN (EACCES otherwise). Falls back to
   * {@code prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog)} on kernels older than 3.17. Level 13.
   *
   * @param summary the program in one line ({@code glasshouse-default (x86_64): …}), for the step
   *     log and the error; null when there is none
   */
  void seccompFilter(List<SockFilter> program, String summary) throws SyscallException;
}

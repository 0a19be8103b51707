package org.glasshouse.helper.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.StringArray;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@link Syscalls} on the real kernel through JNA. Calls that must affect only the calling thread
 * (setresuid, setresgid, setgroups, capset) go through {@code syscall(2)} directly, because glibc's
 * wrappers broadcast credential changes to every thread of the process.
 */
public final class JnaSyscalls implements Syscalls {

  /**
   * libc as this seam calls it; every call reports errno through {@link LastErrorException}. Bound
   * by JNA's direct mapping ({@link DirectLibC}), which has no varargs: the variadic {@code
   * syscall} and {@code ioctl} are declared once per shape of arguments a caller passes. C's {@code
   * long} and {@code size_t} are Java's {@code long} on the two architectures this runs on (x86-64,
   * arm64: {@code Numbers}).
   */
  interface LibC {
    int unshare(int flags) throws LastErrorException;

    int setpriority(int which, int who, int prio) throws LastErrorException;

    int setns(int fd, int nstype) throws LastErrorException;

    int mount(String source, String target, String fstype, long flags, String data)
        throws LastErrorException;

    int umount2(String target, int flags) throws LastErrorException;

    int chroot(String path) throws LastErrorException;

    int chdir(String path) throws LastErrorException;

    int rmdir(String path) throws LastErrorException;

    int fchdir(int fd) throws LastErrorException;

    int sethostname(byte[] name, long len) throws LastErrorException;

    int mknod(String path, int mode, long dev) throws LastErrorException;

    int symlink(String target, String linkPath) throws LastErrorException;

    int mkdir(String path, int mode) throws LastErrorException;

    /** {@code syscall(nr, path, path)}: pivot_root. */
    long syscall(long number, String a, String b) throws LastErrorException;

    /** {@code syscall(nr, n, pointer)}: setgroups. */
    long syscall(long number, long a, Pointer b) throws LastErrorException;

    /** {@code syscall(nr, pointer, pointer)}: capget, capset. */
    long syscall(long number, Pointer a, Pointer b) throws LastErrorException;

    /** {@code syscall(nr, n, n, n)}: setresuid, setresgid, close_range. */
    long syscall(long number, long a, long b, long c) throws LastErrorException;

    /** {@code syscall(nr, n, n, pointer)}: seccomp. */
    long syscall(long number, long a, long b, Pointer c) throws LastErrorException;

    int prctl(int option, long a2, long a3, long a4, long a5) throws LastErrorException;

    int prctl(int option, long a2, Pointer a3, long a4, long a5) throws LastErrorException;

    int execve(String path, StringArray argv, StringArray envp) throws LastErrorException;

    int setsid() throws LastErrorException;

    /** {@code ioctl(fd, request, n)}: TIOCSCTTY. */
    int ioctl(int fd, long request, long arg) throws LastErrorException;

    /** {@code ioctl(fd, request, pointer)}: TIOCSWINSZ. */
    int ioctl(int fd, long request, Pointer arg) throws LastErrorException;

    int dup2(int oldFd, int newFd) throws LastErrorException;

    int open(String path, int flags, int mode) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int posix_openpt(int flags) throws LastErrorException;

    int grantpt(int fd) throws LastErrorException;

    int unlockpt(int fd) throws LastErrorException;

    int ptsname_r(int fd, byte[] buf, long len) throws LastErrorException;

    long read(int fd, byte[] buf, long count) throws LastErrorException;

    long write(int fd, byte[] buf, long count) throws LastErrorException;

    int kill(int pid, int sig) throws LastErrorException;

    int pipe2(int[] fds, int flags) throws LastErrorException;

    int poll(Pointer fds, long nfds, int timeout) throws LastErrorException;

    int eventfd(int initval, int flags) throws LastErrorException;

    int waitpid(int pid, int[] status, int options) throws LastErrorException;

    // posix_spawn and friends return an error number instead of setting errno.
    int posix_spawn(
        int[] pid, String path, Pointer actions, Pointer attr, StringArray argv, StringArray envp);

    int posix_spawn_file_actions_init(Pointer actions);

    int posix_spawn_file_actions_destroy(Pointer actions);

    int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int newFd);

    int posix_spawn_file_actions_addchdir_np(Pointer actions, String path);

    int posix_spawn_file_actions_addclosefrom_np(Pointer actions, int from);

    int posix_spawnattr_init(Pointer attr);

    int posix_spawnattr_destroy(Pointer attr);

    int posix_spawnattr_setflags(Pointer attr, short flags);

    int posix_spawnattr_setsigmask(Pointer attr, Pointer mask);

    int posix_spawnattr_setsigdefault(Pointer attr, Pointer signals);

    int posix_spawnattr_setpgroup(Pointer attr, int pgroup);

    /**
     * glibc 2.35+: the child makes its process group the terminal's foreground group. Throws {@link
     * UnsatisfiedLinkError} on an older glibc.
     */
    int posix_spawn_file_actions_addtcsetpgrp_np(Pointer actions, int fd);

    int tcsetpgrp(int fd, int pgrp) throws LastErrorException;

    Pointer signal(int signum, Pointer handler);

    int sigemptyset(Pointer set);

    int sigfillset(Pointer set);

    int getpid();

    String strerror(int errno);
  }

  private static final int PR_SET_DUMPABLE = 4;
  private static final int PR_SET_KEEPCAPS = 8;
  private static final int PR_CAPBSET_DROP = 24;
  private static final int PR_SET_NO_NEW_PRIVS = 38;
  private static final long TIOCSCTTY = 0x540E;
  private static final long TIOCSWINSZ = 0x5414;
  private static final int CLOSE_RANGE_CLOEXEC = 1 << 2;
  private static final int S_IFCHR = 0020000;
  private static final int LINUX_CAPABILITY_VERSION_3 = 0x20080522;
  private static final int PR_SET_SECCOMP = 22;
  private static final int SECCOMP_MODE_FILTER = 2;
  private static final int SECCOMP_SET_MODE_FILTER = 1;
  private static final int SECCOMP_GET_ACTION_AVAIL = 2;
  private static final int SECCOMP_RET_ALLOW = 0x7fff0000;
  private static final int ENOSYS = 38;

  /** Syscall numbers that have no glibc wrapper or must bypass it, per architecture. */
  private record Numbers(
      int pivotRoot,
      int setresuid,
      int setresgid,
      int setgroups,
      int capget,
      int capset,
      int closeRange) {
    static Numbers forArch(String arch) {
      return switch (arch) {
        case "amd64", "x86_64" -> new Numbers(155, 117, 119, 116, 125, 126, 436);
        case "aarch64", "arm64" -> new Numbers(41, 147, 149, 159, 90, 91, 436);
        default -> throw new UnsupportedOperationException("unsupported architecture " + arch);
      };
    }
  }

  /** {@code __NR_seccomp}: not in {@link Numbers}, so that record stays as other work shapes it. */
  private static int seccompNumber(String arch) {
    return switch (arch) {
      case "amd64", "x86_64" -> 317;
      case "aarch64", "arm64" -> 277;
      default -> throw new UnsupportedOperationException("unsupported architecture " + arch);
    };
  }

  private final LibC libc;
  private final FsCalls fsCalls;
  private final Numbers nr;
  private final int seccompNr;

  /** Over libc, bound by direct mapping. */
  public JnaSyscalls() {
    this(new DirectLibC(), FsCalls.real());
  }

  /**
   * Over another libc and fd-relative layer: tests give one whose every call fails, to read the
   * error each wrapper makes without touching the kernel.
   */
  JnaSyscalls(LibC libc, FsCalls fsCalls) {
    this.libc = libc;
    this.fsCalls = fsCalls;
    this.nr = Numbers.forArch(System.getProperty("os.arch"));
    this.seccompNr = seccompNumber(System.getProperty("os.arch"));
  }

  /** A path that does not exist: warm-up calls on it fail with ENOENT before touching anything. */
  private static final String NOWHERE = "/glasshouse-warm-up-nowhere/x";

  /** How many calls {@link #warmCall} knows. */
  private static final int WARM_CALLS = 29;

  /**
   * Runs each wrapper the init stage calls once, through its error path too, with arguments that
   * change nothing (a path that does not exist, fd -1, "leave unchanged" ids, the capabilities
   * already held): the first call of each costs class loading and the interpreter, and a warm-pool
   * init pays that before its plan arrives instead of on the start's critical path. Never throws.
   */
  public void warmUp() {
    for (int i = 0; i < WARM_CALLS; i++) {
      try {
        warmCall(i);
      } catch (SyscallException | RuntimeException e) {
        // Expected: most of these fail on purpose.
      }
    }
  }

  /** Warm-up call number {@code i}: a switch, not a lambda each (a class spun per lambda). */
  private void warmCall(int i) throws SyscallException {
    switch (i) {
      case 0 -> unshare(0);
      case 1 -> setns(-1, 0, NOWHERE);
      case 2 -> mount(null, NOWHERE, null, 0, null);
      case 3 -> umount2(NOWHERE, 0);
      case 4 -> pivotRoot(NOWHERE, NOWHERE);
      case 5 -> chroot(NOWHERE);
      case 6 -> chdir(NOWHERE);
      case 7 -> fchdir(-1);
      case 8 -> {
        // Longer than the kernel's 64 bytes: EINVAL, the hostname stays.
        sethostname("x".repeat(100));
      }
      case 9 -> mknodChar(NOWHERE, 0666, 1, 3);
      case 10 -> symlink("x", NOWHERE);
      case 11 -> mkdir(NOWHERE, 0755);
      case 12 -> openat2(null, NOWHERE, FsFlags.O_PATH, 0, RESOLVE_IN_CONTAINER);
      case 13 -> mkdirat(null, NOWHERE, 0755);
      case 14 -> mknodat(null, NOWHERE, 0666, 1, 3);
      case 15 -> symlinkat("x", null, NOWHERE);
      case 16 -> {
        // fd -1: "/proc/self/fd/-1" does not exist (ENOENT), nothing is mounted.
        mountOn(null, new Fd(-1, NOWHERE), null, 0, null);
      }
      case 17 -> setresgid(-1, -1, -1);
      case 18 -> setresuid(-1, -1, -1);
      case 19 -> {
        long[] caps = capget();
        capset(caps[0], caps[1], caps[2]);
      }
      case 20 -> {
        // Off is the default; the plan sets it where it needs it.
        setKeepCaps(false);
      }
      case 21 -> setWindowSize(-1, 80, 24);
      case 22 -> setControllingTerminal(-1);
      case 23 -> dup2(-1, -1);
      case 24 -> closeRangeCloexec(Integer.MAX_VALUE);
      case 25 -> close(open(NOWHERE, 0));
      case 26 -> execve(NOWHERE, List.of("x"), List.of("A=b"));
      case 27 -> {
        // Asks whether an action exists: the filter-loading path without loading anything.
        Memory action = new Memory(4);
        action.setInt(0, SECCOMP_RET_ALLOW);
        libc.syscall(seccompNr, SECCOMP_GET_ACTION_AVAIL, 0, action);
      }
      case 28 -> getpid();
      default -> throw new IllegalArgumentException("no warm-up call " + i);
    }
  }

  /**
   * A call the kernel refused, as a SyscallException that reads like strace. Each wrapper below
   * makes its {@link Call} only here: a call that succeeds (every read and write of the init
   * channel) formats nothing, and the step that logs it makes its own entry's text. Plain
   * try/catch, no lambda per wrapper: each lambda is a class the JVM spins at its first call, in
   * every init JVM.
   */
  private SyscallException failed(Call call, LastErrorException e) {
    return failed(call, e.getErrorCode());
  }

  private SyscallException failed(Call call, int errno) {
    return new SyscallException(call, errno, Errno.name(errno), libc.strerror(errno));
  }

  @Override
  public void unshare(int flags) throws SyscallException {
    try {
      libc.unshare(flags);
    } catch (LastErrorException e) {
      throw failed(Call.unshare(flags), e);
    }
  }

  /** {@code PRIO_PROCESS}: {@code who} is a thread id. */
  private static final int PRIO_PROCESS = 0;

  @Override
  public void setpriority(int tid, int nice) throws SyscallException {
    try {
      libc.setpriority(PRIO_PROCESS, tid, nice);
    } catch (LastErrorException e) {
      throw failed(Call.setpriority(tid, nice), e);
    }
  }

  @Override
  public void setns(int fd, int nstype, String nsPath) throws SyscallException {
    try {
      libc.setns(fd, nstype);
    } catch (LastErrorException e) {
      throw failed(Call.setns(fd, nstype, nsPath), e);
    }
  }

  @Override
  public void mount(String source, String target, String fstype, long flags, String data)
      throws SyscallException {
    try {
      libc.mount(source, target, fstype, flags, data);
    } catch (LastErrorException e) {
      throw failed(Call.mount(source, target, fstype, flags, data), e);
    }
  }

  @Override
  public void umount2(String target, int flags) throws SyscallException {
    try {
      libc.umount2(target, flags);
    } catch (LastErrorException e) {
      throw failed(Call.umount2(target, flags), e);
    }
  }

  @Override
  public void pivotRoot(String newRoot, String putOld) throws SyscallException {
    try {
      libc.syscall(nr.pivotRoot(), newRoot, putOld);
    } catch (LastErrorException e) {
      throw failed(Call.pivotRoot(newRoot, putOld), e);
    }
  }

  @Override
  public void chroot(String path) throws SyscallException {
    try {
      libc.chroot(path);
    } catch (LastErrorException e) {
      throw failed(Call.chroot(path), e);
    }
  }

  @Override
  public void fchdir(int fd) throws SyscallException {
    try {
      libc.fchdir(fd);
    } catch (LastErrorException e) {
      throw failed(Call.fchdir(fd), e);
    }
  }

  @Override
  public void chdir(String path) throws SyscallException {
    try {
      libc.chdir(path);
    } catch (LastErrorException e) {
      throw failed(Call.chdir(path), e);
    }
  }

  @Override
  public void rmdir(String path) throws SyscallException {
    try {
      libc.rmdir(path);
    } catch (LastErrorException e) {
      throw failed(Call.rmdir(path), e);
    }
  }

  @Override
  public void sethostname(String name) throws SyscallException {
    byte[] b = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    try {
      libc.sethostname(b, b.length);
    } catch (LastErrorException e) {
      throw failed(Call.sethostname(name), e);
    }
  }

  @Override
  public void mknodChar(String path, int mode, int major, int minor) throws SyscallException {
    long dev = makedev(major, minor);
    try {
      libc.mknod(path, S_IFCHR | mode, dev);
    } catch (LastErrorException e) {
      throw failed(Call.mknodChar(path, mode, major, minor), e);
    }
  }

  /** makedev() as glibc defines it for the 64-bit dev_t. */
  private static long makedev(int major, int minor) {
    return ((long) (major & 0xfffff000) << 32)
        | ((long) (major & 0xfff) << 8)
        | ((long) (minor & 0xffffff00) << 12)
        | (minor & 0xff);
  }

  @Override
  public void symlink(String target, String linkPath) throws SyscallException {
    try {
      libc.symlink(target, linkPath);
    } catch (LastErrorException e) {
      throw failed(Call.symlink(target, linkPath), e);
    }
  }

  @Override
  public void mkdir(String path, int mode) throws SyscallException {
    try {
      libc.mkdir(path, mode);
    } catch (LastErrorException e) {
      throw failed(Call.mkdir(path, mode), e);
    }
  }

  @Override
  public void setgroups(int[] gids) throws SyscallException {
    Memory list = new Memory(Math.max(4, 4L * gids.length));
    for (int i = 0; i < gids.length; i++) {
      list.setInt(4L * i, gids[i]);
    }
    try {
      libc.syscall(nr.setgroups(), gids.length, gids.length == 0 ? null : list);
    } catch (LastErrorException e) {
      throw failed(Call.setgroups(gids), e);
    }
  }

  @Override
  public void setresgid(int rgid, int egid, int sgid) throws SyscallException {
    try {
      libc.syscall(nr.setresgid(), rgid, egid, sgid);
    } catch (LastErrorException e) {
      throw failed(Call.setresgid(rgid, egid, sgid), e);
    }
  }

  @Override
  public void setresuid(int ruid, int euid, int suid) throws SyscallException {
    try {
      libc.syscall(nr.setresuid(), ruid, euid, suid);
    } catch (LastErrorException e) {
      throw failed(Call.setresuid(ruid, euid, suid), e);
    }
  }

  @Override
  public long[] capget() throws SyscallException {
    Memory header = capHeader();
    Memory data = new Memory(24);
    data.clear();
    try {
      libc.syscall(nr.capget(), header, data);
    } catch (LastErrorException e) {
      throw failed(Call.capget(), e);
    }
    long[] sets = new long[3];
    for (int s = 0; s < 3; s++) {
      // data[0] holds bits 0..31 of each set, data[1] bits 32..63; each entry is {eff, perm, inh}.
      long lo = Integer.toUnsignedLong(data.getInt(4L * s));
      long hi = Integer.toUnsignedLong(data.getInt(12 + 4L * s));
      sets[s] = lo | (hi << 32);
    }
    return sets;
  }

  @Override
  public void capset(long effective, long permitted, long inheritable) throws SyscallException {
    Memory header = capHeader();
    Memory data = new Memory(24);
    long[] sets = {effective, permitted, inheritable};
    for (int s = 0; s < 3; s++) {
      data.setInt(4L * s, (int) sets[s]);
      data.setInt(12 + 4L * s, (int) (sets[s] >>> 32));
    }
    try {
      libc.syscall(nr.capset(), header, data);
    } catch (LastErrorException e) {
      throw failed(Call.capset(effective, permitted, inheritable), e);
    }
  }

  private static Memory capHeader() {
    Memory header = new Memory(8);
    header.setInt(0, LINUX_CAPABILITY_VERSION_3);
    header.setInt(4, 0);
    return header;
  }

  @Override
  public void capbsetDrop(Capability cap) throws SyscallException {
    try {
      libc.prctl(PR_CAPBSET_DROP, cap.number(), 0, 0, 0);
    } catch (LastErrorException e) {
      throw failed(Call.capbsetDrop(cap), e);
    }
  }

  @Override
  public void setNoNewPrivs() throws SyscallException {
    try {
      libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    } catch (LastErrorException e) {
      throw failed(Call.setNoNewPrivs(), e);
    }
  }

  @Override
  public void setDumpable(boolean dumpable) throws SyscallException {
    int v = dumpable ? 1 : 0;
    try {
      libc.prctl(PR_SET_DUMPABLE, v, 0, 0, 0);
    } catch (LastErrorException e) {
      throw failed(Call.setDumpable(dumpable), e);
    }
  }

  @Override
  public void setKeepCaps(boolean keep) throws SyscallException {
    int v = keep ? 1 : 0;
    try {
      libc.prctl(PR_SET_KEEPCAPS, v, 0, 0, 0);
    } catch (LastErrorException e) {
      throw failed(Call.setKeepCaps(keep), e);
    }
  }

  @Override
  public void execve(String path, List<String> argv, List<String> envp) throws SyscallException {
    StringArray a = new StringArray(argv.toArray(new String[0]));
    StringArray e = new StringArray(envp.toArray(new String[0]));
    try {
      libc.execve(path, a, e);
    } catch (LastErrorException x) {
      throw failed(Call.execve(path, argv, envp), x);
    }
  }

  @Override
  public void setsid() throws SyscallException {
    try {
      libc.setsid();
    } catch (LastErrorException e) {
      throw failed(Call.setsid(), e);
    }
  }

  @Override
  public void setControllingTerminal(int fd) throws SyscallException {
    try {
      libc.ioctl(fd, TIOCSCTTY, 0);
    } catch (LastErrorException e) {
      throw failed(Call.setControllingTerminal(fd), e);
    }
  }

  @Override
  public void setWindowSize(int fd, int cols, int rows) throws SyscallException {
    // struct winsize { unsigned short ws_row, ws_col, ws_xpixel, ws_ypixel; }
    Memory ws = new Memory(8);
    ws.clear();
    ws.setShort(0, (short) rows);
    ws.setShort(2, (short) cols);
    try {
      libc.ioctl(fd, TIOCSWINSZ, ws);
    } catch (LastErrorException e) {
      throw failed(Call.setWindowSize(fd, cols, rows), e);
    }
  }

  @Override
  public void dup2(int oldFd, int newFd) throws SyscallException {
    try {
      libc.dup2(oldFd, newFd);
    } catch (LastErrorException e) {
      throw failed(Call.dup2(oldFd, newFd), e);
    }
  }

  @Override
  public void closeRangeCloexec(int first) throws SyscallException {
    try {
      libc.syscall(nr.closeRange(), first, -1, CLOSE_RANGE_CLOEXEC);
    } catch (LastErrorException e) {
      throw failed(Call.closeRangeCloexec(first), e);
    }
  }

  @Override
  public int open(String path, int flags) throws SyscallException {
    try {
      return libc.open(path, flags, 0);
    } catch (LastErrorException e) {
      throw failed(Call.open(path, flags), e);
    }
  }

  @Override
  public void close(int fd) throws SyscallException {
    try {
      libc.close(fd);
    } catch (LastErrorException e) {
      throw failed(Call.close(fd), e);
    }
  }

  @Override
  public int openPtyMaster() throws SyscallException {
    int fd;
    try {
      fd = libc.posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    } catch (LastErrorException e) {
      throw failed(Call.posixOpenpt(), e);
    }
    try {
      try {
        libc.grantpt(fd);
      } catch (LastErrorException e) {
        throw failed(Call.onPty("grantpt", fd), e);
      }
      try {
        libc.unlockpt(fd);
      } catch (LastErrorException e) {
        throw failed(Call.onPty("unlockpt", fd), e);
      }
      return fd;
    } catch (SyscallException e) {
      libc.close(fd);
      throw e;
    }
  }

  @Override
  public String ptsname(int masterFd) throws SyscallException {
    byte[] buf = new byte[128];
    try {
      libc.ptsname_r(masterFd, buf, buf.length);
    } catch (LastErrorException e) {
      throw failed(Call.ptsname(masterFd), e);
    }
    return Native.toString(buf);
  }

  @Override
  public int read(int fd, byte[] buf) throws SyscallException {
    try {
      return (int) libc.read(fd, buf, buf.length);
    } catch (LastErrorException e) {
      throw failed(Call.read(fd, buf.length), e);
    }
  }

  @Override
  public int write(int fd, byte[] buf, int len) throws SyscallException {
    try {
      return (int) libc.write(fd, buf, len);
    } catch (LastErrorException e) {
      throw failed(Call.write(fd, len), e);
    }
  }

  private static final short POSIX_SPAWN_SETPGROUP = 0x02;
  private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
  private static final short POSIX_SPAWN_SETSIGMASK = 0x08;

  @Override
  public long spawn(
      String path,
      List<String> argv,
      List<String> envp,
      String cwd,
      int stdin,
      int stdout,
      int stderr)
      throws SyscallException {
    // Sizes from glibc (file actions 80 bytes, attr 336, sigset 128), with room to spare.
    Memory actions = new Memory(256);
    Memory attr = new Memory(512);
    Memory empty = new Memory(128);
    Memory all = new Memory(128);
    actions.clear();
    attr.clear();
    libc.posix_spawn_file_actions_init(actions);
    libc.posix_spawnattr_init(attr);
    try {
      check(
          "posix_spawn_file_actions_adddup2",
          libc.posix_spawn_file_actions_adddup2(actions, stdin, 0));
      check(
          "posix_spawn_file_actions_adddup2",
          libc.posix_spawn_file_actions_adddup2(actions, stdout, 1));
      check(
          "posix_spawn_file_actions_adddup2",
          libc.posix_spawn_file_actions_adddup2(actions, stderr, 2));
      check(
          "posix_spawn_file_actions_addchdir_np",
          libc.posix_spawn_file_actions_addchdir_np(actions, cwd));
      // Nothing of the helper (client sockets, jars, the pty masters) reaches the init.
      check(
          "posix_spawn_file_actions_addclosefrom_np",
          libc.posix_spawn_file_actions_addclosefrom_np(actions, 3));
      libc.sigemptyset(empty);
      libc.sigfillset(all);
      check("posix_spawnattr_setsigmask", libc.posix_spawnattr_setsigmask(attr, empty));
      check("posix_spawnattr_setsigdefault", libc.posix_spawnattr_setsigdefault(attr, all));
      check(
          "posix_spawnattr_setflags",
          libc.posix_spawnattr_setflags(
              attr, (short) (POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)));
      int[] pid = new int[1];
      int err =
          libc.posix_spawn(
              pid,
              path,
              actions,
              attr,
              new StringArray(argv.toArray(new String[0])),
              new StringArray(envp.toArray(new String[0])));
      if (err != 0) {
        throw failed(Call.posixSpawn(path, argv, envp), err);
      }
      return pid[0];
    } finally {
      libc.posix_spawn_file_actions_destroy(actions);
      libc.posix_spawnattr_destroy(attr);
    }
  }

  private void check(String call, int err) throws SyscallException {
    if (err != 0) {
      throw failed(new Call(call, "…"), err);
    }
  }

  @Override
  public int pidfdOpen(long pid) throws SyscallException {
    try {
      return (int) libc.syscall(SYS_PIDFD_OPEN, pid, 0, 0);
    } catch (LastErrorException e) {
      throw failed(new Call("pidfd_open", pid + ", 0"), e);
    }
  }

  @Override
  public short[] pollIn(int[] fds, int timeoutMillis) throws SyscallException {
    // struct pollfd { int fd; short events; short revents; }
    Memory p = new Memory(8L * fds.length);
    for (int i = 0; i < fds.length; i++) {
      p.setInt(8L * i, fds[i]);
      p.setShort(8L * i + 4, POLLIN);
      p.setShort(8L * i + 6, (short) 0);
    }
    while (true) {
      try {
        libc.poll(p, fds.length, timeoutMillis);
        break;
      } catch (LastErrorException e) {
        if (e.getErrorCode() != Errno.EINTR) {
          throw failed(Call.pollIn(fds, timeoutMillis), e.getErrorCode());
        }
      }
    }
    short[] revents = new short[fds.length];
    for (int i = 0; i < fds.length; i++) {
      revents[i] = p.getShort(8L * i + 6);
    }
    return revents;
  }

  @Override
  public int eventfd() throws SyscallException {
    try {
      return libc.eventfd(0, O_CLOEXEC);
    } catch (LastErrorException e) {
      throw failed(Call.eventfd(), e);
    }
  }

  @Override
  public int[] pipe() throws SyscallException {
    int[] fds = new int[2];
    try {
      libc.pipe2(fds, O_CLOEXEC);
    } catch (LastErrorException e) {
      throw failed(Call.pipe(), e);
    }
    return fds;
  }

  @Override
  public int waitpid(long pid) throws SyscallException {
    int[] status = new int[1];
    while (true) {
      try {
        libc.waitpid((int) pid, status, 0);
        return status[0];
      } catch (LastErrorException e) {
        if (e.getErrorCode() != Errno.EINTR) {
          throw failed(Call.waitpid(pid), e.getErrorCode());
        }
      }
    }
  }

  @Override
  public void kill(long pid, int sig) throws SyscallException {
    try {
      libc.kill((int) pid, sig);
    } catch (LastErrorException e) {
      throw failed(Call.kill(pid, sig), e);
    }
  }

  @Override
  public long getpid() {
    return libc.getpid();
  }

  private static int dirfd(Fd dir) {
    return dir == null ? FsFlags.AT_FDCWD : dir.number();
  }

  private static byte[] bytes(String path) {
    return path.getBytes(StandardCharsets.UTF_8);
  }

  /** A failure of the fd-relative layer, retold with this seam's arguments ({@link Fd}). */
  private static SyscallException retold(Call call, SyscallException e) {
    return new SyscallException(call, e.errno(), e.errnoName(), e.errnoMessage());
  }

  // The *at calls and openat2 have one binding, FsCalls (the image extractor's): this seam only
  // adds the Fd's path for the step log and the strace-like error.

  @Override
  public Fd openat2(Fd dir, String path, int flags, int mode, long resolve)
      throws SyscallException {
    int fd;
    try {
      fd = fsCalls.openat2(dirfd(dir), bytes(path), flags, mode, resolve);
    } catch (SyscallException e) {
      throw retold(Call.openat2(dir, path, flags, mode, resolve), e);
    }
    return new Fd(fd, dir == null ? path : dir.child(path));
  }

  @Override
  public void mkdirat(Fd dir, String name, int mode) throws SyscallException {
    try {
      fsCalls.mkdirat(dirfd(dir), bytes(name), mode);
    } catch (SyscallException e) {
      throw retold(Call.mkdirat(dir, name, mode), e);
    }
  }

  @Override
  public void mknodat(Fd dir, String name, int mode, int major, int minor) throws SyscallException {
    long dev = makedev(major, minor);
    try {
      fsCalls.mknodat(dirfd(dir), bytes(name), S_IFCHR | mode, dev);
    } catch (SyscallException e) {
      throw retold(Call.mknodat(dir, name, mode, major, minor), e);
    }
  }

  @Override
  public void symlinkat(String target, Fd dir, String name) throws SyscallException {
    try {
      fsCalls.symlinkat(bytes(target), dirfd(dir), bytes(name));
    } catch (SyscallException e) {
      throw retold(Call.symlinkat(target, dir, name), e);
    }
  }

  @Override
  public void mountOn(String source, Fd target, String fstype, long flags, String data)
      throws SyscallException {
    try {
      libc.mount(source, target.procPath(), fstype, flags, data);
    } catch (LastErrorException e) {
      throw failed(Call.mountOn(source, target, fstype, flags, data), e);
    }
  }

  @Override
  public void mountBeneath(
      String source, Fd dir, String rel, String fstype, long flags, String data)
      throws SyscallException {
    String target = dir.procPath() + "/" + rel;
    try {
      libc.mount(source, target, fstype, flags, data);
    } catch (LastErrorException e) {
      throw failed(Call.mountBeneath(source, dir, rel, fstype, flags, data), e);
    }
  }

  @Override
  public long spawnCommand(
      String path, List<String> argv, List<String> envp, boolean foregroundTerminal)
      throws SyscallException {
    Memory actions = new Memory(256);
    Memory attr = new Memory(512);
    Memory empty = new Memory(128);
    Memory all = new Memory(128);
    actions.clear();
    attr.clear();
    libc.posix_spawn_file_actions_init(actions);
    libc.posix_spawnattr_init(attr);
    try {
      libc.sigemptyset(empty);
      libc.sigfillset(all);
      check("posix_spawnattr_setsigmask", libc.posix_spawnattr_setsigmask(attr, empty));
      check("posix_spawnattr_setsigdefault", libc.posix_spawnattr_setsigdefault(attr, all));
      short flags = (short) (POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
      boolean inChild = false;
      if (foregroundTerminal) {
        flags |= POSIX_SPAWN_SETPGROUP;
        check("posix_spawnattr_setpgroup", libc.posix_spawnattr_setpgroup(attr, 0));
        try {
          check(
              "posix_spawn_file_actions_addtcsetpgrp_np",
              libc.posix_spawn_file_actions_addtcsetpgrp_np(actions, 0));
          inChild = true;
        } catch (UnsatisfiedLinkError e) {
          // glibc before 2.35: the parent sets the foreground group right after the spawn.
        }
      }
      check("posix_spawnattr_setflags", libc.posix_spawnattr_setflags(attr, flags));
      int[] pid = new int[1];
      int err =
          libc.posix_spawn(
              pid,
              path,
              actions,
              attr,
              new StringArray(argv.toArray(new String[0])),
              new StringArray(envp.toArray(new String[0])));
      if (err != 0) {
        throw failed(Call.posixSpawn(path, argv, envp), err);
      }
      if (foregroundTerminal && !inChild) {
        try {
          libc.tcsetpgrp(0, pid[0]);
        } catch (LastErrorException e) {
          throw failed(new Call("tcsetpgrp", "0, " + pid[0]), e);
        }
      }
      return pid[0];
    } finally {
      libc.posix_spawn_file_actions_destroy(actions);
      libc.posix_spawnattr_destroy(attr);
    }
  }

  @Override
  public void endAs(int status) {
    if ((status & 0x7f) != 0 && (status & 0x7f) != 0x7f) {
      int sig = status & 0x7f;
      // The JVM handles some signals itself (SIGTERM runs shutdown hooks, SIGSEGV is its own
      // business): the default action goes back first, so the signal ends us as it ended the
      // child. Nothing runs after this in the process but the JVM's own threads.
      libc.signal(sig, Pointer.NULL);
      libc.kill(libc.getpid(), sig);
      // The kernel may hand the signal to another thread, a moment later: give it that moment.
      // A signal whose default is to ignore could not have killed the child: 128+N, as a shell.
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      Runtime.getRuntime().halt(128 + sig);
    }
    Runtime.getRuntime().halt((status >> 8) & 0xff);
  }

  /**
   * Overwrites with NULs every environment string of this process that starts with {@code prefix},
   * in the block the kernel shows as {@code /proc/PID/environ}: the init's one-time token is read
   * once at start and then scrubbed, so nothing that can read that file later finds it.
   */
  public void scrubEnvironment(String prefix) {
    Pointer environ = ProcessLibc.library().getGlobalVariableAddress("environ").getPointer(0);
    if (environ == null) {
      return;
    }
    for (int i = 0; ; i++) {
      Pointer entry = environ.getPointer((long) i * Native.POINTER_SIZE);
      if (entry == null) {
        return;
      }
      String s = entry.getString(0);
      if (s.startsWith(prefix)) {
        entry.setMemory(0, s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, (byte) 0);
      }
    }
  }

  @Override
  public void seccompFilter(List<SockFilter> program, String summary) throws SyscallException {
    // struct sock_filter[]: {u16 code; u8 jt; u8 jf; u32 k} in the machine's byte order.
    Memory filter = new Memory(8L * Math.max(1, program.size()));
    for (int i = 0; i < program.size(); i++) {
      SockFilter f = program.get(i);
      filter.setShort(8L * i, (short) f.code());
      filter.setByte(8L * i + 2, (byte) f.jt());
      filter.setByte(8L * i + 3, (byte) f.jf());
      filter.setInt(8L * i + 4, f.k());
    }
    // struct sock_fprog: {unsigned short len; struct sock_filter *filter}, the pointer aligned.
    Memory prog = new Memory(2L * Native.POINTER_SIZE);
    prog.clear();
    prog.setShort(0, (short) program.size());
    prog.setPointer(Native.POINTER_SIZE, filter);
    try {
      libc.syscall(seccompNr, SECCOMP_SET_MODE_FILTER, 0, prog);
    } catch (LastErrorException e) {
      if (e.getErrorCode() != ENOSYS) {
        throw failed(Call.seccompFilter(program.size(), summary), e);
      }
      // Before Linux 3.17 there is no seccomp(2); prctl attaches the same program.
      try {
        libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, prog, 0, 0);
      } catch (LastErrorException e2) {
        throw failed(Call.prctlSeccomp(program.size(), summary), e2);
      }
    } finally {
      // The kernel copies the program during the call; keep both blocks alive until it returned.
      java.lang.ref.Reference.reachabilityFence(filter);
      java.lang.ref.Reference.reachabilityFence(prog);
    }
  }
}

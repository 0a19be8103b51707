package org.glasshouse.helper.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
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

  /** libc as JNA sees it; every call reports errno through {@link LastErrorException}. */
  interface LibC extends Library {
    int unshare(int flags) throws LastErrorException;

    int setpriority(int which, int who, int prio) throws LastErrorException;

    int setns(int fd, int nstype) throws LastErrorException;

    int mount(String source, String target, String fstype, NativeLong flags, String data)
        throws LastErrorException;

    int umount2(String target, int flags) throws LastErrorException;

    int chroot(String path) throws LastErrorException;

    int chdir(String path) throws LastErrorException;

    int rmdir(String path) throws LastErrorException;

    int fchdir(int fd) throws LastErrorException;

    int sethostname(byte[] name, NativeLong len) throws LastErrorException;

    int mknod(String path, int mode, long dev) throws LastErrorException;

    int symlink(String target, String linkPath) throws LastErrorException;

    int mkdir(String path, int mode) throws LastErrorException;

    NativeLong syscall(NativeLong number, Object... args) throws LastErrorException;

    int prctl(int option, NativeLong a2, NativeLong a3, NativeLong a4, NativeLong a5)
        throws LastErrorException;

    int prctl(int option, NativeLong a2, Pointer a3, NativeLong a4, NativeLong a5)
        throws LastErrorException;

    int execve(String path, StringArray argv, StringArray envp) throws LastErrorException;

    int setsid() throws LastErrorException;

    int ioctl(int fd, NativeLong request, Object... args) throws LastErrorException;

    int dup2(int oldFd, int newFd) throws LastErrorException;

    int open(String path, int flags, int mode) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int posix_openpt(int flags) throws LastErrorException;

    int grantpt(int fd) throws LastErrorException;

    int unlockpt(int fd) throws LastErrorException;

    int ptsname_r(int fd, byte[] buf, NativeLong len) throws LastErrorException;

    NativeLong read(int fd, byte[] buf, NativeLong count) throws LastErrorException;

    NativeLong write(int fd, byte[] buf, NativeLong count) throws LastErrorException;

    int kill(int pid, int sig) throws LastErrorException;

    int pipe2(int[] fds, int flags) throws LastErrorException;

    int poll(Pointer fds, NativeLong nfds, int timeout) throws LastErrorException;

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

    // glibc 2.35+: the child makes its process group the terminal's foreground group.
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

  /** Loads libc. */
  public JnaSyscalls() {
    this(Native.load("c", LibC.class), FsCalls.real());
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

  /** One warm-up call. */
  @FunctionalInterface
  private interface WarmCall {
    Object run() throws SyscallException;
  }

  /** A path that does not exist: warm-up calls on it fail with ENOENT before touching anything. */
  private static final String NOWHERE = "/glasshouse-warm-up-nowhere/x";

  /**
   * Binds every libc function the init stage calls and runs each wrapper once, through its error
   * path too, with arguments that change nothing (a path that does not exist, fd -1, "leave
   * unchanged" ids, the capabilities already held): the first call of each costs milliseconds
   * (JNA's binding, class loading, the interpreter) and a warm-pool init pays that before its plan
   * arrives instead of on the start's critical path. Never throws.
   */
  public void warmUp() {
    List<WarmCall> calls =
        List.of(
            () -> {
              unshare(0);
              return null;
            },
            () -> {
              setns(-1, 0, NOWHERE);
              return null;
            },
            () -> {
              mount(null, NOWHERE, null, 0, null);
              return null;
            },
            () -> {
              umount2(NOWHERE, 0);
              return null;
            },
            () -> {
              pivotRoot(NOWHERE, NOWHERE);
              return null;
            },
            () -> {
              chroot(NOWHERE);
              return null;
            },
            () -> {
              chdir(NOWHERE);
              return null;
            },
            () -> {
              fchdir(-1);
              return null;
            },
            () -> {
              // Longer than the kernel's 64 bytes: EINVAL, the hostname stays.
              sethostname("x".repeat(100));
              return null;
            },
            () -> {
              mknodChar(NOWHERE, 0666, 1, 3);
              return null;
            },
            () -> {
              symlink("x", NOWHERE);
              return null;
            },
            () -> {
              mkdir(NOWHERE, 0755);
              return null;
            },
            () -> openat2(null, NOWHERE, FsFlags.O_PATH, 0, RESOLVE_IN_CONTAINER),
            () -> {
              mkdirat(null, NOWHERE, 0755);
              return null;
            },
            () -> {
              mknodat(null, NOWHERE, 0666, 1, 3);
              return null;
            },
            () -> {
              symlinkat("x", null, NOWHERE);
              return null;
            },
            () -> {
              // fd -1: "/proc/self/fd/-1" does not exist (ENOENT), nothing is mounted.
              mountOn(null, new Fd(-1, NOWHERE), null, 0, null);
              return null;
            },
            () -> {
              setresgid(-1, -1, -1);
              return null;
            },
            () -> {
              setresuid(-1, -1, -1);
              return null;
            },
            () -> {
              long[] caps = capget();
              capset(caps[0], caps[1], caps[2]);
              return null;
            },
            () -> {
              // Off is the default; the plan sets it where it needs it.
              setKeepCaps(false);
              return null;
            },
            () -> {
              setWindowSize(-1, 80, 24);
              return null;
            },
            () -> {
              setControllingTerminal(-1);
              return null;
            },
            () -> {
              dup2(-1, -1);
              return null;
            },
            () -> {
              closeRangeCloexec(Integer.MAX_VALUE);
              return null;
            },
            () -> {
              close(open(NOWHERE, 0));
              return null;
            },
            () -> {
              execve(NOWHERE, List.of("x"), List.of("A=b"));
              return null;
            },
            () -> {
              // Asks whether an action exists: the filter-loading path without loading anything.
              Memory action = new Memory(4);
              action.setInt(0, SECCOMP_RET_ALLOW);
              return libc.syscall(
                  nl(seccompNr), nl(SECCOMP_GET_ACTION_AVAIL), nl(0), (Pointer) action);
            },
            () -> getpid());
    for (WarmCall b : calls) {
      try {
        b.run();
      } catch (SyscallException | RuntimeException e) {
        // Expected: most of these fail on purpose.
      }
    }
  }

  @FunctionalInterface
  private interface Body<T> {
    T run() throws LastErrorException;
  }

  /** Runs {@code body}; a failure becomes a SyscallException that reads like strace. */
  private <T> T call(Call call, Body<T> body) throws SyscallException {
    try {
      return body.run();
    } catch (LastErrorException e) {
      throw failed(call, e.getErrorCode());
    }
  }

  private SyscallException failed(Call call, int errno) {
    return new SyscallException(call, errno, Errno.name(errno), libc.strerror(errno));
  }

  private static NativeLong nl(long v) {
    return new NativeLong(v);
  }

  @Override
  public void unshare(int flags) throws SyscallException {
    call(Call.unshare(flags), () -> libc.unshare(flags));
  }

  /** {@code PRIO_PROCESS}: {@code who} is a thread id. */
  private static final int PRIO_PROCESS = 0;

  @Override
  public void setpriority(int tid, int nice) throws SyscallException {
    call(Call.setpriority(tid, nice), () -> libc.setpriority(PRIO_PROCESS, tid, nice));
  }

  @Override
  public void setns(int fd, int nstype, String nsPath) throws SyscallException {
    call(Call.setns(fd, nstype, nsPath), () -> libc.setns(fd, nstype));
  }

  @Override
  public void mount(String source, String target, String fstype, long flags, String data)
      throws SyscallException {
    call(
        Call.mount(source, target, fstype, flags, data),
        () -> libc.mount(source, target, fstype, nl(flags), data));
  }

  @Override
  public void umount2(String target, int flags) throws SyscallException {
    call(Call.umount2(target, flags), () -> libc.umount2(target, flags));
  }

  @Override
  public void pivotRoot(String newRoot, String putOld) throws SyscallException {
    call(Call.pivotRoot(newRoot, putOld), () -> libc.syscall(nl(nr.pivotRoot()), newRoot, putOld));
  }

  @Override
  public void chroot(String path) throws SyscallException {
    call(Call.chroot(path), () -> libc.chroot(path));
  }

  @Override
  public void fchdir(int fd) throws SyscallException {
    call(Call.fchdir(fd), () -> libc.fchdir(fd));
  }

  @Override
  public void chdir(String path) throws SyscallException {
    call(Call.chdir(path), () -> libc.chdir(path));
  }

  @Override
  public void rmdir(String path) throws SyscallException {
    call(Call.rmdir(path), () -> libc.rmdir(path));
  }

  @Override
  public void sethostname(String name) throws SyscallException {
    byte[] b = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    call(Call.sethostname(name), () -> libc.sethostname(b, nl(b.length)));
  }

  @Override
  public void mknodChar(String path, int mode, int major, int minor) throws SyscallException {
    long dev = makedev(major, minor);
    call(Call.mknodChar(path, mode, major, minor), () -> libc.mknod(path, S_IFCHR | mode, dev));
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
    call(Call.symlink(target, linkPath), () -> libc.symlink(target, linkPath));
  }

  @Override
  public void mkdir(String path, int mode) throws SyscallException {
    call(Call.mkdir(path, mode), () -> libc.mkdir(path, mode));
  }

  @Override
  public void setgroups(int[] gids) throws SyscallException {
    Memory list = new Memory(Math.max(4, 4L * gids.length));
    for (int i = 0; i < gids.length; i++) {
      list.setInt(4L * i, gids[i]);
    }
    call(
        Call.setgroups(gids),
        () -> libc.syscall(nl(nr.setgroups()), nl(gids.length), gids.length == 0 ? null : list));
  }

  @Override
  public void setresgid(int rgid, int egid, int sgid) throws SyscallException {
    call(
        Call.setresgid(rgid, egid, sgid),
        () -> libc.syscall(nl(nr.setresgid()), nl(rgid), nl(egid), nl(sgid)));
  }

  @Override
  public void setresuid(int ruid, int euid, int suid) throws SyscallException {
    call(
        Call.setresuid(ruid, euid, suid),
        () -> libc.syscall(nl(nr.setresuid()), nl(ruid), nl(euid), nl(suid)));
  }

  @Override
  public long[] capget() throws SyscallException {
    Memory header = capHeader();
    Memory data = new Memory(24);
    data.clear();
    call(Call.capget(), () -> libc.syscall(nl(nr.capget()), header, data));
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
    call(
        Call.capset(effective, permitted, inheritable),
        () -> libc.syscall(nl(nr.capset()), header, data));
  }

  private static Memory capHeader() {
    Memory header = new Memory(8);
    header.setInt(0, LINUX_CAPABILITY_VERSION_3);
    header.setInt(4, 0);
    return header;
  }

  @Override
  public void capbsetDrop(Capability cap) throws SyscallException {
    call(
        Call.capbsetDrop(cap),
        () -> libc.prctl(PR_CAPBSET_DROP, nl(cap.number()), nl(0), nl(0), nl(0)));
  }

  @Override
  public void setNoNewPrivs() throws SyscallException {
    call(Call.setNoNewPrivs(), () -> libc.prctl(PR_SET_NO_NEW_PRIVS, nl(1), nl(0), nl(0), nl(0)));
  }

  @Override
  public void setDumpable(boolean dumpable) throws SyscallException {
    int v = dumpable ? 1 : 0;
    call(Call.setDumpable(dumpable), () -> libc.prctl(PR_SET_DUMPABLE, nl(v), nl(0), nl(0), nl(0)));
  }

  @Override
  public void setKeepCaps(boolean keep) throws SyscallException {
    int v = keep ? 1 : 0;
    call(Call.setKeepCaps(keep), () -> libc.prctl(PR_SET_KEEPCAPS, nl(v), nl(0), nl(0), nl(0)));
  }

  @Override
  public void execve(String path, List<String> argv, List<String> envp) throws SyscallException {
    StringArray a = new StringArray(argv.toArray(new String[0]));
    StringArray e = new StringArray(envp.toArray(new String[0]));
    call(Call.execve(path, argv, envp), () -> libc.execve(path, a, e));
  }

  @Override
  public void setsid() throws SyscallException {
    call(Call.setsid(), libc::setsid);
  }

  @Override
  public void setControllingTerminal(int fd) throws SyscallException {
    call(Call.setControllingTerminal(fd), () -> libc.ioctl(fd, nl(TIOCSCTTY), 0));
  }

  @Override
  public void setWindowSize(int fd, int cols, int rows) throws SyscallException {
    // struct winsize { unsigned short ws_row, ws_col, ws_xpixel, ws_ypixel; }
    Memory ws = new Memory(8);
    ws.clear();
    ws.setShort(0, (short) rows);
    ws.setShort(2, (short) cols);
    call(Call.setWindowSize(fd, cols, rows), () -> libc.ioctl(fd, nl(TIOCSWINSZ), ws));
  }

  @Override
  public void dup2(int oldFd, int newFd) throws SyscallException {
    call(Call.dup2(oldFd, newFd), () -> libc.dup2(oldFd, newFd));
  }

  @Override
  public void closeRangeCloexec(int first) throws SyscallException {
    call(
        Call.closeRangeCloexec(first),
        () -> libc.syscall(nl(nr.closeRange()), first, -1, CLOSE_RANGE_CLOEXEC));
  }

  @Override
  public int open(String path, int flags) throws SyscallException {
    return call(Call.open(path, flags), () -> libc.open(path, flags, 0));
  }

  @Override
  public void close(int fd) throws SyscallException {
    call(Call.close(fd), () -> libc.close(fd));
  }

  @Override
  public int openPtyMaster() throws SyscallException {
    int fd = call(Call.posixOpenpt(), () -> libc.posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC));
    try {
      call(Call.onPty("grantpt", fd), () -> libc.grantpt(fd));
      call(Call.onPty("unlockpt", fd), () -> libc.unlockpt(fd));
      return fd;
    } catch (SyscallException e) {
      libc.close(fd);
      throw e;
    }
  }

  @Override
  public String ptsname(int masterFd) throws SyscallException {
    byte[] buf = new byte[128];
    call(Call.ptsname(masterFd), () -> libc.ptsname_r(masterFd, buf, nl(buf.length)));
    return Native.toString(buf);
  }

  @Override
  public int read(int fd, byte[] buf) throws SyscallException {
    return call(Call.read(fd, buf.length), () -> libc.read(fd, buf, nl(buf.length))).intValue();
  }

  @Override
  public int write(int fd, byte[] buf, int len) throws SyscallException {
    return call(Call.write(fd, len), () -> libc.write(fd, buf, nl(len))).intValue();
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
    Call call = Call.posixSpawn(path, argv, envp);
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
        throw failed(call, err);
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
        libc.poll(p, nl(fds.length), timeoutMillis);
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
    return call(Call.eventfd(), () -> libc.eventfd(0, O_CLOEXEC));
  }

  @Override
  public int[] pipe() throws SyscallException {
    int[] fds = new int[2];
    call(Call.pipe(), () -> libc.pipe2(fds, O_CLOEXEC));
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
    call(Call.kill(pid, sig), () -> libc.kill((int) pid, sig));
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

  /**
   * A call of the fd-relative layer, its failure retold with this seam's arguments ({@link Fd}).
   */
  @FunctionalInterface
  private interface FsCall<T> {
    T run(FsCalls fs) throws SyscallException;
  }

  private <T> T fs(Call call, FsCall<T> body) throws SyscallException {
    try {
      return body.run(fsCalls);
    } catch (SyscallException e) {
      throw new SyscallException(call, e.errno(), e.errnoName(), e.errnoMessage());
    }
  }

  // The *at calls and openat2 have one binding, FsCalls (the image extractor's): this seam only
  // adds the Fd's path for the step log and the strace-like error.

  @Override
  public Fd openat2(Fd dir, String path, int flags, int mode, long resolve)
      throws SyscallException {
    Call call = Call.openat2(dir, path, flags, mode, resolve);
    int fd = fs(call, f -> f.openat2(dirfd(dir), bytes(path), flags, mode, resolve));
    return new Fd(fd, dir == null ? path : dir.child(path));
  }

  @Override
  public void mkdirat(Fd dir, String name, int mode) throws SyscallException {
    fs(
        Call.mkdirat(dir, name, mode),
        f -> {
          f.mkdirat(dirfd(dir), bytes(name), mode);
          return null;
        });
  }

  @Override
  public void mknodat(Fd dir, String name, int mode, int major, int minor) throws SyscallException {
    long dev = makedev(major, minor);
    fs(
        Call.mknodat(dir, name, mode, major, minor),
        f -> {
          f.mknodat(dirfd(dir), bytes(name), S_IFCHR | mode, dev);
          return null;
        });
  }

  @Override
  public void symlinkat(String target, Fd dir, String name) throws SyscallException {
    fs(
        Call.symlinkat(target, dir, name),
        f -> {
          f.symlinkat(bytes(target), dirfd(dir), bytes(name));
          return null;
        });
  }

  @Override
  public void mountOn(String source, Fd target, String fstype, long flags, String data)
      throws SyscallException {
    call(
        Call.mountOn(source, target, fstype, flags, data),
        () -> libc.mount(source, target.procPath(), fstype, nl(flags), data));
  }

  @Override
  public void mountBeneath(
      String source, Fd dir, String rel, String fstype, long flags, String data)
      throws SyscallException {
    String target = dir.procPath() + "/" + rel;
    call(
        Call.mountBeneath(source, dir, rel, fstype, flags, data),
        () -> libc.mount(source, target, fstype, nl(flags), data));
  }

  @Override
  public long spawnCommand(
      String path, List<String> argv, List<String> envp, boolean foregroundTerminal)
      throws SyscallException {
    Call call = Call.posixSpawn(path, argv, envp);
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
        throw failed(call, err);
      }
      if (foregroundTerminal && !inChild) {
        call(new Call("tcsetpgrp", "0, " + pid[0]), () -> libc.tcsetpgrp(0, pid[0]));
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
    Pointer environ =
        com.sun.jna.NativeLibrary.getInstance("c")
            .getGlobalVariableAddress("environ")
            .getPointer(0);
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
      call(
          Call.seccompFilter(program.size(), summary),
          () -> libc.syscall(nl(seccompNr), nl(SECCOMP_SET_MODE_FILTER), nl(0), (Pointer) prog));
    } catch (SyscallException e) {
      if (e.errno() != ENOSYS) {
        throw e;
      }
      // Before Linux 3.17 there is no seccomp(2); prctl attaches the same program.
      call(
          Call.prctlSeccomp(program.size(), summary),
          () -> libc.prctl(PR_SET_SECCOMP, nl(SECCOMP_MODE_FILTER), prog, nl(0), nl(0)));
    } finally {
      // The kernel copies the program during the call; keep both blocks alive until it returned.
      java.lang.ref.Reference.reachabilityFence(filter);
      java.lang.ref.Reference.reachabilityFence(prog);
    }
  }
}

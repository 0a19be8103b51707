package org.glasshouse.helper.linux;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A fake {@link Syscalls} that records every call as one line ({@code mount NULL "/" …}) and
 * succeeds, or fails with a chosen errno when a line matches. Lets unit tests check the exact step
 * order of every level without root.
 */
public final class RecordingSyscalls implements Syscalls {
  private final List<String> calls = new ArrayList<>();
  private Predicate<String> failWhen = c -> false;
  private int failErrno;
  private final List<Predicate<String>> rules = new ArrayList<>();
  private final List<Integer> ruleErrnos = new ArrayList<>();
  private int nextFd = 10;

  /** Every call so far, in order. */
  public synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  /** Records a marker that is not a syscall (the init channel's ready/go), to check ordering. */
  public synchronized void mark(String what) {
    calls.add("-- " + what);
  }

  /** Makes every call whose line matches fail with {@code errno}. */
  public synchronized RecordingSyscalls failWhen(Predicate<String> match, int errno) {
    this.failWhen = match;
    this.failErrno = errno;
    return this;
  }

  /** Also makes every call whose line matches fail with {@code errno} (rules add up). */
  public synchronized RecordingSyscalls alsoFailWhen(Predicate<String> match, int errno) {
    rules.add(match);
    ruleErrnos.add(errno);
    return this;
  }

  private synchronized void rec(String name, String args) throws SyscallException {
    String line = name + "(" + args + ")";
    calls.add(line);
    if (failWhen.test(line)) {
      throw new SyscallException(name, args, failErrno, Errno.name(failErrno), "injected");
    }
    for (int i = 0; i < rules.size(); i++) {
      if (rules.get(i).test(line)) {
        int e = ruleErrnos.get(i);
        throw new SyscallException(name, args, e, Errno.name(e), "injected");
      }
    }
  }

  @Override
  public void unshare(int flags) throws SyscallException {
    rec("unshare", Flags.cloneFlags(flags));
  }

  @Override
  public void setpriority(int tid, int nice) throws SyscallException {
    rec("setpriority", "PRIO_PROCESS, " + tid + ", " + nice);
  }

  @Override
  public void setns(int fd, int nstype, String nsPath) throws SyscallException {
    rec("setns", nsPath + ", " + Flags.cloneFlags(nstype));
  }

  @Override
  public void mount(String source, String target, String fstype, long flags, String data)
      throws SyscallException {
    rec("mount", SyscallArgs.mount(source, target, fstype, flags, data));
  }

  @Override
  public void umount2(String target, int flags) throws SyscallException {
    rec("umount2", SyscallArgs.umount2(target, flags));
  }

  @Override
  public void pivotRoot(String newRoot, String putOld) throws SyscallException {
    rec("pivot_root", SyscallArgs.paths(newRoot, putOld));
  }

  @Override
  public void chroot(String path) throws SyscallException {
    rec("chroot", SyscallArgs.q(path));
  }

  @Override
  public void fchdir(int fd) throws SyscallException {
    rec("fchdir", String.valueOf(fd));
  }

  @Override
  public void chdir(String path) throws SyscallException {
    rec("chdir", SyscallArgs.q(path));
  }

  @Override
  public void rmdir(String path) throws SyscallException {
    rec("rmdir", SyscallArgs.q(path));
  }

  @Override
  public void sethostname(String name) throws SyscallException {
    rec("sethostname", SyscallArgs.q(name));
  }

  @Override
  public void mknodChar(String path, int mode, int major, int minor) throws SyscallException {
    rec("mknod", SyscallArgs.mknodChar(path, mode, major, minor));
  }

  @Override
  public void symlink(String target, String linkPath) throws SyscallException {
    rec("symlink", SyscallArgs.paths(target, linkPath));
  }

  @Override
  public void mkdir(String path, int mode) throws SyscallException {
    rec("mkdir", SyscallArgs.mkdir(path, mode));
  }

  @Override
  public void setgroups(int[] gids) throws SyscallException {
    rec("setgroups", SyscallArgs.setgroups(gids));
  }

  @Override
  public void setresgid(int rgid, int egid, int sgid) throws SyscallException {
    rec("setresgid", SyscallArgs.ids(rgid, egid, sgid));
  }

  @Override
  public void setresuid(int ruid, int euid, int suid) throws SyscallException {
    rec("setresuid", SyscallArgs.ids(ruid, euid, suid));
  }

  @Override
  public long[] capget() throws SyscallException {
    rec("capget", "");
    return new long[] {0, 0, 0};
  }

  @Override
  public void capset(long effective, long permitted, long inheritable) throws SyscallException {
    rec("capset", SyscallArgs.capset(effective, permitted, inheritable));
  }

  @Override
  public void capbsetDrop(Capability cap) throws SyscallException {
    rec("prctl", "PR_CAPBSET_DROP, " + cap.capName());
  }

  @Override
  public void setNoNewPrivs() throws SyscallException {
    rec("prctl", "PR_SET_NO_NEW_PRIVS, 1");
  }

  @Override
  public void setDumpable(boolean dumpable) throws SyscallException {
    rec("prctl", "PR_SET_DUMPABLE, " + (dumpable ? 1 : 0));
  }

  @Override
  public void setKeepCaps(boolean keep) throws SyscallException {
    rec("prctl", "PR_SET_KEEPCAPS, " + (keep ? 1 : 0));
  }

  @Override
  public void execve(String path, List<String> argv, List<String> envp) throws SyscallException {
    rec("execve", SyscallArgs.execve(path, argv, envp.size()));
  }

  @Override
  public void setsid() throws SyscallException {
    rec("setsid", "");
  }

  @Override
  public void setControllingTerminal(int fd) throws SyscallException {
    rec("ioctl", fd + ", TIOCSCTTY, 0");
  }

  @Override
  public void setWindowSize(int fd, int cols, int rows) throws SyscallException {
    rec("ioctl", fd + ", TIOCSWINSZ, " + cols + "x" + rows);
  }

  @Override
  public void dup2(int oldFd, int newFd) throws SyscallException {
    rec("dup2", oldFd + ", " + newFd);
  }

  @Override
  public void closeRangeCloexec(int first) throws SyscallException {
    rec("close_range", first + ", ~0U, CLOSE_RANGE_CLOEXEC");
  }

  @Override
  public synchronized int open(String path, int flags) throws SyscallException {
    rec("open", SyscallArgs.q(path));
    return nextFd++;
  }

  @Override
  public void close(int fd) throws SyscallException {
    rec("close", String.valueOf(fd));
  }

  @Override
  public synchronized int openPtyMaster() throws SyscallException {
    rec("posix_openpt", "O_RDWR|O_NOCTTY|O_CLOEXEC");
    return nextFd++;
  }

  @Override
  public String ptsname(int masterFd) throws SyscallException {
    rec("ptsname_r", String.valueOf(masterFd));
    return "/dev/pts/99";
  }

  @Override
  public int read(int fd, byte[] buf) throws SyscallException {
    rec("read", String.valueOf(fd));
    return 0;
  }

  @Override
  public int write(int fd, byte[] buf, int len) throws SyscallException {
    rec("write", fd + ", " + len);
    return len;
  }

  @Override
  public synchronized long spawn(
      String path,
      List<String> argv,
      List<String> envp,
      String cwd,
      int stdin,
      int stdout,
      int stderr)
      throws SyscallException {
    rec("posix_spawn", SyscallArgs.execve(path, argv, envp.size()));
    return 4242;
  }

  @Override
  public short[] pollIn(int[] fds, int timeoutMillis) throws SyscallException {
    rec("poll", java.util.Arrays.toString(fds) + ", POLLIN, " + timeoutMillis);
    short[] r = new short[fds.length];
    java.util.Arrays.fill(r, POLLHUP);
    return r;
  }

  @Override
  public synchronized int eventfd() throws SyscallException {
    rec("eventfd", "0, EFD_CLOEXEC");
    return nextFd++;
  }

  @Override
  public synchronized int[] pipe() throws SyscallException {
    rec("pipe2", "O_CLOEXEC");
    return new int[] {nextFd++, nextFd++};
  }

  @Override
  public int waitpid(long pid) throws SyscallException {
    rec("waitpid", String.valueOf(pid));
    return 0;
  }

  @Override
  public void kill(long pid, int sig) throws SyscallException {
    rec("kill", pid + ", " + sig);
  }

  @Override
  public long getpid() {
    return 1;
  }

  @Override
  public synchronized Fd openat2(Fd dir, String path, int flags, int mode, long resolve)
      throws SyscallException {
    rec("openat2", SyscallArgs.openat2(dir, path, flags, mode, resolve));
    return new Fd(nextFd++, dir == null ? path : dir.child(path));
  }

  @Override
  public void mkdirat(Fd dir, String name, int mode) throws SyscallException {
    rec("mkdirat", SyscallArgs.mkdirat(dir, name, mode));
  }

  @Override
  public void mknodat(Fd dir, String name, int mode, int major, int minor) throws SyscallException {
    rec("mknodat", SyscallArgs.mknodat(dir, name, mode, major, minor));
  }

  @Override
  public void symlinkat(String target, Fd dir, String name) throws SyscallException {
    rec("symlinkat", SyscallArgs.symlinkat(target, dir, name));
  }

  @Override
  public void mountOn(String source, Fd target, String fstype, long flags, String data)
      throws SyscallException {
    rec("mount", SyscallArgs.mountOn(source, target, fstype, flags, data));
  }

  @Override
  public void mountBeneath(
      String source, Fd dir, String rel, String fstype, long flags, String data)
      throws SyscallException {
    rec("mount", SyscallArgs.mountBeneath(source, dir, rel, fstype, flags, data));
  }

  @Override
  public synchronized long spawnCommand(
      String path, List<String> argv, List<String> envp, boolean foregroundTerminal)
      throws SyscallException {
    rec(
        "posix_spawn",
        SyscallArgs.execve(path, argv, envp.size())
            + (foregroundTerminal ? ", POSIX_SPAWN_SETPGROUP|tcsetpgrp(0)" : ""));
    return 4243;
  }

  @Override
  public synchronized void endAs(int status) {
    calls.add("-- end as " + status);
  }

  @Override
  public void seccompFilter(List<SockFilter> program, String summary) throws SyscallException {
    rec("seccomp", SyscallArgs.seccompFilter(program.size()));
  }
}

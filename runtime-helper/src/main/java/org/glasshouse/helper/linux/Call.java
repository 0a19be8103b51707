package org.glasshouse.helper.linux;

import static org.glasshouse.helper.linux.SyscallArgs.q;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One syscall as a human (or strace) writes it: its name and its arguments, strings quoted, flags
 * symbolic. The ONE description of each call: {@link JnaSyscalls} puts it into the {@link
 * SyscallException} when the kernel refuses, and the init stage's steps put the same into their
 * step log entries, so the entry of a call that succeeded and the error of the same call that
 * failed say it the same way ({@code StepTextTest} holds every call of the init stage to that).
 *
 * <p>One factory per {@link Syscalls} method, with its parameters.
 *
 * @param name the syscall's name ({@code pivot_root}, {@code prctl})
 * @param args the arguments ({@code "/…/merged", "/…/merged/.oldroot"})
 */
public record Call(String name, String args) {

  /** {@code name(args)}, as strace starts a line. */
  @Override
  public String toString() {
    return name + "(" + args + ")";
  }

  /** This call with a note for the reader after its arguments: {@code … /* note *\/}. */
  public Call noted(String note) {
    return new Call(name, args + " /* " + note + " */");
  }

  /** {@link Syscalls#unshare}. */
  public static Call unshare(int flags) {
    return new Call("unshare", Flags.cloneFlags(flags));
  }

  /** {@link Syscalls#setpriority}. */
  public static Call setpriority(int tid, int nice) {
    return new Call("setpriority", "PRIO_PROCESS, " + tid + ", " + nice);
  }

  /** {@link Syscalls#setns}: the fd with the namespace file it was opened from. */
  public static Call setns(int fd, int nstype, String nsPath) {
    return new Call("setns", fd + " /* " + nsPath + " */, " + Flags.cloneFlags(nstype));
  }

  /** {@link Syscalls#mount}. */
  public static Call mount(String source, String target, String fstype, long flags, String data) {
    return new Call("mount", SyscallArgs.mount(source, target, fstype, flags, data));
  }

  /** {@link Syscalls#umount2}. */
  public static Call umount2(String target, int flags) {
    return new Call("umount2", SyscallArgs.umount2(target, flags));
  }

  /** {@link Syscalls#pivotRoot}. */
  public static Call pivotRoot(String newRoot, String putOld) {
    return new Call("pivot_root", SyscallArgs.paths(newRoot, putOld));
  }

  /** {@link Syscalls#chroot}. */
  public static Call chroot(String path) {
    return new Call("chroot", q(path));
  }

  /** {@link Syscalls#fchdir}. */
  public static Call fchdir(int fd) {
    return new Call("fchdir", String.valueOf(fd));
  }

  /** {@link Syscalls#chdir}. */
  public static Call chdir(String path) {
    return new Call("chdir", q(path));
  }

  /** {@link Syscalls#rmdir}. */
  public static Call rmdir(String path) {
    return new Call("rmdir", q(path));
  }

  /**
   * {@link Syscalls#sethostname}: the length is what the kernel is given, the name's UTF-8 bytes
   * (not its Java chars: a non-ASCII name is longer in bytes, and the kernel's limit is 64 bytes).
   */
  public static Call sethostname(String name) {
    return new Call("sethostname", q(name) + ", " + name.getBytes(StandardCharsets.UTF_8).length);
  }

  /** {@link Syscalls#mknodChar}. */
  public static Call mknodChar(String path, int mode, int major, int minor) {
    return new Call("mknod", SyscallArgs.mknodChar(path, mode, major, minor));
  }

  /** {@link Syscalls#symlink}. */
  public static Call symlink(String target, String linkPath) {
    return new Call("symlink", SyscallArgs.paths(target, linkPath));
  }

  /** {@link Syscalls#mkdir}. */
  public static Call mkdir(String path, int mode) {
    return new Call("mkdir", SyscallArgs.mkdir(path, mode));
  }

  /** {@link Syscalls#setgroups}. */
  public static Call setgroups(int[] gids) {
    return new Call("setgroups", SyscallArgs.setgroups(gids));
  }

  /** {@link Syscalls#setresgid}. */
  public static Call setresgid(int rgid, int egid, int sgid) {
    return new Call("setresgid", SyscallArgs.ids(rgid, egid, sgid));
  }

  /** {@link Syscalls#setresuid}. */
  public static Call setresuid(int ruid, int euid, int suid) {
    return new Call("setresuid", SyscallArgs.ids(ruid, euid, suid));
  }

  /** {@link Syscalls#capget}. */
  public static Call capget() {
    return new Call("capget", "{_LINUX_CAPABILITY_VERSION_3, 0}, …");
  }

  /** {@link Syscalls#capset}. */
  public static Call capset(long effective, long permitted, long inheritable) {
    return new Call("capset", SyscallArgs.capset(effective, permitted, inheritable));
  }

  /** {@link Syscalls#capbsetDrop}. */
  public static Call capbsetDrop(Capability cap) {
    return new Call("prctl", "PR_CAPBSET_DROP, " + cap.capName());
  }

  /** {@link Syscalls#setNoNewPrivs}. */
  public static Call setNoNewPrivs() {
    return new Call("prctl", "PR_SET_NO_NEW_PRIVS, 1");
  }

  /** {@link Syscalls#setDumpable}. */
  public static Call setDumpable(boolean dumpable) {
    return new Call("prctl", "PR_SET_DUMPABLE, " + (dumpable ? 1 : 0));
  }

  /** {@link Syscalls#setKeepCaps}. */
  public static Call setKeepCaps(boolean keep) {
    return new Call("prctl", "PR_SET_KEEPCAPS, " + (keep ? 1 : 0));
  }

  /** {@link Syscalls#execve}: the environment by count only (it may hold secrets). */
  public static Call execve(String path, List<String> argv, List<String> envp) {
    return new Call("execve", SyscallArgs.execve(path, argv, envp.size()));
  }

  /** {@link Syscalls#setsid}. */
  public static Call setsid() {
    return new Call("setsid", "");
  }

  /** {@link Syscalls#setControllingTerminal}. */
  public static Call setControllingTerminal(int fd) {
    return new Call("ioctl", fd + ", TIOCSCTTY, 0");
  }

  /** {@link Syscalls#setWindowSize}. */
  public static Call setWindowSize(int fd, int cols, int rows) {
    return new Call("ioctl", fd + ", TIOCSWINSZ, {ws_row=" + rows + ", ws_col=" + cols + "}");
  }

  /** {@link Syscalls#dup2}. */
  public static Call dup2(int oldFd, int newFd) {
    return new Call("dup2", oldFd + ", " + newFd);
  }

  /** {@link Syscalls#closeRangeCloexec}. */
  public static Call closeRangeCloexec(int first) {
    return new Call("close_range", first + ", ~0U, CLOSE_RANGE_CLOEXEC");
  }

  /** {@link Syscalls#open}. */
  public static Call open(String path, int flags) {
    return new Call("open", q(path) + ", " + FsFlags.open(flags));
  }

  /** {@link Syscalls#close}. */
  public static Call close(int fd) {
    return new Call("close", String.valueOf(fd));
  }

  /** {@link Syscalls#openPtyMaster}: its first call. */
  public static Call posixOpenpt() {
    return new Call("posix_openpt", "O_RDWR|O_NOCTTY|O_CLOEXEC");
  }

  /** {@code grantpt(fd)} or {@code unlockpt(fd)}, the rest of {@link Syscalls#openPtyMaster}. */
  public static Call onPty(String name, int fd) {
    return new Call(name, String.valueOf(fd));
  }

  /** {@link Syscalls#ptsname}. */
  public static Call ptsname(int masterFd) {
    return new Call("ptsname_r", masterFd + ", …");
  }

  /** {@link Syscalls#read}. */
  public static Call read(int fd, int count) {
    return new Call("read", fd + ", …, " + count);
  }

  /** {@link Syscalls#write}. */
  public static Call write(int fd, int count) {
    return new Call("write", fd + ", …, " + count);
  }

  /** {@link Syscalls#spawn} and {@link Syscalls#spawnCommand}: the program as execve names it. */
  public static Call posixSpawn(String path, List<String> argv, List<String> envp) {
    return new Call("posix_spawn", SyscallArgs.execve(path, argv, envp.size()));
  }

  /** {@link Syscalls#pollIn}. */
  public static Call pollIn(int[] fds, int timeoutMillis) {
    return new Call("poll", java.util.Arrays.toString(fds) + ", POLLIN, " + timeoutMillis);
  }

  /** {@link Syscalls#eventfd}. */
  public static Call eventfd() {
    return new Call("eventfd", "0, EFD_CLOEXEC");
  }

  /** {@link Syscalls#pipe}. */
  public static Call pipe() {
    return new Call("pipe2", "[…], O_CLOEXEC");
  }

  /** {@link Syscalls#waitpid}. */
  public static Call waitpid(long pid) {
    return new Call("waitpid", pid + ", …, 0");
  }

  /** {@link Syscalls#kill}. */
  public static Call kill(long pid, int sig) {
    return new Call("kill", pid + ", " + sig);
  }

  /** {@link Syscalls#openat2}. */
  public static Call openat2(Fd dir, String path, int flags, int mode, long resolve) {
    return new Call("openat2", SyscallArgs.openat2(dir, path, flags, mode, resolve));
  }

  /** {@link Syscalls#mkdirat}. */
  public static Call mkdirat(Fd dir, String name, int mode) {
    return new Call("mkdirat", SyscallArgs.mkdirat(dir, name, mode));
  }

  /** {@link Syscalls#mknodat}. */
  public static Call mknodat(Fd dir, String name, int mode, int major, int minor) {
    return new Call("mknodat", SyscallArgs.mknodat(dir, name, mode, major, minor));
  }

  /** {@link Syscalls#symlinkat}. */
  public static Call symlinkat(String target, Fd dir, String name) {
    return new Call("symlinkat", SyscallArgs.symlinkat(target, dir, name));
  }

  /** {@link Syscalls#mountOn}. */
  public static Call mountOn(String source, Fd target, String fstype, long flags, String data) {
    return new Call("mount", SyscallArgs.mountOn(source, target, fstype, flags, data));
  }

  /** {@link Syscalls#mountBeneath}. */
  public static Call mountBeneath(
      String source, Fd dir, String rel, String fstype, long flags, String data) {
    return new Call("mount", SyscallArgs.mountBeneath(source, dir, rel, fstype, flags, data));
  }

  /** {@link Syscalls#seccompFilter}: the program by length, with its one-line summary. */
  public static Call seccompFilter(int length, String summary) {
    Call c = new Call("seccomp", SyscallArgs.seccompFilter(length));
    return summary == null ? c : c.noted(summary);
  }

  // ---------------------------------------------------------------- the helper's other calls

  /**
   * One value written to a file the kernel serves (a cgroup control file, a sysctl): the open,
   * write and close as one call that names the file and the value, {@code write("/sys/fs/cgroup/…
   * /memory.max", "67108864")}.
   */
  public static Call writeFile(String path, String value) {
    return new Call("write", q(path) + ", " + q(value));
  }

  /** {@code unlink(path)}. */
  public static Call unlink(String path) {
    return new Call("unlink", q(path));
  }

  /** {@code open(path, flags, mode)}: an open that may create the file. */
  public static Call open(String path, int flags, int mode) {
    String m = mode == 0 ? "0" : "0" + Integer.toOctalString(mode);
    return new Call("open", q(path) + ", " + FsFlags.open(flags) + ", " + m);
  }

  /** {@code socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE)}: an rtnetlink socket. */
  public static Call netlinkSocket() {
    return new Call("socket", "AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE");
  }

  /**
   * One rtnetlink request, named by its message type as {@code ip monitor} does ({@code
   * RTM_NEWLINK}), its header and attributes decoded: what the kernel is asked, rather than the
   * {@code send} that carries it.
   *
   * @param type the message type's name ({@code RTM_NEWADDR})
   * @param request the decoded message ({@code {ifa_family=AF_INET, …}, IFA_LOCAL 10.87.0.2})
   */
  public static Call rtnetlink(String type, String request) {
    return new Call(type, request);
  }

  /** The fallback of {@link Syscalls#seccompFilter} on kernels before 3.17. */
  public static Call prctlSeccomp(int length, String summary) {
    Call c =
        new Call("prctl", "PR_SET_SECCOMP, SECCOMP_MODE_FILTER, {len=" + length + ", filter=…}");
    return summary == null ? c : c.noted(summary);
  }
}

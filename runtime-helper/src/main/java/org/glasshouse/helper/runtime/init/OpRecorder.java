package org.glasshouse.helper.runtime.init;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.glasshouse.helper.linux.Call;
import org.glasshouse.helper.linux.Capability;
import org.glasshouse.helper.linux.Fd;
import org.glasshouse.helper.linux.FsFlags;
import org.glasshouse.helper.linux.SockFilter;
import org.glasshouse.helper.linux.Syscalls;
import org.glasshouse.helper.plan.InitPlan;
import org.glasshouse.helper.plan.StepLog.StepException;
import org.glasshouse.protocol.StepEntry;

/**
 * The native init's op list, recorded (issue 16): {@link InitStage#run} runs at plan time against
 * this {@code Syscalls}, which makes no call but records each as an {@link InitOp} with the text of
 * the step it belongs to, so the order of the steps and their step-log text have one source, the
 * ladder the JVM init runs. Fds are numbered slots from 10 (the numbers the executor moves them to,
 * so {@code /proc/self/fd/N} in a later op is right); where a step takes an errno as an answer,
 * both branches are recorded and the executor skips the one its answer rules out.
 *
 * <p>A container's first start and an exec into a running container alike: an exec's ladder joins
 * the container's mount namespace and root, and with a PID namespace spawns the command into it,
 * waits for it and ends as it ends; those calls are ops too ({@code spawn}, {@code waitpid}, {@code
 * end_as}), so the executor never decides what follows what.
 */
public final class OpRecorder implements Syscalls, InitLink, StepRunner.Observer {

  /** The first slot: above the executor's own fds (0 1 2, the channel). */
  static final int FIRST_SLOT = 10;

  private final InitPlan plan;
  private final List<InitOp> ops = new ArrayList<>();
  private final List<Integer> tolerating = new ArrayList<>();
  private int nextSlot = FIRST_SLOT;
  private int reuseSlot = -1;
  private String step;
  private Call call;
  private String explanation;
  private int tolerates;
  private String toleratedResult;
  private InitOp last;

  private OpRecorder(InitPlan plan) {
    this.plan = plan;
  }

  /**
   * The op list of {@code plan}'s init stage (a start's or an exec's), in order; one that the
   * helper refuses ends with that refusal.
   */
  public static List<InitOp> record(InitPlan plan) {
    OpRecorder r = new OpRecorder(plan);
    try {
      // The command is looked up in PATH by the executor, inside the root its ops made.
      new InitStage(r, plan, r, r, (cmd, path) -> cmd).run();
    } catch (StepException refused) {
      // A refusal: recorded as the list's last op, reached (and reported) when the ops run.
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return List.copyOf(r.ops);
  }

  // ---- StepRunner.Observer

  @Override
  public void begin(String step, Call call, String explanation) {
    this.step = step;
    this.call = call;
    this.explanation = explanation;
    this.tolerates = 0;
    this.toleratedResult = null;
  }

  @Override
  public void tolerates(int errno, String result) {
    this.tolerates = errno;
    this.toleratedResult = result;
  }

  @Override
  public void refused(String message) {
    add("refuse", false).refusal = message;
  }

  @Override
  public int mark() {
    return ops.size();
  }

  @Override
  public void branch(int mark, boolean whenTolerated) {
    InitOp t = toleratingBefore(mark);
    int count = ops.size() - mark;
    if (whenTolerated) {
      t.skipOk = count;
    } else {
      t.skipTolerated = count;
    }
  }

  @Override
  public void sameSlotAsTolerating() {
    reuseSlot = toleratingBefore(ops.size()).slot;
  }

  private InitOp toleratingBefore(int mark) {
    for (int i = tolerating.size() - 1; i >= 0; i--) {
      if (tolerating.get(i) < mark) {
        return ops.get(tolerating.get(i));
      }
    }
    throw new IllegalStateException("a branch without a tolerating step before it");
  }

  // ---- InitLink: the sync points, and the entries of the recording run

  @Override
  public void step(StepEntry entry) {
    // The entry of the op just recorded, as the JVM init logs it when the call succeeds.
    if (last != null && entry.ok()) {
      last.okResult = entry.result();
    }
  }

  @Override
  public void awaitRoots() {
    sync("roots");
  }

  @Override
  public void ready(long pid) {
    sync("ready");
  }

  @Override
  public void awaitGo() {
    sync("go");
  }

  @Override
  public void aboutToExec(StepEntry pending) {
    // The executor says "exec <path>" itself, with the path it found.
  }

  @Override
  public void spawned(long pid) {
    // The executor says "spawned <pid>" itself, with the pid it got, and closes the channel.
  }

  private void sync(String name) {
    ops.add(new InitOp(name, List.of(), null, null, null));
    last = null;
  }

  // ---- recording

  private InitOp add(String name, boolean opens, Object... args) {
    if (call == null) {
      throw new IllegalStateException(name + " outside a step");
    }
    InitOp op = new InitOp(name, Arrays.asList(args), step, call, explanation);
    if (opens) {
      op.slot = reuseSlot >= 0 ? reuseSlot : nextSlot++;
      reuseSlot = -1;
    }
    if (tolerates != 0) {
      op.tolerated = tolerates;
      op.toleratedResult = toleratedResult;
      tolerating.add(ops.size());
    }
    ops.add(op);
    last = op;
    call = null;
    return op;
  }

  private static int dirfd(Fd dir) {
    return dir == null ? FsFlags.AT_FDCWD : dir.number();
  }

  @Override
  public void setDumpable(boolean dumpable) {
    add("dumpable", false, dumpable ? 1 : 0);
  }

  @Override
  public int open(String path, int flags) {
    return add("open", true, path, flags).slot;
  }

  @Override
  public Fd openat2(Fd dir, String path, int flags, int mode, long resolve) {
    int slot = add("openat2", true, dirfd(dir), path, flags, mode, resolve).slot;
    return new Fd(slot, dir == null ? path : dir.child(path));
  }

  @Override
  public void mount(String source, String target, String fstype, long flags, String data) {
    add("mount", false, source, target, fstype, flags, data);
  }

  @Override
  public void mountOn(String source, Fd target, String fstype, long flags, String data) {
    add("mount", false, source, target.procPath(), fstype, flags, data);
  }

  @Override
  public void mountBeneath(
      String source, Fd dir, String rel, String fstype, long flags, String data) {
    add("mount", false, source, dir.procPath() + "/" + rel, fstype, flags, data);
  }

  @Override
  public void umount2(String target, int flags) {
    add("umount2", false, target, flags);
  }

  @Override
  public void pivotRoot(String newRoot, String putOld) {
    add("pivot_root", false, newRoot, putOld);
  }

  @Override
  public void chroot(String path) {
    add("chroot", false, path);
  }

  @Override
  public void fchdir(int fd) {
    add("fchdir", false, fd);
  }

  @Override
  public void chdir(String path) {
    add("chdir", false, path);
  }

  @Override
  public void rmdir(String path) {
    add("rmdir", false, path);
  }

  @Override
  public void mkdir(String path, int mode) {
    add("mkdir", false, path, mode);
  }

  @Override
  public void sethostname(String name) {
    add("sethostname", false, name);
  }

  @Override
  public void unshare(int flags) {
    add("unshare", false, flags);
  }

  @Override
  public void setns(int fd, int nstype, String nsPath) {
    add("setns", false, fd, nstype);
  }

  @Override
  public void mkdirat(Fd dir, String name, int mode) {
    add("mkdirat", false, dirfd(dir), name, mode);
  }

  @Override
  public void mknodat(Fd dir, String name, int mode, int major, int minor) {
    add("mknodat", false, dirfd(dir), name, mode, major, minor);
  }

  @Override
  public void symlinkat(String target, Fd dir, String name) {
    add("symlinkat", false, target, dirfd(dir), name);
  }

  @Override
  public void close(int fd) {
    add("close", false, fd);
  }

  @Override
  public void capbsetDrop(Capability cap) {
    add("capbset_drop", false, cap.number());
  }

  @Override
  public void setKeepCaps(boolean keep) {
    add("keepcaps", false, keep ? 1 : 0);
  }

  @Override
  public void setgroups(int[] gids) {
    if (gids.length != 0) {
      throw new IllegalArgumentException("the native init drops every supplementary group only");
    }
    add("setgroups", false);
  }

  @Override
  public void setresgid(int rgid, int egid, int sgid) {
    add("setresgid", false, rgid, egid, sgid);
  }

  @Override
  public void setresuid(int ruid, int euid, int suid) {
    add("setresuid", false, ruid, euid, suid);
  }

  @Override
  public void capset(long effective, long permitted, long inheritable) {
    add("capset", false, effective, permitted, inheritable);
  }

  @Override
  public void setNoNewPrivs() {
    add("no_new_privs", false);
  }

  @Override
  public void setsid() {
    add("setsid", false);
  }

  @Override
  public void setControllingTerminal(int fd) {
    add("tiocsctty", false, fd);
  }

  @Override
  public void dup2(int oldFd, int newFd) {
    add("dup2", false, oldFd, newFd);
  }

  @Override
  public void closeRangeCloexec(int first) {
    add("close_range_cloexec", false, first);
  }

  @Override
  public void seccompFilter(List<SockFilter> program, String summary) {
    add("seccomp", false, new InitOp.Filter(List.copyOf(program)));
  }

  @Override
  public void execve(String path, List<String> argv, List<String> envp) {
    Map<String, String> env = plan.spec().env() == null ? Map.of() : plan.spec().env();
    String searchPath = env.getOrDefault("PATH", InitStage.DEFAULT_PATH);
    add("execve", false, path, searchPath, List.copyOf(argv), List.copyOf(envp));
  }

  @Override
  public long getpid() {
    return 0;
  }

  /**
   * The pid the recording run's spawn returns: the executor's "waitpid" waits for its own child.
   */
  static final long SPAWNED = 0;

  @Override
  public long spawnCommand(
      String path, List<String> argv, List<String> envp, boolean foregroundTerminal) {
    // As execve: the command is looked up in PATH by the executor, inside the joined root.
    Map<String, String> env = plan.spec().env() == null ? Map.of() : plan.spec().env();
    String searchPath = env.getOrDefault("PATH", InitStage.DEFAULT_PATH);
    add(
        "spawn",
        false,
        path,
        searchPath,
        List.copyOf(argv),
        List.copyOf(envp),
        foregroundTerminal ? 1 : 0);
    return SPAWNED;
  }

  @Override
  public int waitpid(long pid) {
    if (pid != SPAWNED) {
      throw new IllegalArgumentException("the native init waits only for the command it spawned");
    }
    // Not a step (the JVM init logs no entry for it either): after "spawned" the channel is closed.
    sync("waitpid");
    return 0;
  }

  @Override
  public void endAs(int status) {
    sync("end_as");
  }

  // ---- not in an init stage

  private static UnsupportedOperationException notInit(String what) {
    return new UnsupportedOperationException(what + " is not an init stage op");
  }

  @Override
  public void setpriority(int tid, int nice) {
    throw notInit("setpriority");
  }

  @Override
  public void mknodChar(String path, int mode, int major, int minor) {
    throw notInit("mknod");
  }

  @Override
  public void symlink(String target, String linkPath) {
    throw notInit("symlink");
  }

  @Override
  public long[] capget() {
    throw notInit("capget");
  }

  @Override
  public void setWindowSize(int fd, int cols, int rows) {
    throw notInit("TIOCSWINSZ");
  }

  @Override
  public int openPtyMaster() {
    throw notInit("posix_openpt");
  }

  @Override
  public String ptsname(int masterFd) {
    throw notInit("ptsname");
  }

  @Override
  public int read(int fd, byte[] buf) {
    throw notInit("read");
  }

  @Override
  public int write(int fd, byte[] buf, int len) {
    throw notInit("write");
  }

  @Override
  public long spawn(
      String path,
      List<String> argv,
      List<String> envp,
      String cwd,
      int stdin,
      int stdout,
      int stderr) {
    throw notInit("posix_spawn");
  }

  @Override
  public short[] pollIn(int[] fds, int timeoutMillis) {
    throw notInit("poll");
  }

  @Override
  public int eventfd() {
    throw notInit("eventfd");
  }

  @Override
  public int[] pipe() {
    throw notInit("pipe2");
  }

  @Override
  public void kill(long pid, int sig) {
    throw notInit("kill");
  }
}

package org.glasshouse.helper.cgroups;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.glasshouse.helper.linux.Call;
import org.glasshouse.helper.linux.FileErrors;
import org.glasshouse.helper.plan.StepLog;

/**
 * What v1 and v2 container cgroups share: a list of dirs (each tagged with the step it belongs to),
 * moving processes, listing them, and the kill-then-rmdir teardown.
 */
abstract class FsContainerCgroup implements ContainerCgroup {

  /**
   * How long destroy waits for the processes it killed to be gone and their cgroup removed. A
   * process killed with SIGKILL still needs the CPU to exit, and on a loaded machine that took more
   * than the 2 s this was: the helper's shutdown gave up and left an empty tracking cgroup once
   * they had gone (issue 15). crun retries the removal 500 times 10 ms apart, killing again each
   * time; runc retries EBUSY for about a second and then keeps the container's state, so that a
   * later delete tries again — as the runtime keeps the container's dir for the next start's sweep.
   */
  static final long DESTROY_BUDGET_NANOS = 10_000_000_000L;

  /**
   * How long the removal of the parent dirs retries EBUSY: a parent is busy only while a
   * container's cgroup is still in it, which waiting longer does not change.
   */
  static final long PARENT_BUDGET_NANOS = 1_000_000_000L;

  /**
   * One cgroup dir, the step ({@code cgroup-memory}) its entries are logged under, and the root of
   * its hierarchy: where that hierarchy is mounted, carried from the layout rather than guessed
   * from the dir's ancestors (under a delegated base the dir is {@code
   * <mount>/system.slice/glasshouse.service/<parent>/<id>}).
   */
  record Dir(Path root, Path path, String step) {}

  private final String id;
  final List<Dir> dirs;
  final CgroupFs fs;
  private final StepLog log;

  FsContainerCgroup(String id, List<Dir> dirs, CgroupFs fs, StepLog log) {
    this.id = id;
    this.dirs = List.copyOf(dirs);
    this.fs = fs;
    this.log = log;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public List<Path> paths() {
    return dirs.stream().map(Dir::path).toList();
  }

  StepLog log() {
    return log;
  }

  @Override
  public void addProcess(long pid, StepLog into) throws StepLog.StepException {
    for (Dir d : dirs) {
      write(into, d.step(), d.path().resolve("cgroup.procs"), Long.toString(pid), null);
    }
  }

  @Override
  public void enterRoots(long pid, StepLog into) throws StepLog.StepException {
    for (Dir d : dirs) {
      write(
          into,
          "cgroup-ns",
          hierarchyRoot(d).resolve("cgroup.procs"),
          Long.toString(pid),
          "moving a process into a hierarchy's root cgroup needs root");
    }
  }

  @Override
  public void leave(long pid, StepLog into) throws StepLog.StepException {
    for (Dir d : dirs) {
      Path procs = hierarchyRoot(d).resolve("cgroup.procs");
      Call call = Call.writeFile(procs.toString(), Long.toString(pid));
      into.run(
          "exec",
          "helper",
          call,
          "moving a process into a hierarchy's root cgroup needs root",
          () -> {
            try {
              fs.write(procs, Long.toString(pid));
              return "0";
            } catch (IOException e) {
              // A short command has ended already, and with it the process that waited for it.
              if (String.valueOf(e.getMessage()).contains("No such process")) {
                return "-1 ESRCH (gone already: nothing to move)";
              }
              throw FileErrors.thrownAs(call, e);
            }
          });
    }
  }

  /** The root cgroup of {@code d}'s hierarchy: its mount point. */
  private static Path hierarchyRoot(Dir d) {
    return d.root();
  }

  /**
   * One control-file write as one step entry, {@code write("<file>", "<value>")}: the same text as
   * its error when the kernel refuses it ({@link Call#writeFile}).
   */
  void write(StepLog into, String step, Path file, String value, String explanation)
      throws StepLog.StepException {
    write(into, step, fs, file, value, explanation);
  }

  /** {@link #write(StepLog, String, Path, String, String)} through {@code fs}. */
  static void write(
      StepLog into, String step, CgroupFs fs, Path file, String value, String explanation)
      throws StepLog.StepException {
    Call call = Call.writeFile(file.toString(), value);
    into.run(
        step,
        "helper",
        call,
        explanation,
        () -> {
          try {
            fs.write(file, value);
          } catch (IOException e) {
            throw FileErrors.thrownAs(call, e);
          }
          return null;
        });
  }

  @Override
  public List<Long> pids() throws IOException {
    Set<Long> out = new LinkedHashSet<>();
    for (Dir d : dirs) {
      for (Path p : tree(d.path())) {
        out.addAll(procs(p));
      }
    }
    return new ArrayList<>(out);
  }

  List<Long> procs(Path dir) throws IOException {
    List<Long> out = new ArrayList<>();
    Path f = dir.resolve("cgroup.procs");
    if (!fs.exists(f)) {
      return out;
    }
    for (String line : fs.read(f).split("\n")) {
      if (!line.isBlank()) {
        out.add(Long.parseLong(line.trim()));
      }
    }
    return out;
  }

  /**
   * A cgroup dir and its descendants (a container with a cgroup namespace may make some), deepest
   * first.
   */
  List<Path> tree(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    if (!fs.exists(dir)) {
      return out;
    }
    for (String c : fs.children(dir)) {
      out.addAll(tree(dir.resolve(c)));
    }
    out.add(dir);
    return out;
  }

  /**
   * Kills every process in {@code dir}'s tree once: on the unified hierarchy with {@code
   * cgroup.kill} (Linux 5.14+), which kills the whole subtree at once, forks racing it included;
   * else SIGKILL to each pid, inside a {@code cgroup.freeze} (v2 on Linux 5.2+: frozen, nothing
   * forks meanwhile, and a fatal signal still ends a frozen process) when there is one. v1 has
   * neither file here: each pid, and {@link #destroy} repeats until none is left.
   *
   * @return whether anything was left to kill
   */
  boolean killAll(Dir dir) throws IOException {
    List<Long> pids = new ArrayList<>();
    for (Path p : tree(dir.path())) {
      pids.addAll(procs(p));
    }
    if (pids.isEmpty()) {
      return false;
    }
    Path kill = dir.path().resolve("cgroup.kill");
    if (fs.exists(kill)) {
      control(dir, kill, "1");
      return true;
    }
    Path freeze = dir.path().resolve("cgroup.freeze");
    boolean freezing = fs.exists(freeze);
    if (freezing) {
      control(dir, freeze, "1");
    }
    try {
      for (long pid : pids) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
    } finally {
      if (freezing) {
        // Thawed again: the killed ones finish dying, and the rmdir may go.
        control(dir, freeze, "0");
      }
    }
    return true;
  }

  private void control(Dir dir, Path file, String value) throws IOException {
    try {
      write(log, dir.step(), file, value, null);
    } catch (StepLog.StepException e) {
      throw new IOException(
          "cannot kill the processes of " + dir.path() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void destroy() throws IOException {
    long deadline = System.nanoTime() + DESTROY_BUDGET_NANOS;
    IOException failure = null;
    for (Dir d : dirs) {
      try {
        destroy(d, deadline);
      } catch (IOException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private void destroy(Dir d, long deadline) throws IOException {
    if (!fs.exists(d.path())) {
      return;
    }
    long delayMs = 5;
    // Wait until empty. A killed process is listed until it has exited, which on a loaded machine
    // can take seconds: it is killed once, not again at every look. Only a process not seen at
    // the last kill is a reason to kill again (without cgroup.kill one may fork between the read
    // of cgroup.procs and the kill).
    Set<Long> killed = new LinkedHashSet<>();
    while (true) {
      List<Long> left = new ArrayList<>();
      for (Path p : tree(d.path())) {
        left.addAll(procs(p));
      }
      if (left.isEmpty()) {
        break;
      }
      if (!killed.containsAll(left)) {
        killed.addAll(left);
        killAll(d);
      } else if (System.nanoTime() > deadline) {
        throw new IOException(
            "cannot remove cgroup "
                + d.path()
                + ": processes "
                + left
                + " were killed (SIGKILL) and have not exited within "
                + seconds(DESTROY_BUDGET_NANOS));
      }
      delayMs = pause(delayMs);
    }
    for (Path p : tree(d.path())) {
      rmdir(d.step(), p, deadline);
    }
  }

  private static String seconds(long nanos) {
    return nanos / 1_000_000_000L + " s";
  }

  private void rmdir(String step, Path p, long deadline) throws IOException {
    try {
      log.run(
          step,
          "helper",
          Call.rmdir(p.toString()),
          "a cgroup with processes in it cannot be removed (EBUSY); they were killed and the"
              + " removal retried for "
              + seconds(DESTROY_BUDGET_NANOS),
          () -> {
            rmdirRetrying(fs, p, deadline);
            return null;
          });
    } catch (StepLog.StepException e) {
      throw new IOException("cannot remove cgroup " + p + ": " + e.getMessage(), e);
    }
  }

  /** rmdir, retrying EBUSY with back-off until {@code deadline} (System.nanoTime). */
  static void rmdirRetrying(CgroupFs fs, Path p, long deadline) throws IOException {
    long delayMs = 5;
    while (true) {
      try {
        fs.rmdir(p);
        return;
      } catch (IOException e) {
        if (!CgroupFs.isBusy(e) || System.nanoTime() > deadline) {
          throw e;
        }
        // Killed tasks leave the cgroup only once they have exited.
        delayMs = pause(delayMs);
      }
    }
  }

  /**
   * Removes parent dirs that should be empty: every one is tried, EBUSY retried for about a second;
   * the failures come back as one exception naming each dir.
   */
  static void removeParents(CgroupFs fs, List<Path> parents) throws IOException {
    long deadline = System.nanoTime() + PARENT_BUDGET_NANOS;
    IOException failure = null;
    for (Path p : parents) {
      if (!fs.exists(p)) {
        continue;
      }
      try {
        rmdirRetrying(fs, p, deadline);
      } catch (IOException e) {
        String reason =
            e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null
                ? fse.getReason()
                : String.valueOf(e.getMessage());
        IOException named =
            new IOException(
                "cannot remove the cgroup parent "
                    + p
                    + ": "
                    + reason
                    + " (a container's cgroup still in it?)",
                e);
        if (failure == null) {
          failure = named;
        } else {
          failure.addSuppressed(named);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  static long pause(long delayMs) throws IOException {
    try {
      Thread.sleep(delayMs);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for a cgroup to empty", e);
    }
    return Math.min(delayMs * 2, 200);
  }

  /** The value of {@code key} in a flat-keyed file ({@code oom_kill 3}), 0 when absent. */
  long keyed(Path file, String key) throws IOException {
    if (!fs.exists(file)) {
      return 0;
    }
    for (String line : fs.read(file).split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length == 2 && f[0].equals(key)) {
        return Long.parseLong(f[1]);
      }
    }
    return 0;
  }
}

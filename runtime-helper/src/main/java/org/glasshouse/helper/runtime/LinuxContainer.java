package org.glasshouse.helper.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.glasshouse.helper.cgroups.ContainerCgroup;
import org.glasshouse.helper.linux.SyscallException;
import org.glasshouse.helper.linux.Syscalls;
import org.glasshouse.helper.plan.StepLog;
import org.glasshouse.helper.runtime.net.NetworkAttachment;
import org.glasshouse.helper.runtime.rootfs.ContainerDirs;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.RunSpec;
import org.glasshouse.protocol.StepEntry;

/** A container (or an exec'd process) made by {@link LinuxContainerRuntime}. Thread-safe. */
final class LinuxContainer implements Container {

  private final String id;
  private final RunSpec spec;
  private final Set<Feature> features;
  private final StepLog log;
  private final Undo undo = new Undo();
  private final ContainerDirs dirs;
  private final Syscalls sys;
  private final ExecutorService stdinWriter;
  private volatile InitProcess process;
  private volatile State state = State.CREATED;
  private volatile ExitStatus exit;
  private volatile int ptyMaster = -1;
  private volatile Integer sentSignal;
  private volatile String rootfs;
  private volatile String lower;
  private volatile long execNanos;
  private final java.util.concurrent.atomic.AtomicLong stdinQueued =
      new java.util.concurrent.atomic.AtomicLong();

  /** For an exec'd process: the container it runs in; else null. */
  private final LinuxContainer parent;

  /** Pumps its output and reports its exit, once started. */
  private volatile Waiter waiter;

  /** The cgroup, when the container has one. */
  private volatile ContainerCgroup cgroup;

  /** The tracking cgroup that holds every process it started, when it needs one. */
  private volatile ContainerCgroup tracking;

  /** Its wiring to the helper's bridge while it has one. */
  private volatile NetworkAttachment network;

  /** Set when a cgroup of its would not go: its dir then stays for the next start's sweep. */
  private volatile boolean cgroupLeft;

  LinuxContainer(
      String id,
      RunSpec spec,
      Set<Feature> features,
      StepLog log,
      ContainerDirs dirs,
      Syscalls sys) {
    this(id, spec, features, log, dirs, sys, null);
  }

  /** An exec'd process in {@code parent}: its dirs, features and cgroup are the parent's. */
  LinuxContainer(String id, RunSpec spec, StepLog log, LinuxContainer parent, Syscalls sys) {
    this(id, spec, parent.features, log, parent.dirs, sys, parent);
    this.cgroup = parent.cgroup;
    this.tracking = parent.tracking;
    this.rootfs = parent.rootfs;
  }

  private LinuxContainer(
      String id,
      RunSpec spec,
      Set<Feature> features,
      StepLog log,
      ContainerDirs dirs,
      Syscalls sys,
      LinuxContainer parent) {
    this.id = id;
    this.parent = parent;
    this.spec = spec;
    this.features = features;
    this.log = log;
    this.dirs = dirs;
    this.sys = sys;
    this.stdinWriter =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "glasshouse-stdin-" + id);
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public RunSpec spec() {
    return spec;
  }

  Set<Feature> features() {
    return features;
  }

  StepLog log() {
    return log;
  }

  Undo undo() {
    return undo;
  }

  /** The container's directory in the state dir. */
  Path dir() {
    return dirs.dir();
  }

  /** The container's directories (rootfs copy, overlay dirs). */
  ContainerDirs dirs() {
    return dirs;
  }

  @Override
  public Optional<Path> upperDir() {
    return features.contains(Feature.OVERLAY) ? Optional.of(dirs.upper()) : Optional.empty();
  }

  @Override
  public Optional<NetworkAttachment> network() {
    return Optional.ofNullable(network);
  }

  /** Wired to the bridge ({@code null}: unwired). */
  void network(NetworkAttachment wiring) {
    this.network = wiring;
  }

  /** For an exec'd process: the container it runs in; else null. */
  LinuxContainer parent() {
    return parent;
  }

  /** Whether this is a process exec'd into another container. */
  boolean isExec() {
    return parent != null;
  }

  /** The container's cgroup, or null. */
  ContainerCgroup cgroup() {
    return cgroup;
  }

  void cgroup(ContainerCgroup cg) {
    this.cgroup = cg;
  }

  /**
   * The tracking cgroup (levels without a PID namespace; an exec shares its container's), or null.
   */
  ContainerCgroup tracking() {
    return tracking;
  }

  void tracking(ContainerCgroup t) {
    this.tracking = t;
  }

  /**
   * Whether a cgroup of its would not go on removal (its killed processes had not exited in time):
   * its dir is then kept, by which the next start's sweep knows the cgroup for this state dir's.
   */
  boolean cgroupLeft() {
    return cgroupLeft;
  }

  void cgroupLeft(boolean left) {
    this.cgroupLeft = left;
  }

  /** What pumps its output and reports its exit, or null before it started. */
  Waiter waiter() {
    return waiter;
  }

  void waiter(Waiter w) {
    this.waiter = w;
  }

  /** The container's root as the host sees it (for exec), or null at level 00. */
  String rootfs() {
    return rootfs;
  }

  void rootfs(String path) {
    this.rootfs = path;
  }

  @Override
  public Optional<Path> rootDir() {
    String r = rootfs;
    return r == null ? Optional.empty() : Optional.of(Path.of(r));
  }

  @Override
  public Optional<Path> lowerDir() {
    String l = lower;
    return l == null ? Optional.empty() : Optional.of(Path.of(l));
  }

  @Override
  public Optional<Path> workDir() {
    return features.contains(Feature.OVERLAY) ? Optional.of(dirs.work()) : Optional.empty();
  }

  void lower(String path) {
    this.lower = path;
  }

  InitProcess process() {
    return process;
  }

  void process(InitProcess p) {
    this.process = p;
  }

  void ptyMaster(int fd) {
    this.ptyMaster = fd;
  }

  int ptyMaster() {
    return ptyMaster;
  }

  void running(long nanos) {
    this.execNanos = nanos;
    this.state = State.RUNNING;
  }

  long execNanos() {
    return execNanos;
  }

  void exited(ExitStatus status) {
    this.exit = status;
    this.state = State.EXITED;
  }

  void removed() {
    this.state = State.REMOVED;
    stdinWriter.shutdownNow();
  }

  /** The signal the runtime sent last, to tell "killed by N" from "exited 128+N". */
  Integer sentSignal() {
    return sentSignal;
  }

  @Override
  public long hostPid() {
    InitProcess p = process;
    return p == null ? -1 : p.commandPid();
  }

  @Override
  public State state() {
    return state;
  }

  @Override
  public List<StepEntry> steps() {
    return log.entries();
  }

  @Override
  public Optional<ExitStatus> exitStatus() {
    return Optional.ofNullable(exit);
  }

  @Override
  public boolean writeStdin(byte[] data) {
    long len = data.length;
    if (stdinQueued.addAndGet(len) > STDIN_QUEUE_BYTES) {
      stdinQueued.addAndGet(-len);
      return false;
    }
    byte[] copy = data.clone();
    try {
      stdinWriter.execute(
          () -> {
            try {
              int fd = ptyMaster;
              if (fd >= 0) {
                writeFully(fd, copy);
              } else if (process != null) {
                process.writeStdin(copy);
              }
            } catch (SyscallException e) {
              // The container closed its stdin or ended: input after that has nowhere to go.
            } finally {
              stdinQueued.addAndGet(-len);
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // Removed meanwhile: the bytes have nowhere to go, as after its end.
      stdinQueued.addAndGet(-len);
    }
    return true;
  }

  private void writeFully(int fd, byte[] data) throws SyscallException {
    int off = 0;
    while (off < data.length) {
      byte[] rest = off == 0 ? data : java.util.Arrays.copyOfRange(data, off, data.length);
      off += sys.write(fd, rest, rest.length);
    }
  }

  @Override
  public void closeStdin() {
    stdinWriter.execute(
        () -> {
          if (ptyMaster < 0 && process != null) {
            process.closeStdin();
          }
        });
  }

  @Override
  public void resize(int cols, int rows) {
    int fd = ptyMaster;
    if (fd >= 0 && cols > 0 && rows > 0) {
      try {
        sys.setWindowSize(fd, cols, rows);
      } catch (SyscallException e) {
        // The pty is gone with the container; a late resize is harmless.
      }
    }
  }

  @Override
  public void signal(int signo) {
    InitProcess p = process;
    if (p == null || !p.isAlive()) {
      return;
    }
    sentSignal = signo;
    try {
      sys.kill(p.commandPid(), signo);
    } catch (SyscallException e) {
      // ESRCH: it ended meanwhile.
    }
  }
}

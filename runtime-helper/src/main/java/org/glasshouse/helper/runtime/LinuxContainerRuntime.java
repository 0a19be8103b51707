package org.glasshouse.helper.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.glasshouse.helper.cgroups.CgroupDriver;
import org.glasshouse.helper.cgroups.ContainerCgroup;
import org.glasshouse.helper.linux.Syscalls;
import org.glasshouse.helper.plan.InitPlan;
import org.glasshouse.helper.plan.StepLog;
import org.glasshouse.helper.plan.StepLog.StepException;
import org.glasshouse.helper.runtime.images.ImageStore;
import org.glasshouse.helper.runtime.init.InitOp;
import org.glasshouse.helper.runtime.init.OpRecorder;
import org.glasshouse.helper.runtime.net.BridgeNetwork;
import org.glasshouse.helper.runtime.rootfs.ContainerDirs;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.Limits;
import org.glasshouse.protocol.RunSpec;
import org.glasshouse.protocol.StepEntry;

/**
 * The container runtime on the real kernel. A start is an ordered list of steps: helper side
 * (container dir, rootfs, cgroups, pty, namespaces on a throwaway thread, spawn of the init stage)
 * and init side ({@link org.glasshouse.helper.runtime.init.InitStage}, in the new namespaces),
 * joined by the init channel. Every step registers its undo; a failure unwinds them.
 */
public final class LinuxContainerRuntime implements ContainerRuntime {

  private final RuntimeConfig config;
  private final Syscalls sys;
  private final InitServer initServer;
  private final Map<String, LinuxContainer> containers = new ConcurrentHashMap<>();
  private final ImageStore images;
  private final RootfsFactory rootfs;
  private final CgroupFactory cgroups;
  private final Janitor.Report recovery;
  private final InitPool pool;
  private final StateDirClaim claim;
  private final BridgeNetwork network;
  private final InitLauncher initLauncher;
  private final InitLauncher nativeLauncher;

  /** The host's {@code /proc} (a fixture in tests): the pool's priorities and free memory. */
  private final Path proc;

  /** The helper's log: what goes wrong where no client waits for an answer (shutdown). */
  private final Consumer<String> log;

  /** Starts (runs and execs) under way at once: two per processor, at least two. */
  private final java.util.concurrent.Semaphore launches =
      new java.util.concurrent.Semaphore(
          Math.max(2, 2 * Runtime.getRuntime().availableProcessors()), true);

  /** The longest any init stage took from spawn to connect, in ns: the timeout learns from it. */
  private final AtomicLong slowestConnect = new AtomicLong();

  /** A runtime on the real kernel with the default rootfs and cgroup machinery. */
  public LinuxContainerRuntime(RuntimeConfig config) throws IOException {
    this(config, RuntimeEnvironment.host());
  }

  /** The same, logging what goes wrong outside a request to {@code log}. */
  public LinuxContainerRuntime(RuntimeConfig config, Consumer<String> log) throws IOException {
    this(config, RuntimeEnvironment.host().withLog(log));
  }

  /**
   * A runtime that takes everything of the host from {@code env}: on the real machine {@link
   * RuntimeEnvironment#host()}, in a unit test fakes for syscalls, cgroups, rootfs and the init.
   */
  public LinuxContainerRuntime(RuntimeConfig config, RuntimeEnvironment env) throws IOException {
    this.config = config;
    this.sys = env.sys();
    this.log = env.log();
    this.initLauncher = env.init();
    this.nativeLauncher = env.nativeInit();
    this.proc = env.proc();
    Path state = config.stateDir();
    Files.createDirectories(state);
    Path run = state.resolve("run");
    Files.createDirectories(run);
    // The init socket's directory is 0700: only root can connect, and only with a live token.
    Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwx------"));
    Files.createDirectories(state.resolve("containers"));
    // The cgroup layout is decided once, here, and everyone asks this driver.
    CgroupDriver driver = env.cgroups(config);
    this.claim = StateDirClaim.take(state, driver);
    env.claimed(claim);
    this.images = new ImageStore(config.imagesDir(), state);
    this.rootfs = env.rootfs(images);
    this.cgroups = new CgroupFactory(driver);
    this.network = new BridgeNetwork(config.network(), env.netlink(), sys);
    // Before anything new is made: remove what a helper killed with -9 left behind.
    List<String> killed = PidRecord.killRecorded(state, env.proc(), sys);
    Janitor.Report swept =
        new Janitor(state, driver, sys, env.mountinfo(), env.proc()).network(network).sweep();
    List<String> done = new ArrayList<>(killed);
    done.addAll(swept.done());
    this.recovery = new Janitor.Report(done, swept.failures());
    this.initServer = new InitServer(run.resolve("init.sock"));
    this.pool = new InitPool(config.warmPool(), this::spawnWarm, log);
  }

  /** What the start-up sweep removed of a dead helper's containers, and what it could not. */
  public Janitor.Report recovery() {
    return recovery;
  }

  /** The extracted rootfs of an image (extracting it if needed). */
  public Path imageRootfs(String image) throws IOException {
    return images.rootfs(image);
  }

  @Override
  public String cgroupMode() {
    return cgroups.driver().mode();
  }

  /** The bridge network of containers that ask for {@code "network":"bridge"}. */
  public BridgeNetwork network() {
    return network;
  }

  /** The cgroup driver (inspection reads containers' cgroups through it). */
  public CgroupDriver cgroupDriver() {
    return cgroups.driver();
  }

  /** The features a spec asks for: its explicit set, else every feature up to its level. */
  static Set<Feature> features(RunSpec spec) {
    if (spec.features() != null) {
      return spec.features().isEmpty()
          ? EnumSet.noneOf(Feature.class)
          : EnumSet.copyOf(spec.features());
    }
    return Feature.upTo(spec.level() == null ? 0 : spec.level());
  }

  /** The CLONE_NEW* flags the helper unshares on the spawning thread ({@link Namespace}). */
  static int namespaceFlags(Set<Feature> f) {
    return Namespace.spawnFlags(f);
  }

  @Override
  public Container start(String id, RunSpec spec, ContainerListener listener)
      throws StartFailedException {
    if (spec.argv() == null || spec.argv().isEmpty()) {
      throw new StartFailedException("the command (argv) is empty", null, List.of(), null);
    }
    if (containers.containsKey(id)) {
      throw new StartFailedException("container " + id + " exists already", null, List.of(), null);
    }
    Set<Feature> features = features(spec);
    if (spec.bridged() && !features.contains(Feature.NET_NS)) {
      throw new StartFailedException(
          "network \"bridge\" needs the net-ns feature (level 07 or later)", null, List.of(), null);
    }
    StepLog log = new StepLog(e -> listener.step(id, e));
    ContainerDirs dirs;
    try {
      dirs = ContainerDirs.of(config.stateDir(), id);
    } catch (IOException e) {
      throw new StartFailedException(e.getMessage(), null, List.of(), e);
    }
    LinuxContainer c = new LinuxContainer(id, spec, features, log, dirs, sys);
    containers.put(id, c);
    launchOrUndo(c, () -> launch(c, listener));
    return c;
  }

  /** How a container is brought up: its steps, up to the exec of its command. */
  private interface Launch {
    void run() throws StepException, InitSession.InitFailed, IOException;
  }

  /**
   * Runs the launch; when it fails, the container is undone and the failure becomes the {@link
   * StartFailedException} naming the failing step, whichever of start and exec it was.
   */
  private void launchOrUndo(LinuxContainer c, Launch launch) throws StartFailedException {
    try {
      // A few starts at a time: each spawns an init JVM, and twenty at once on a small, busy
      // machine all miss the init's deadline where, queued, every one of them makes it.
      launches.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      containers.remove(c.id());
      c.removed();
      throw new StartFailedException("interrupted while waiting to start", null, List.of(), e);
    }
    try {
      launch.run();
    } catch (StepException e) {
      throw failed(c, e.getMessage(), e.entry(), e);
    } catch (InitSession.InitFailed e) {
      String oom = oomBeforeExec(c);
      if (oom != null) {
        throw failed(c, oom, null, e);
      }
      throw failed(c, e.getMessage(), e.step(), e);
    } catch (IOException | RuntimeException e) {
      throw failed(c, e.getMessage(), null, e);
    } finally {
      launches.release();
    }
  }

  /**
   * The clear message when the init died of an OOM kill in the container's memory cgroup before
   * exec (a limit too small for the runtime itself), else null.
   */
  private static String oomBeforeExec(LinuxContainer c) {
    InitProcess p = c.process();
    ContainerCgroup cg = c.cgroup();
    if (p == null || cg == null || p.isAlive()) {
      return null;
    }
    long ooms;
    try {
      ooms = cg.oomKills();
    } catch (IOException e) {
      return null;
    }
    Limits l = c.spec().limits();
    return InitSession.oomBeforeExec(
        p.onExit().getNow(0), ooms, l == null ? null : l.memoryBytes());
  }

  private StartFailedException failed(
      LinuxContainer c, String message, StepEntry step, Exception cause) {
    killAndWait(c);
    stopOutput(c);
    Exception undo = c.undo().unwind();
    if (undo != null) {
      cause.addSuppressed(undo);
    }
    containers.remove(c.id());
    c.removed();
    if (c.process() != null) {
      c.process().closeStdin();
    }
    String text =
        step == null
            ? message
            : step.call()
                + " failed"
                + (step.errno() == null ? "" : " with " + step.errno())
                + ": "
                + (step.explanation() != null ? step.explanation() : step.message());
    return new StartFailedException(text, step, c.log().entries(), cause);
  }

  private void launch(LinuxContainer c, ContainerListener listener)
      throws StepException, InitSession.InitFailed, IOException {
    StepLog log = c.log();
    Set<Feature> f = c.features();
    Path dir = c.dir();
    log.run(
        "container",
        "helper",
        "mkdir",
        "\"" + dir + "\", 0700",
        "the container's directory must not exist yet",
        () -> {
          ContainerDirs.create(config.stateDir(), c.id());
          return null;
        });
    c.undo().push("delete " + dir, () -> deleteDir(c));
    RootfsFactory.Layout layout = rootfs.prepare(c, c.undo());
    c.rootfs(layout == null ? null : layout.rootfs());
    c.lower(layout == null ? null : layout.lower());
    ContainerCgroup cg = cgroups.create(c);
    if (cg != null) {
      c.cgroup(cg);
      c.undo().push("remove the cgroup", () -> destroy(c, cg));
    }
    ContainerCgroup tracking = cgroups.track(c, cg);
    if (tracking != null) {
      c.tracking(tracking);
      // Unwound before the cgroup and the rootfs: every process the container started is dead
      // before anything it could still use goes.
      c.undo()
          .push(
              "kill every process of the container, remove its tracking cgroup",
              () -> destroy(c, tracking));
    }
    Pty pty = c.spec().tty() ? Pty.open(sys, log, c.spec()) : null;
    if (pty != null) {
      c.ptyMaster(pty.master());
      c.undo().push("close the pty", () -> closePty(c, pty.master()));
    }
    InitPlan plan = Plans.plan(c, layout, pty == null ? null : pty.slave(), sys);
    runInit(c, listener, plan, pty, namespaceFlags(f), null, cg);
  }

  /** Spawns the init stage, talks it through its plan and starts watching the command. */
  private void runInit(
      LinuxContainer c,
      ContainerListener listener,
      InitPlan plan,
      Pty pty,
      int unshareFlags,
      InitSpawner.ThreadSetup setup,
      ContainerCgroup cg)
      throws StepException, InitSession.InitFailed {
    StepLog log = c.log();
    // The native init runs a container's first start: spawned per start in a few milliseconds, it
    // needs no pool. An exec's init (joining a running container) is still the JVM's.
    List<InitOp> ops =
        config.nativeInit() != null && !plan.execMode() ? OpRecorder.record(plan) : null;
    InitPool.Warm warm = setup == null && ops == null ? pool.take(unshareFlags) : null;
    CompletableFuture<InitServer.Connection> connecting =
        warm != null ? warm.connecting() : new CompletableFuture<>();
    String token = warm != null ? warm.token() : initServer.expect(connecting);
    try {
      InitProcess init;
      if (warm != null) {
        // Its namespaces and JVM were made ahead of time: show those steps, marked as such.
        for (StepEntry e : warm.spawnSteps()) {
          log.append(e.toBuilder().args("(warm pool) " + e.args()).build());
        }
        init = warm.process();
        if (warmedUp) {
          normalPriority(init.pid());
        }
      } else {
        timeConnect(connecting, System.nanoTime());
        InitSpawner.Command command = ops != null ? nativeCommand(token) : initCommand(token);
        init = InitSpawner.spawn(sys, log, unshareFlags, setup, command);
      }
      c.process(init);
      Waiter waiter = new Waiter(c, listener, sys);
      c.waiter(waiter);
      pumps(() -> waiter.pipes(init));
      InitSession.OnReady enterRoots =
          () -> {
            if (cg != null && plan.has(Feature.CGROUP_NS) && !plan.execMode()) {
              cg.enterRoots(init.pid(), log);
            }
          };
      InitSession.OnReady onReady =
          () -> {
            ContainerCgroup tracking = c.tracking();
            if (tracking != null) {
              // Before the exec: whatever the command forks from then on is born in it.
              tracking.addProcess(init.pid(), log);
            }
            if (cg != null) {
              cg.addProcess(init.pid(), log);
            }
            if (c.spec().bridged() && !plan.execMode()) {
              // Before "go": the command starts with its network up. Undone at its exit, or at
              // removal, whichever comes first.
              c.undo().push("unwire the network", () -> unwire(c));
              c.network(network.attach(c.id(), init.pid(), log));
            }
          };
      long spawned = 0;
      if (ops != null) {
        NativeInitSession.run(connecting, init, plan, ops, log, initTimeout(), enterRoots, onReady);
      } else {
        spawned = InitSession.run(connecting, init, plan, log, initTimeout(), enterRoots, onReady);
      }
      if (spawned > 0) {
        init.spawnedCommand(spawned);
        if (cg != null) {
          // The command was born in the container's cgroups; the init that waits for it leaves
          // them, or its threads would count against the container's pids limit.
          cg.leave(init.pid(), log);
        }
      }
      c.running(System.nanoTime());
      if (!c.isExec()) {
        try {
          PidRecord.write(c.dir(), init.pid());
        } catch (IOException e) {
          // Only a crash recovery aid: the container runs fine without it, but a helper killed
          // with -9 now leaves this one's processes to the sweep's cgroup and mount passes.
          this.log.accept(
              "container "
                  + c.id()
                  + ": no pid record (a crashed helper's successor cannot kill it by pid): "
                  + e.getMessage());
        }
      }
      listener.started(c.id(), init.commandPid());
      if (pty != null) {
        pumps(() -> waiter.pty(pty.master()));
      }
      waiter.start(this);
    } finally {
      initServer.forget(token);
      connecting.cancel(false);
      if (setup == null && ops == null) {
        pool.started(unshareFlags);
      }
    }
  }

  /** Starting an output pump, which needs an eventfd. */
  @FunctionalInterface
  private interface PumpStart {
    void run() throws org.glasshouse.helper.linux.SyscallException;
  }

  /** Starts pumps; an fd the kernel refused (EMFILE) fails the start like any other step. */
  private static void pumps(PumpStart start) {
    try {
      start.run();
    } catch (org.glasshouse.helper.linux.SyscallException e) {
      throw new IllegalStateException("cannot pump the container's output: " + e.getMessage(), e);
    }
  }

  /**
   * One init for the pool: spawned in {@code flags}' namespaces, its steps kept for later. It takes
   * one of the {@link #launches} until it has connected (or died): a refill is a JVM start like any
   * other, and refills for many namespace sets at once (a mix of levels) would otherwise crowd the
   * machine so that the inits of the starts themselves miss their deadline.
   */
  private InitPool.Warm spawnWarm(int flags) throws StepException, InterruptedException {
    launches.acquire();
    InitPool.Warm w;
    try {
      List<StepEntry> steps = new java.util.concurrent.CopyOnWriteArrayList<>();
      StepLog log = new StepLog(steps::add);
      CompletableFuture<InitServer.Connection> connecting = new CompletableFuture<>();
      String token = initServer.expect(connecting);
      timeConnect(connecting, System.nanoTime());
      InitProcess p =
          InitSpawner.spawn(
              sys, log, flags, warmedUp ? () -> lowPriority(sys) : null, initCommand(token));
      w = new InitPool.Warm(p, connecting, token, log.entries());
    } catch (StepException | RuntimeException e) {
      launches.release();
      throw e;
    }
    CompletableFuture.anyOf(w.connecting(), w.process().onExit())
        .whenComplete((x, e) -> launches.release());
    return w;
  }

  /** A pooled init's nice value: a refill gives way to the starts under way (and to the user). */
  static final int POOL_NICE = 10;

  /** The spawning thread's nice value for a pooled init, which inherits it. */
  private static void lowPriority(Syscalls sys) {
    try {
      sys.setpriority(0, POOL_NICE);
    } catch (org.glasshouse.helper.linux.SyscallException e) {
      // Only a scheduling preference: the init is spawned at the normal priority.
    }
  }

  /**
   * Gives every thread of a taken pooled init the normal priority back (its command inherits the
   * main thread's). A thread that ended meanwhile is skipped.
   */
  private void normalPriority(long pid) {
    try (java.nio.file.DirectoryStream<Path> tasks =
        Files.newDirectoryStream(proc.resolve(Long.toString(pid)).resolve("task"))) {
      for (Path t : tasks) {
        try {
          sys.setpriority(Integer.parseInt(t.getFileName().toString()), 0);
        } catch (org.glasshouse.helper.linux.SyscallException | NumberFormatException e) {
          // Gone meanwhile.
        }
      }
    } catch (IOException e) {
      // The init is gone: the start reports that.
    }
  }

  /**
   * How long an init stage may take to connect and to get to execve, and why that long: the
   * configured or sized timeout, raised by the slowest connect seen so far ({@link
   * InitTimeout#atLeastFor}).
   */
  public InitTimeout initTimeout() {
    return config.initTimeout().atLeastFor(Duration.ofNanos(slowestConnect.get()));
  }

  /** Counts {@code connecting}'s time from {@code spawnedAt} (System.nanoTime) once it connects. */
  private void timeConnect(CompletableFuture<InitServer.Connection> connecting, long spawnedAt) {
    connecting.thenRun(
        () -> slowestConnect.accumulateAndGet(System.nanoTime() - spawnedAt, Math::max));
  }

  /** How many init stages the warm pool keeps per namespace set (0: no pool). */
  public int warmPoolSize() {
    return config.warmPool();
  }

  /** Whether a warm init stage waits, connected, for containers with {@code features}. */
  public boolean warmPoolReady(Set<Feature> features) {
    return pool.ready(namespaceFlags(features));
  }

  /** The pids of init stages waiting in the warm pool (not containers). */
  public List<Long> pooledPids() {
    return pool.pids();
  }

  /**
   * Prepares what makes later starts fast, in the background: the init's class-data archive ({@link
   * InitArchive}; built once per set of jars and JVM), then one pooled init for the namespaces of
   * every level, so that the first start of any level finds one waiting. The pools of all levels
   * are warmed only when the machine has the memory for them ({@link #PREWARM_ALL_BYTES} available;
   * an idle init holds tens of MB); else only level {@link Feature#MAX_LEVEL}'s. From then on
   * pooled inits are spawned at nice {@link #POOL_NICE} (a taken one gets the normal priority back)
   * and refilled only once the start that took one has finished ({@link InitPool#refillLate}).
   *
   * <p>The helper calls this once it listens when started with {@code --warm-up} (off by default:
   * on a machine at load 50–70 the full suite had init connect timeouts with it, suspected from a
   * taken pooled init that had got no CPU at nice 10, and from each test helper's six inits and
   * training run); tests that start a runtime of their own do not.
   */
  public void warmUp() {
    warmedUp = true;
    pool.refillLate();
    List<Integer> sets = new ArrayList<>();
    boolean all = memAvailable() >= PREWARM_ALL_BYTES;
    for (int level = Feature.MAX_LEVEL; level >= 0; level--) {
      int flags = namespaceFlags(Feature.upTo(level));
      if (!sets.contains(flags) && (all || sets.isEmpty())) {
        sets.add(flags);
      }
    }
    pool.prewarm(
        () -> {
          // The pool's own thread: what it spawns (the training run, refills) inherits this.
          lowPriority(sys);
          archiveOptions =
              InitArchive.options(
                  config,
                  config.stateDir().resolve("cds"),
                  InitArchive.feature(config.javaCommand()));
        },
        sets);
  }

  /** Available memory above which the pools of every level are warmed at the helper's start. */
  static final long PREWARM_ALL_BYTES = 2L << 30;

  /** The kernel's MemAvailable, in bytes (0 when unknown). */
  private long memAvailable() {
    try {
      for (String line : Files.readAllLines(proc.resolve("meminfo"))) {
        if (line.startsWith("MemAvailable:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) << 10;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // Unknown: warm the highest level's pool only.
    }
    return 0;
  }

  /** Whether {@link #warmUp} was called: pooled inits at nice {@link #POOL_NICE}. */
  private volatile boolean warmedUp;

  /** The init JVM's class-data archive options once {@link #warmUp} has built it; else none. */
  private volatile List<String> archiveOptions = List.of();

  /** The native init's command: the executable, with only the channel's coordinates. */
  private InitSpawner.Command nativeCommand(String token) {
    return nativeLauncher.command(config, initServer.socket(), token);
  }

  private InitSpawner.Command initCommand(String token) {
    // With --warm-up the init JVM also maps the class-data archive warmUp() built.
    RuntimeConfig c =
        archiveOptions.isEmpty() ? config : config.withExtraJvmOptions(archiveOptions);
    return initLauncher.command(c, initServer.socket(), token);
  }

  /**
   * Closes a pty master once its pump has stopped: a pump still reading would, after the close,
   * read whatever file reuses the fd number. The pump is stopped first (it may be waiting for an
   * orphan that holds the pty's slave, or for a slow client); one that does not end is left its fd.
   */
  private void closePty(LinuxContainer c, int master) throws Exception {
    Waiter w = c.waiter();
    if (w == null || w.stopPumps()) {
      sys.close(master);
    } else {
      throw new IllegalStateException("the output pump of " + c.id() + " did not stop");
    }
  }

  /**
   * Stops a container's output pumps (its output is no longer wanted: it is being removed or its
   * start failed), so their pipe ends are closed now even when a background process holds the other
   * end, or a slow client made the pump wait.
   */
  private static void stopOutput(LinuxContainer c) {
    Waiter w = c.waiter();
    if (w != null) {
      try {
        w.stopPumps();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Removes one of a container's cgroups. One that would not go (its killed processes had not
   * exited within the budget, FsContainerCgroup#DESTROY_BUDGET_NANOS) marks the container so that
   * its dir is kept: the next start's sweep removes a cgroup only for a container dir of its state
   * dir ({@link Janitor}), and without the dir nobody would ever remove it (runc, likewise, keeps a
   * container's state when its cgroup would not go).
   */
  private static void destroy(LinuxContainer c, ContainerCgroup cg) throws java.io.IOException {
    try {
      cg.destroy();
    } catch (java.io.IOException e) {
      c.cgroupLeft(true);
      throw e;
    }
  }

  /** Deletes a container's dir, unless a cgroup of its was left (see {@link #destroy}). */
  private void deleteDir(LinuxContainer c) throws java.io.IOException {
    if (c.cgroupLeft()) {
      log.accept(
          "kept "
              + c.dir()
              + ": a cgroup of container "
              + c.id()
              + " would not go; the next start's sweep (or glasshouse helper --sweep) removes both");
      return;
    }
    c.dirs().delete();
  }

  private static void killAndWait(LinuxContainer c) {
    InitProcess p = c.process();
    if (p != null && p.isAlive()) {
      p.destroyForcibly();
      p.onExit().handle((s, e) -> s).join();
    }
  }

  /**
   * Takes a container's network away (its {@code ip netns} link, its veth pair; the bridge with the
   * last one). Called when it exits and again, as an undo, when it is removed: the second is a
   * no-op.
   */
  void unwire(LinuxContainer c) throws java.io.IOException {
    if (!c.isExec() && c.spec().bridged()) {
      c.network(null);
      network.detach(c.id(), c.log());
    }
  }

  /**
   * Called by the waiter when a container with {@code rm} has exited. The server may remove it at
   * the same moment (it does so on the exited event): whoever comes second finds it gone, which is
   * the goal, not an error.
   */
  void autoRemove(LinuxContainer c) {
    if (c.spec().rm() && containers.get(c.id()) == c) {
      try {
        remove(c.id(), true);
      } catch (NoSuchElementException e) {
        // Removed by the other one between the check and the find.
      }
    }
  }

  @Override
  public Container exec(String containerId, String execId, RunSpec spec, ContainerListener listener)
      throws StartFailedException {
    LinuxContainer parent =
        own(containerId)
            .orElseThrow(
                () ->
                    new StartFailedException("no container " + containerId, null, List.of(), null));
    InitProcess pp = parent.process();
    if (parent.isExec() || pp == null || !pp.isAlive()) {
      throw new StartFailedException(
          "container " + containerId + " is not running", null, List.of(), null);
    }
    if (spec.argv() == null || spec.argv().isEmpty()) {
      throw new StartFailedException("the command (argv) is empty", null, List.of(), null);
    }
    RunSpec ps = parent.spec();
    // The exec gets the container's isolation; only argv, env, workdir, tty and user are its own.
    RunSpec merged =
        RunSpec.builder()
            .image(ps.image())
            .argv(spec.argv())
            .env(spec.env())
            .workdir(spec.workdir())
            .tty(spec.tty())
            .cols(spec.cols())
            .rows(spec.rows())
            .level(ps.level())
            .features(ps.features())
            .user(spec.user() != null ? spec.user() : ps.user())
            .hostname(ps.hostname())
            .capAdd(ps.capAdd())
            .capDrop(ps.capDrop())
            .build();
    StepLog log = new StepLog(e -> listener.step(execId, e));
    LinuxContainer c = new LinuxContainer(execId, merged, log, parent, sys);
    if (containers.putIfAbsent(execId, c) != null) {
      throw new StartFailedException(
          "container " + execId + " exists already", null, List.of(), null);
    }
    launchOrUndo(c, () -> launchExec(c, parent, listener));
    return c;
  }

  private void launchExec(LinuxContainer c, LinuxContainer parent, ContainerListener listener)
      throws StepException, InitSession.InitFailed, IOException {
    StepLog log = c.log();
    ContainerCgroup cg = c.cgroup();
    Pty pty = c.spec().tty() ? Pty.open(sys, log, c.spec()) : null;
    if (pty != null) {
      c.ptyMaster(pty.master());
      c.undo().push("close the pty", () -> closePty(c, pty.master()));
    }
    InitPlan plan = Plans.execPlan(c, parent, pty == null ? null : pty.slave());
    ExecJoin join = new ExecJoin(sys, log, parent.hostPid(), c.features());
    runInit(c, listener, plan, pty, 0, join, cg);
  }

  @Override
  public List<Container> list() {
    return new ArrayList<>(containers.values());
  }

  @Override
  public Optional<Container> find(String idOrName) {
    return own(idOrName).map(c -> c);
  }

  /** The container with this id, else the one with this name. */
  private Optional<LinuxContainer> own(String idOrName) {
    LinuxContainer c = containers.get(idOrName);
    if (c != null) {
      return Optional.of(c);
    }
    return containers.values().stream().filter(x -> idOrName.equals(x.spec().name())).findFirst();
  }

  @Override
  public void remove(String idOrName, boolean force) {
    LinuxContainer c =
        own(idOrName).orElseThrow(() -> new NoSuchElementException("no container " + idOrName));
    if (c.state() == Container.State.RUNNING && !force) {
      throw new IllegalStateException(
          "container " + c.id() + " is running: stop it first or remove it with force");
    }
    if (!containers.remove(c.id(), c)) {
      return;
    }
    for (LinuxContainer x : List.copyOf(containers.values())) {
      if (x.parent() == c) {
        try {
          remove(x.id(), true);
        } catch (NoSuchElementException gone) {
          // The exec was removed meanwhile (on its exit): nothing left to do for it, and this
          // container's own undo below must still run.
        }
      }
    }
    c.signal(9);
    killAndWait(c);
    stopOutput(c);
    Exception e = c.undo().unwind();
    c.removed();
    if (c.process() != null) {
      c.process().closeStdin();
    }
    if (e != null) {
      throw new IllegalStateException(
          "removing container " + c.id() + " left something behind: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    pool.close();
    for (String id : List.copyOf(containers.keySet())) {
      try {
        remove(id, true);
      } catch (NoSuchElementException e) {
        // Removed meanwhile (an exec with its container, an rm container by its waiter).
      } catch (RuntimeException e) {
        // Keep going: every other container must still be cleaned up.
        log.accept("shutdown: could not remove container " + id + ": " + e.getMessage());
      }
    }
    network.close().forEach(f -> log.accept("shutdown: " + f));
    try {
      initServer.close();
    } catch (IOException e) {
      // The socket file is in our state dir; the next start replaces it.
      log.accept("shutdown: could not close the init socket: " + e.getMessage());
    }
    // Removes the parent only when no other helper holds a share, then unlocks the state dir.
    claim.release();
  }
}

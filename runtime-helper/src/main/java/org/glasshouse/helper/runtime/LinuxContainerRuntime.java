package org.glasshouse.helper.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.glasshouse.helper.cgroups.CgroupDriver;
import org.glasshouse.helper.linux.Syscalls;
import org.glasshouse.helper.plan.StepLog;
import org.glasshouse.helper.runtime.images.ImageStore;
import org.glasshouse.helper.runtime.net.BridgeNetwork;
import org.glasshouse.helper.runtime.rootfs.ContainerDirs;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.RunSpec;

/**
 * The container runtime on the real kernel: its wiring, and the table of its containers. A start is
 * an ordered list of steps: helper side ({@link StartSteps}: container dir, rootfs, cgroups, pty;
 * {@link InitRunner}: namespaces on a throwaway thread, spawn of the init stage or a pooled one
 * from {@link WarmInits}) and init side ({@link org.glasshouse.helper.runtime.init.InitStage}, in
 * the new namespaces), joined by the init channel ({@link InitCommands}). Every step registers its
 * undo; a failure unwinds them ({@link LaunchGate}).
 */
public final class LinuxContainerRuntime implements ContainerRuntime {

  private final RuntimeConfig config;
  private final Syscalls sys;
  private final Map<String, LinuxContainer> containers = new ConcurrentHashMap<>();

  /** Containers being removed (out of {@link #containers}, their undo running), by id. */
  private final Map<String, CompletableFuture<Void>> removing = new ConcurrentHashMap<>();

  /** How long a remover waits for another's removal of the same container (a teardown's worth). */
  private static final long REMOVAL_WAIT_S = 60;

  private final ImageStore images;
  private final CgroupFactory cgroups;
  private final Janitor.Report recovery;
  private final StateDirClaim claim;
  private final BridgeNetwork network;
  private final LaunchGate gate = new LaunchGate(containers);
  private final InitCommands commands;
  private final WarmInits warm;
  private final StartSteps steps;
  private final ImageSpares spares;

  /** The helper's log: what goes wrong where no client waits for an answer (shutdown). */
  private final Consumer<String> log;

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
    this.spares = new ImageSpares(images, sys, log);
    RootfsFactory rootfs = env.rootfs(images);
    this.cgroups = new CgroupFactory(driver);
    this.network = new BridgeNetwork(config.network(), env.netlink(), sys);
    // Before anything new is made: remove what a helper killed with -9 left behind.
    List<String> killed = PidRecord.killRecorded(state, env.proc(), sys);
    Janitor.Report swept =
        new Janitor(state, driver, sys, env.mountinfo(), env.proc()).network(network).sweep();
    List<String> done = new ArrayList<>(killed);
    done.addAll(swept.done());
    this.recovery = new Janitor.Report(done, swept.failures());
    this.commands =
        new InitCommands(config, run.resolve("init.sock"), env.init(), env.nativeInit());
    this.warm = new WarmInits(config, sys, env.proc(), commands, gate, log);
    Waiter.AfterExit afterExit =
        new Waiter.AfterExit() {
          @Override
          public void unwire(LinuxContainer c) throws IOException {
            LinuxContainerRuntime.this.unwire(c);
          }

          @Override
          public void autoRemove(LinuxContainer c) {
            LinuxContainerRuntime.this.autoRemove(c);
          }
        };
    InitRunner init =
        new InitRunner(config, sys, commands, warm, network, env.proc(), afterExit, log);
    this.steps = new StartSteps(config, sys, rootfs, cgroups, init, log);
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
    gate.launchOrUndo(c, () -> steps.start(c, listener));
    return c;
  }

  /**
   * How long an init stage may take to connect and to get to execve, and why that long: the
   * configured or sized timeout, raised by the slowest connect seen so far ({@link
   * InitTimeout#atLeastFor}).
   */
  public InitTimeout initTimeout() {
    return commands.initTimeout();
  }

  /** How many init stages the warm pool keeps per namespace set (0: no pool). */
  public int warmPoolSize() {
    return warm.size();
  }

  /** Whether a warm init stage waits, connected, for containers with {@code features}. */
  public boolean warmPoolReady(Set<Feature> features) {
    return warm.ready(namespaceFlags(features));
  }

  /** The pids of init stages waiting in the warm pool (not containers). */
  public List<Long> pooledPids() {
    return warm.pids();
  }

  /**
   * Prepares what makes later starts fast, in the background ({@link WarmInits#warmUp}): the init's
   * class-data archive, then one pooled init per level. The helper calls this once it listens when
   * started with {@code --warm-up}; tests that start a runtime of their own do not.
   */
  public void warmUp() {
    warm.warmUp();
  }

  /**
   * Extracts every image and makes a spare copy of its rootfs in the background, at nice 10, and
   * makes a taken spare again ({@link ImageSpares}): the first start of a level waits for no
   * extraction, a start of levels 01-03 for no copy. The helper calls this once it listens; tests
   * that start a runtime of their own do not.
   */
  public void prepareImages() {
    spares.start();
  }

  /**
   * Plans a start of every level and records its op list, touching nothing ({@link DryRun}): the
   * first real start of a level then runs code the JVM has loaded and run before.
   *
   * @return how many levels were planned
   */
  public int dryRun() throws IOException {
    return DryRun.plans(config, sys);
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
    gate.launchOrUndo(c, () -> steps.exec(c, parent, listener));
    return c;
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
    LinuxContainer c = own(idOrName).orElse(null);
    if (c == null) {
      // Gone from the table, perhaps still being undone by another remover (an rm container's
      // waiter): gone means undone, so the caller's "removed" is the container's last event.
      awaitRemoval(removing.get(idOrName));
      throw new NoSuchElementException("no container " + idOrName);
    }
    if (c.state() == Container.State.RUNNING && !force) {
      throw new IllegalStateException(
          "container " + c.id() + " is running: stop it first or remove it with force");
    }
    // Claimed before it leaves the table: whoever misses it there finds the removal here.
    CompletableFuture<Void> undone = new CompletableFuture<>();
    CompletableFuture<Void> other = removing.putIfAbsent(c.id(), undone);
    if (other != null) {
      awaitRemoval(other);
      return;
    }
    try {
      if (containers.remove(c.id(), c)) {
        undo(c);
      }
    } finally {
      removing.remove(c.id(), undone);
      undone.complete(null);
    }
  }

  /**
   * Waits for another thread's removal of a container to finish (its undo run, its teardown's steps
   * logged); null: none under way. Bounded: a removal stuck past it is logged by its own thread.
   */
  private static void awaitRemoval(CompletableFuture<Void> removal) {
    if (removal == null) {
      return;
    }
    try {
      removal.get(REMOVAL_WAIT_S, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // The other remover reports its own failure; this caller only wanted to come after it.
    }
  }

  private void undo(LinuxContainer c) {
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
    Teardown.killAndWait(c);
    Teardown.stopOutput(c);
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
    spares.close();
    warm.close();
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
      commands.close();
    } catch (IOException e) {
      // The socket file is in our state dir; the next start replaces it.
      log.accept("shutdown: could not close the init socket: " + e.getMessage());
    }
    // Removes the parent only when no other helper holds a share, then unlocks the state dir.
    claim.release();
  }
}

package org.glasshouse.helper.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.glasshouse.helper.linux.Syscalls;
import org.glasshouse.helper.plan.StepLog;
import org.glasshouse.helper.plan.StepLog.StepException;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.StepEntry;

/**
 * The runtime's side of the warm pool ({@link InitPool}): spawns the pooled inits (at nice {@link
 * #POOL_NICE} once warmed up), gives a taken one the normal priority back, and warms up at the
 * helper's start (the init's class-data archive, then one pooled init per level).
 */
final class WarmInits implements AutoCloseable {

  /** A pooled init's nice value: a refill gives way to the starts under way (and to the user). */
  static final int POOL_NICE = 10;

  /** Available memory above which the pools of every level are warmed at the helper's start. */
  static final long PREWARM_ALL_BYTES = 2L << 30;

  private final RuntimeConfig config;
  private final Syscalls sys;

  /** The host's {@code /proc} (a fixture in tests): the pool's priorities and free memory. */
  private final Path proc;

  private final InitCommands commands;
  private final LaunchGate gate;
  private final InitPool pool;

  /** Whether {@link #warmUp} was called: pooled inits at nice {@link #POOL_NICE}. */
  private volatile boolean warmedUp;

  WarmInits(
      RuntimeConfig config,
      Syscalls sys,
      Path proc,
      InitCommands commands,
      LaunchGate gate,
      Consumer<String> log) {
    this.config = config;
    this.sys = sys;
    this.proc = proc;
    this.commands = commands;
    this.gate = gate;
    this.pool = new InitPool(config.warmPool(), this::spawnWarm, commands::forget, log);
  }

  /** A warm init for {@code flags}, or null ({@link InitPool#take}). */
  InitPool.Warm take(int flags) {
    return pool.take(flags);
  }

  /** A start of {@code flags} has finished ({@link InitPool#started}). */
  void started(int flags) {
    pool.started(flags);
  }

  /** Whether {@link #warmUp} was called (a taken init then needs its normal priority back). */
  boolean warmedUp() {
    return warmedUp;
  }

  /**
   * One init for the pool: spawned in {@code flags}' namespaces, its steps kept for later. It takes
   * one launch of the {@link LaunchGate} until it has connected (or died): a refill is a JVM start
   * like any other, and refills for many namespace sets at once (a mix of levels) would otherwise
   * crowd the machine so that the inits of the starts themselves miss their deadline.
   */
  private InitPool.Warm spawnWarm(int flags) throws StepException, InterruptedException {
    gate.acquire();
    InitPool.Warm w;
    String token = null;
    try {
      List<StepEntry> steps = new java.util.concurrent.CopyOnWriteArrayList<>();
      StepLog log = new StepLog(steps::add);
      CompletableFuture<InitServer.Connection> connecting = new CompletableFuture<>();
      token = commands.expect(connecting);
      commands.timeConnect(connecting, System.nanoTime());
      InitProcess p =
          InitSpawner.spawn(
              sys,
              log,
              flags,
              warmedUp ? () -> lowPriority(sys) : null,
              commands.initCommand(token));
      w = new InitPool.Warm(p, connecting, token, log.entries());
    } catch (StepException | RuntimeException e) {
      // No init will ever present this token: unforgotten, it would stay in the init socket's
      // table (and be accepted there) for the helper's whole life.
      if (token != null) {
        commands.forget(token);
      }
      gate.release();
      throw e;
    }
    CompletableFuture.anyOf(w.connecting(), w.process().onExit())
        .whenComplete((x, e) -> gate.release());
    return w;
  }

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
  void normalPriority(long pid) {
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

  /** How many init stages the warm pool keeps per namespace set (0: no pool). */
  int size() {
    return config.warmPool();
  }

  /** Whether a warm init stage waits, connected, for the namespaces {@code flags}. */
  boolean ready(int flags) {
    return pool.ready(flags);
  }

  /** The pids of init stages waiting in the warm pool (not containers). */
  List<Long> pids() {
    return pool.pids();
  }

  /** The pooled inits themselves ({@link InitPool#processes}). */
  List<InitProcess> pooled() {
    return pool.processes();
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
  void warmUp() {
    warmedUp = true;
    pool.refillLate();
    List<Integer> sets = new ArrayList<>();
    boolean all = memAvailable() >= PREWARM_ALL_BYTES;
    for (int level = Feature.MAX_LEVEL; level >= 0; level--) {
      int flags = Namespace.spawnFlags(Feature.upTo(level));
      if (!sets.contains(flags) && (all || sets.isEmpty())) {
        sets.add(flags);
      }
    }
    pool.prewarm(
        () -> {
          // The pool's own thread: what it spawns (the training run, refills) inherits this.
          lowPriority(sys);
          commands.archive(
              InitArchive.options(
                  config,
                  config.stateDir().resolve("cds"),
                  InitArchive.feature(config.javaCommand())));
        },
        sets);
  }

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

  /** Kills what is pooled and spawns nothing more. */
  @Override
  public void close() {
    pool.close();
  }
}

package org.glasshouse.helper.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.glasshouse.helper.cgroups.ContainerCgroup;
import org.glasshouse.helper.linux.Syscalls;
import org.glasshouse.helper.plan.InitPlan;
import org.glasshouse.helper.plan.StepLog;
import org.glasshouse.helper.plan.StepLog.StepException;
import org.glasshouse.helper.runtime.init.InitOp;
import org.glasshouse.helper.runtime.init.OpRecorder;
import org.glasshouse.helper.runtime.net.BridgeNetwork;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.StepEntry;

/**
 * Brings up a container's init stage once the helper's steps are done ({@link StartSteps}): takes a
 * pooled init ({@link WarmInits}) or spawns one ({@link InitSpawner}), talks it through its plan
 * ({@link InitSession}, or {@link NativeInitSession} for the native init), joins the container's
 * cgroups and attaches its network when the init is ready, and hands the running command to its
 * {@link Waiter}.
 */
final class InitRunner {

  private final RuntimeConfig config;
  private final Syscalls sys;
  private final InitCommands commands;
  private final WarmInits pool;
  private final BridgeNetwork network;

  /** The host's /proc ({@link RuntimeEnvironment#proc}): the pid record's start time. */
  private final Path proc;

  /** What the runtime does at an exit (unwiring, removal of an {@code rm} container). */
  private final Waiter.AfterExit afterExit;

  /** The helper's log: what goes wrong where no client waits for an answer. */
  private final Consumer<String> log;

  InitRunner(
      RuntimeConfig config,
      Syscalls sys,
      InitCommands commands,
      WarmInits pool,
      BridgeNetwork network,
      Path proc,
      Waiter.AfterExit afterExit,
      Consumer<String> log) {
    this.config = config;
    this.sys = sys;
    this.commands = commands;
    this.pool = pool;
    this.network = network;
    this.proc = proc;
    this.afterExit = afterExit;
    this.log = log;
  }

  /** Spawns the init stage, talks it through its plan and starts watching the command. */
  void run(
      LinuxContainer c,
      ContainerListener listener,
      InitPlan plan,
      Pty pty,
      int unshareFlags,
      InitSpawner.ThreadSetup setup,
      ContainerCgroup cg)
      throws StepException, InitSession.InitFailed {
    StepLog log = c.log();
    // The native init runs a container's first start and an exec into it alike: spawned in a few
    // milliseconds, it needs no pool.
    List<InitOp> ops = config.nativeInit() != null ? OpRecorder.record(plan) : null;
    InitPool.Warm warm = setup == null && ops == null ? pool.take(unshareFlags) : null;
    CompletableFuture<InitServer.Connection> connecting =
        warm != null ? warm.connecting() : new CompletableFuture<>();
    String token = warm != null ? warm.token() : commands.expect(connecting);
    try {
      InitProcess init;
      if (warm != null) {
        // Its namespaces and JVM were made ahead of time: show those steps, marked as such.
        for (StepEntry e : warm.spawnSteps()) {
          log.append(e.toBuilder().args("(warm pool) " + e.args()).build());
        }
        init = warm.process();
        if (pool.warmedUp()) {
          pool.normalPriority(init.pid());
        }
      } else {
        commands.timeConnect(connecting, System.nanoTime());
        InitSpawner.Command command =
            ops != null ? commands.nativeCommand(token) : commands.initCommand(token);
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
              c.undo().push("unwire the network", () -> afterExit.unwire(c));
              c.network(network.attach(c.id(), init.pid(), log));
            }
          };
      long spawned = 0;
      InitTimeout timeout = commands.initTimeout();
      if (ops != null) {
        spawned =
            NativeInitSession.run(connecting, init, plan, ops, log, timeout, enterRoots, onReady);
      } else {
        spawned = InitSession.run(connecting, init, plan, log, timeout, enterRoots, onReady);
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
          PidRecord.write(c.dir(), proc, init.pid());
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
      waiter.start(afterExit);
    } finally {
      commands.forget(token);
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
}

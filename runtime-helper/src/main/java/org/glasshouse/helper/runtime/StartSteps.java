package org.glasshouse.helper.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.Consumer;
import org.glasshouse.helper.cgroups.ContainerCgroup;
import org.glasshouse.helper.linux.Syscalls;
import org.glasshouse.helper.plan.InitPlan;
import org.glasshouse.helper.plan.StepLog;
import org.glasshouse.helper.plan.StepLog.StepException;
import org.glasshouse.helper.runtime.rootfs.ContainerDirs;
import org.glasshouse.protocol.Feature;

/**
 * The helper's steps of a start, in order: the container's directory, its rootfs, its cgroups (and,
 * without a PID namespace, its tracking cgroup), its pty, its init plan; of an exec: its pty, its
 * plan, the setns into the running container. Each step registers its undo; then {@link InitRunner}
 * brings up the init stage.
 */
final class StartSteps {

  private final RuntimeConfig config;
  private final Syscalls sys;
  private final RootfsFactory rootfs;
  private final CgroupFactory cgroups;
  private final InitRunner init;

  /** The helper's log: what goes wrong where no client waits for an answer. */
  private final Consumer<String> log;

  StartSteps(
      RuntimeConfig config,
      Syscalls sys,
      RootfsFactory rootfs,
      CgroupFactory cgroups,
      InitRunner init,
      Consumer<String> log) {
    this.config = config;
    this.sys = sys;
    this.rootfs = rootfs;
    this.cgroups = cgroups;
    this.init = init;
    this.log = log;
  }

  /** Brings up a new container, up to the exec of its command. */
  void start(LinuxContainer c, ContainerListener listener)
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
    init.run(c, listener, plan, pty, Namespace.spawnFlags(f), null, cg);
  }

  /** Brings up an exec in the running container {@code parent}, up to the exec of its command. */
  void exec(LinuxContainer c, LinuxContainer parent, ContainerListener listener)
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
    init.run(c, listener, plan, pty, 0, join, cg);
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
}

package org.glasshouse.helper.runtime;

import java.io.IOException;
import java.util.List;
import org.glasshouse.helper.linux.SyscallException;
import org.glasshouse.helper.linux.Syscalls;
import org.glasshouse.helper.runtime.StepLog.StepException;
import org.glasshouse.helper.runtime.cgroups.ContainerCgroup;

/**
 * Pumps a container's output to its listener and reports its exit once the output is delivered.
 *
 * <p>Exit status: from the raw wait status, so a death by signal N is never confused with {@code
 * exit(128+N)}; a SIGKILL is reported as an OOM kill when the container's memory cgroup counted
 * one.
 */
final class Waiter {

  /** After the process ended, how long its output may still take to drain. */
  static final long DRAIN_MILLIS = 2000;

  private final LinuxContainer c;
  private final ContainerListener listener;
  private final Syscalls sys;
  private final List<OutputPump> pumps = new java.util.concurrent.CopyOnWriteArrayList<>();

  Waiter(LinuxContainer c, ContainerListener listener, Syscalls sys) {
    this.c = c;
    this.listener = listener;
    this.sys = sys;
  }

  /** Starts pumping the init's stdout and stderr (they become the command's across execve). */
  void pipes(InitProcess p) {
    add(fdPump(p.stdoutFd(), "stdout"));
    add(fdPump(p.stderrFd(), "stderr"));
  }

  private OutputPump fdPump(int fd, String stream) {
    return new OutputPump(
        "glasshouse-" + stream + "-" + c.id(),
        buf -> {
          try {
            int n = sys.read(fd, buf);
            return n <= 0 ? -1 : n;
          } catch (SyscallException e) {
            return -1;
          }
        },
        listener,
        c.id(),
        stream);
  }

  /** Starts pumping the pty master (the command's terminal); EIO there means it is gone. */
  void pty(int master) {
    add(fdPump(master, "pty"));
  }

  private void add(OutputPump pump) {
    pumps.add(pump);
    pump.start();
  }

  /** Waits up to {@code millis} for every pump to end; true when they all did. */
  boolean awaitPumps(long millis) throws InterruptedException {
    boolean all = true;
    for (OutputPump pump : pumps) {
      all &= pump.await(millis);
    }
    return all;
  }

  /** Waits for the exit on its own thread, then reports it. */
  void start(LinuxContainerRuntime runtime) {
    Thread t = new Thread(() -> waitForExit(runtime), "glasshouse-wait-" + c.id());
    t.setDaemon(true);
    t.start();
  }

  private void waitForExit(LinuxContainerRuntime runtime) {
    InitProcess p = c.process();
    int raw;
    boolean drained = true;
    try {
      raw = p.waitFor();
      for (OutputPump pump : pumps) {
        // Without a PID namespace an orphan may keep the pipe open: bounded, not forever.
        drained &= pump.await(DRAIN_MILLIS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (drained) {
      p.closeOutputs();
    }
    long duration = System.nanoTime() - c.execNanos();
    long ooms = oomKills(c.cgroup);
    ExitStatus status = status(raw, ooms, duration);
    String result =
        status.signal() != null
            ? "killed by signal " + status.signal() + (status.oomKilled() ? " (OOM)" : "")
            : "exited " + status.code();
    try {
      c.log().run("wait", "helper", "waitpid", String.valueOf(p.pid()), null, () -> result);
    } catch (StepException e) {
      // Cannot fail: the action only returns the result.
    }
    try {
      // Before "exited" is reported: a client that sees it finds the wiring gone already.
      runtime.unwire(c);
    } catch (IOException e) {
      // Said in the step log; removal tries again, and the next helper's sweep after that.
    }
    c.exited(status);
    listener.exited(c.id(), status);
    runtime.autoRemove(c);
  }

  private static long oomKills(ContainerCgroup cg) {
    try {
      return cg == null ? 0 : cg.oomKills();
    } catch (IOException e) {
      return 0;
    }
  }

  /** Code or signal from the raw wait status; SIGKILL with an OOM count is an OOM kill. */
  static ExitStatus status(int raw, long oomKills, long durationNanos) {
    if (InitProcess.exited(raw)) {
      return new ExitStatus(InitProcess.exitCode(raw), null, false, durationNanos);
    }
    int sig = InitProcess.termSignal(raw);
    return new ExitStatus(null, sig, sig == 9 && oomKills > 0, durationNanos);
  }
}

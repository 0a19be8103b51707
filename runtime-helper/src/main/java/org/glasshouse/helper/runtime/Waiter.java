package org.glasshouse.helper.runtime;

import java.io.IOException;
import java.util.List;
import org.glasshouse.helper.cgroups.ContainerCgroup;
import org.glasshouse.helper.linux.SyscallException;
import org.glasshouse.helper.linux.Syscalls;
import org.glasshouse.helper.plan.StepLog.StepException;

/**
 * Pumps a container's output to its listener and reports its exit once the output is delivered.
 *
 * <p>Draining: after the process ended, the pumps read on until end of file, however long a slow
 * client that holds the container takes. Only a pump that has been waiting for data, silent, for
 * {@link #DRAIN_MILLIS} is stopped — a background process still holds the pipe or pty open (levels
 * without a PID namespace) — so the exit is reported and no helper fd outlives the output.
 *
 * <p>Exit status: from the raw wait status, so a death by signal N is never confused with {@code
 * exit(128+N)}; a SIGKILL is reported as an OOM kill when the container's memory cgroup counted
 * one.
 */
final class Waiter {

  /** After the process ended, how long a pipe or pty may stay open and silent. */
  static final long DRAIN_MILLIS = 2000;

  /** How long a stopped pump may take to end (it is woken at once; this is a safety bound). */
  static final long STOP_MILLIS = 5000;

  private final LinuxContainer c;
  private final ContainerListener listener;
  private final Syscalls sys;
  private final List<OutputPump> pumps = new java.util.concurrent.CopyOnWriteArrayList<>();

  Waiter(LinuxContainer c, ContainerListener listener, Syscalls sys) {
    this.c = c;
    this.listener = listener;
    this.sys = sys;
  }

  /**
   * Starts pumping the init's stdout and stderr (they become the command's across execve). The
   * pumps own the helper's ends of those pipes from here on and close them when they end.
   */
  void pipes(InitProcess p) throws SyscallException {
    OutputPump out;
    try {
      out = OutputPump.of(sys, p.stdoutFd(), true, listener, c.id(), "stdout");
    } catch (SyscallException e) {
      p.closeStderr();
      throw e;
    }
    add(out);
    add(OutputPump.of(sys, p.stderrFd(), true, listener, c.id(), "stderr"));
  }

  /** Starts pumping the pty master (the command's terminal); EIO there means it is gone. */
  void pty(int master) throws SyscallException {
    add(OutputPump.of(sys, master, false, listener, c.id(), "pty"));
  }

  private void add(OutputPump pump) {
    pumps.add(pump);
    pump.start();
  }

  /**
   * Stops every pump and waits for them to end (the container is being removed: what it writes from
   * here on is not wanted). True when they all ended, so their fds are closed and the pty master
   * may be.
   */
  boolean stopPumps() throws InterruptedException {
    for (OutputPump pump : pumps) {
      pump.stop();
    }
    boolean all = true;
    for (OutputPump pump : pumps) {
      all &= pump.await(STOP_MILLIS);
    }
    return all;
  }

  /**
   * What the runtime does for a container whose command has exited, around the waiter's report: two
   * calls, not the runtime itself, so the waiter (and the {@link InitRunner} that makes it) reach
   * nothing else of it, and a test can stand in for it ({@code WaiterTest}).
   */
  interface AfterExit {
    /**
     * Takes the container's network away; before "exited" is reported, so a client that sees it
     * finds the wiring gone already. Also pushed as an undo: the second call is a no-op.
     */
    void unwire(LinuxContainer c) throws IOException;

    /** After the report: removes a container started with {@code rm}, unless removed already. */
    void autoRemove(LinuxContainer c);
  }

  /** Waits for the exit on its own thread, then reports it. */
  void start(AfterExit after) {
    Thread t = new Thread(() -> waitForExit(after), "glasshouse-wait-" + c.id());
    t.setDaemon(true);
    t.start();
  }

  private void waitForExit(AfterExit after) {
    InitProcess p = c.process();
    int raw;
    try {
      raw = p.waitFor();
      drain(System.nanoTime());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    long duration = System.nanoTime() - c.execNanos();
    // The OOM count only tells a SIGKILL's cause: no cgroup file read between the exit and its
    // report otherwise (issue 16: 0.1-0.5 ms of a warm start, by phase timestamps).
    long ooms = killedBy(raw, 9) ? oomKills(c.cgroup()) : 0;
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
      after.unwire(c);
    } catch (IOException e) {
      // Said in the step log; removal tries again, and the next helper's sweep after that.
    }
    c.exited(status);
    listener.exited(c.id(), status);
    after.autoRemove(c);
  }

  /**
   * Lets the pumps read to end of file. A pump that keeps reading, or waits for a slow holder, is
   * waited for; once every pump still running has been silent for {@link #DRAIN_MILLIS} (a
   * background process holds its pipe or pty), they are stopped.
   */
  private void drain(long exitNanos) throws InterruptedException {
    long silentNanos = DRAIN_MILLIS * 1_000_000;
    while (true) {
      boolean allEnded = true;
      boolean allSilent = true;
      for (OutputPump pump : pumps) {
        if (!pump.ended()) {
          allEnded = false;
          allSilent &= pump.silentFor(silentNanos, exitNanos);
        }
      }
      if (allEnded) {
        return;
      }
      if (allSilent) {
        stopPumps();
        return;
      }
      for (OutputPump pump : pumps) {
        if (!pump.ended()) {
          pump.await(50);
          break;
        }
      }
    }
  }

  /** Whether the raw wait status says killed by signal {@code sig}. */
  static boolean killedBy(int raw, int sig) {
    return !InitProcess.exited(raw) && InitProcess.termSignal(raw) == sig;
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

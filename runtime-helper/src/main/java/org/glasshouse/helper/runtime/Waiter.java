package org.glasshouse.helper.runtime;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.glasshouse.helper.linux.SyscallException;
import org.glasshouse.helper.linux.Syscalls;
import org.glasshouse.helper.runtime.StepLog.StepException;
import org.glasshouse.helper.runtime.cgroups.ContainerCgroup;

/**
 * Pumps a container's output to its listener and reports its exit once the output is delivered.
 *
 * <p>Exit status: the JDK reports a death by signal N as 128+N, indistinguishable from {@code exit
 * 128+N}. The waiter calls it a signal when the runtime itself sent N, or when N is SIGKILL and the
 * container's memory cgroup counted an OOM kill; otherwise it reports the code as is.
 */
final class Waiter {

  /** After the process ended, how long its output may still take to drain. */
  static final long DRAIN_MILLIS = 2000;

  private final LinuxContainer c;
  private final ContainerListener listener;
  private final Syscalls sys;
  private final List<OutputPump> pumps = new ArrayList<>();

  Waiter(LinuxContainer c, ContainerListener listener, Syscalls sys) {
    this.c = c;
    this.listener = listener;
    this.sys = sys;
  }

  /** Starts pumping the init's stdout and stderr (they become the command's across execve). */
  void pipes(Process p) {
    add(OutputPump.of(p.getInputStream(), listener, c.id(), "stdout"));
    add(OutputPump.of(p.getErrorStream(), listener, c.id(), "stderr"));
  }

  /** Starts pumping the pty master (the command's terminal). */
  void pty(int master) {
    add(
        new OutputPump(
            "glasshouse-pty-" + c.id(),
            buf -> {
              try {
                int n = sys.read(master, buf);
                return n <= 0 ? -1 : n;
              } catch (SyscallException e) {
                return -1; // EIO: every slave fd is closed, the container is gone.
              }
            },
            listener,
            c.id(),
            "pty"));
  }

  private void add(OutputPump pump) {
    pumps.add(pump);
    pump.start();
  }

  /** Waits for the exit on its own thread, then reports it. */
  void start(LinuxContainerRuntime runtime) {
    Thread t = new Thread(() -> waitForExit(runtime), "glasshouse-wait-" + c.id());
    t.setDaemon(true);
    t.start();
  }

  private void waitForExit(LinuxContainerRuntime runtime) {
    Process p = c.process();
    int code;
    try {
      code = p.waitFor();
      for (OutputPump pump : pumps) {
        // Without a PID namespace an orphan may keep the pipe open: bounded, not forever.
        pump.await(DRAIN_MILLIS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    long duration = System.nanoTime() - c.execNanos();
    long ooms = oomKills(c.cgroup);
    ExitStatus status = status(code, c.sentSignal(), ooms, duration);
    String result =
        status.signal() != null
            ? "killed by signal " + status.signal() + (status.oomKilled() ? " (OOM)" : "")
            : "exited " + status.code();
    try {
      c.log().run("wait", "helper", "waitpid", String.valueOf(p.pid()), null, () -> result);
    } catch (StepException e) {
      // Cannot fail: the action only returns the result.
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

  /** Maps the JDK's exit value to code or signal (see the class comment for the ambiguity). */
  static ExitStatus status(int code, Integer sentSignal, long oomKills, long durationNanos) {
    if (code > 128 && code < 128 + 65) {
      int sig = code - 128;
      boolean oom = sig == 9 && oomKills > 0;
      if (oom || (sentSignal != null && sentSignal == sig)) {
        return new ExitStatus(null, sig, oom, durationNanos);
      }
    }
    return new ExitStatus(code, null, false, durationNanos);
  }
}

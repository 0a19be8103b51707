package org.glasshouse.helper.runtime;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.glasshouse.helper.plan.InitMessage;
import org.glasshouse.helper.plan.InitPlan;
import org.glasshouse.helper.plan.StepLog;
import org.glasshouse.helper.plan.StepLog.StepException;
import org.glasshouse.protocol.StepEntry;
import org.glasshouse.protocol.text.Bytes;

/**
 * The helper's conversation with one init stage: wait for it to connect, send the plan, append its
 * steps to the container's log, place it in its cgroups when it is ready, say go, and learn from
 * the channel closing at execve that the command runs.
 */
final class InitSession {

  /** The init stage failed; the failing step is the last entry it sent. */
  static final class InitFailed extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient StepEntry step;

    InitFailed(String message, StepEntry step) {
      super(message);
      this.step = step;
    }

    StepEntry step() {
      return step;
    }
  }

  /**
   * Helper-side work at a point of the conversation: once the plan is sent, before the init creates
   * its cgroup namespace (enter the hierarchy roots; only when {@link #awaitsRoots}) and once the
   * init reports ready (join cgroups).
   */
  @FunctionalInterface
  interface OnReady {
    void run() throws StepException;
  }

  private InitSession() {}

  /**
   * Runs the conversation to its end: returns once the command has been exec'd, or spawned.
   *
   * @return the spawned command's pid (an exec into a PID namespace: the init spawns the command
   *     and stays its parent), or 0 when the init became the command by execve
   * @throws InitFailed when the init reported a failure or died
   */
  static long run(
      CompletableFuture<InitServer.Connection> connecting,
      InitProcess init,
      InitPlan plan,
      StepLog log,
      InitTimeout timeout,
      OnReady enterRoots,
      OnReady onReady)
      throws InitFailed, StepException {
    InitServer.Connection conn = await(connecting, init, timeout);
    // A dead init closes its end (end of stream); a hung one must not block start forever:
    // closing the channel at the deadline ends receive(). True when the deadline passed, false
    // when the conversation ended first.
    CompletableFuture<Boolean> deadline = new CompletableFuture<>();
    deadline
        .completeOnTimeout(true, timeout.value().toMillis(), TimeUnit.MILLISECONDS)
        .thenRun(conn::close);
    StepEntry lastFailed = null;
    StepEntry pendingExec = null;
    long execAt = 0;
    long spawned = 0;
    try (conn) {
      conn.send(new InitMessage("plan", null, plan, null, null, null));
      StepException rootsFailed = null;
      if (awaitsRoots(plan)) {
        // While the init makes its root (tens of ms), not before: the first cgroup.procs write
        // waits for an RCU grace period. The init waits for "roots" only at its cgroup namespace.
        try {
          enterRoots.run();
          conn.send(InitMessage.of("roots"));
        } catch (IOException hungUp) {
          // The init hung up meanwhile (EPIPE): what it said before, a refused step most often,
          // is still in the channel and is read below; its end of stream then names the death.
        } catch (StepException e) {
          // Most often the init refused a step and exited meanwhile (the write then fails with
          // ESRCH): its own failure, already in the channel, is the one to report.
          if (!exitsSoon(init)) {
            throw e;
          }
          rootsFailed = e;
        }
      }
      while (true) {
        InitMessage m = conn.receive();
        if (m == null) {
          if (rootsFailed != null) {
            throw rootsFailed;
          }
          break;
        }
        switch (m.type()) {
          case "step" -> {
            StepEntry e = log.append(m.entry());
            if (!e.ok()) {
              lastFailed = e;
              pendingExec = null;
            }
          }
          case "ready" -> {
            onReady.run();
            conn.send(InitMessage.of("go"));
          }
          case "exec" -> {
            pendingExec = m.entry();
            execAt = System.nanoTime();
          }
          case "spawned" -> {
            if (m.pid() == null || m.pid() <= 0) {
              throw new InitFailed("the init reported a spawn without a pid", lastFailed);
            }
            spawned = m.pid();
          }
          case "failed" -> throw new InitFailed(m.message(), lastFailed);
          default -> throw new InitFailed("unexpected message from the init: " + m.type(), null);
        }
      }
    } catch (IOException e) {
      if (pendingExec == null && spawned == 0) {
        if (deadline.getNow(false)) {
          // The channel was closed by the deadline, not by the init: say which.
          throw new InitFailed(notFinished(timeout), lastFailed);
        }
        throw new InitFailed(describeDeath(init, e), lastFailed);
      }
    } finally {
      deadline.complete(false);
    }
    if (spawned != 0) {
      // The posix_spawn step came in as a step entry: nothing is pending.
      return spawned;
    }
    if (pendingExec == null) {
      throw new InitFailed(
          deadline.getNow(false) ? notFinished(timeout) : describeDeath(init, null), lastFailed);
    }
    // The channel was close-on-exec: its end is the kernel telling us execve succeeded.
    log.append(
        pendingExec.toBuilder()
            .ok(true)
            .result("0")
            .durationNanos(System.nanoTime() - execAt)
            .build());
    return 0;
  }

  /**
   * Whether the init waits for "roots" (the helper has moved it into each hierarchy's root cgroup)
   * before it creates its cgroup namespace.
   */
  static boolean awaitsRoots(InitPlan plan) {
    return plan.has(org.glasshouse.protocol.Feature.CGROUP_NS) && !plan.execMode();
  }

  static boolean exitsSoon(InitProcess init) {
    try {
      init.onExit().get(DEATH_GRACE_MILLIS, TimeUnit.MILLISECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException | TimeoutException e) {
      return false;
    }
  }

  static InitServer.Connection await(
      CompletableFuture<InitServer.Connection> connecting, InitProcess init, InitTimeout timeout)
      throws InitFailed {
    try {
      CompletableFuture.anyOf(connecting, init.onExit())
          .get(timeout.value().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InitFailed("interrupted while waiting for the init stage", null);
    } catch (ExecutionException | TimeoutException e) {
      throw new InitFailed(notConnected(timeout), null);
    }
    InitServer.Connection c = connecting.getNow(null);
    if (c == null) {
      throw new InitFailed(describeDeath(init, null), null);
    }
    return c;
  }

  /** The failure when an init did not connect in time: the timeout, its basis, how to set it. */
  static String notConnected(InitTimeout timeout) {
    return "the init stage did not connect within "
        + timeout
        + "; a slower machine needs more: glasshouse helper --init-timeout SECONDS or "
        + InitTimeout.ENV;
  }

  /** The failure when an init connected but did not get to execve in time. */
  static String notFinished(InitTimeout timeout) {
    return "the init stage connected but did not get to execve within "
        + timeout
        + "; a slower machine needs more: glasshouse helper --init-timeout SECONDS or "
        + InitTimeout.ENV;
  }

  static String describeDeath(InitProcess init, IOException e) {
    try {
      // The channel ends when the process dies; its reaper learns the status a moment later.
      init.onExit().get(DEATH_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException ignored) {
      // Still alive (or not reapable): it stopped talking, said below.
    }
    if (!init.isAlive()) {
      return describeStatus(init.onExit().getNow(0));
    }
    return "the init stage stopped talking before exec" + (e == null ? "" : ": " + e);
  }

  /** How long a silent init's exit status is waited for, to say how it ended. */
  static final long DEATH_GRACE_MILLIS = 2000;

  /** An init's death before exec, from its raw wait status. */
  static String describeStatus(int status) {
    return "the init stage "
        + (InitProcess.exited(status)
            ? "exited with status " + InitProcess.exitCode(status)
            : "was killed by signal " + InitProcess.termSignal(status))
        + " before exec";
  }

  /**
   * The start failure when the init died before exec in a memory cgroup that counted an OOM kill:
   * the limit is what the user can change, so it is named; else null (the generic death message).
   *
   * @param status the init's raw wait status
   * @param oomKills the container memory cgroup's OOM kill count
   * @param limitBytes the container's memory limit (null: none)
   */
  static String oomBeforeExec(int status, long oomKills, Long limitBytes) {
    if (InitProcess.exited(status) || InitProcess.termSignal(status) != 9 || oomKills <= 0) {
      return null;
    }
    String limit =
        limitBytes == null
            ? "the memory limit"
            : "the memory limit (" + Bytes.iec(limitBytes) + ")";
    return "the init stage was OOM-killed before exec: "
        + limit
        + " is smaller than what the runtime needs to start the command";
  }
}

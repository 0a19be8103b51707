package org.glasshouse.helper.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.glasshouse.helper.linux.Call;
import org.glasshouse.helper.linux.Syscalls;
import org.glasshouse.helper.plan.StepLog;
import org.glasshouse.helper.plan.StepLog.StepException;

/**
 * Starts the init stage inside new namespaces without ever running Java in a forked child: a
 * dedicated, throwaway thread unshare()s the namespaces (they are per thread; a new PID namespace
 * applies to the thread's future children), then spawns the init stage — the native {@code
 * glasshouse-init} or the init JVM — with posix_spawn (see {@link InitProcess} for why not
 * ProcessBuilder); it starts inside those namespaces. The thread then ends: a thread whose kernel
 * state changed never returns to a pool.
 */
final class InitSpawner {
  private InitSpawner() {}

  /**
   * What to spawn.
   *
   * @param argv the program (absolute path) and its arguments
   * @param env its whole environment
   * @param cwd its working directory
   */
  record Command(java.util.List<String> argv, java.util.Map<String, String> env, String cwd) {
    /** The environment as execve gets it, {@code NAME=value} each. */
    java.util.List<String> envp() {
      java.util.List<String> envp = new java.util.ArrayList<>();
      env.forEach((k, v) -> envp.add(k + "=" + v));
      return envp;
    }
  }

  /** Something a namespace-changing thread does before spawning (exec: setns into a container). */
  @FunctionalInterface
  interface ThreadSetup {
    void run() throws StepException;
  }

  /**
   * Spawns {@code pb} from a fresh thread after {@code setup}; logs the spawn as a helper step.
   *
   * @return the init process
   */
  static InitProcess spawn(
      Syscalls sys, StepLog log, int unshareFlags, ThreadSetup setup, Command cmd)
      throws StepException {
    CompletableFuture<InitProcess> result = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                if (unshareFlags != 0) {
                  log.run(
                      "namespaces",
                      "helper",
                      Call.unshare(unshareFlags),
                      "creating namespaces needs CAP_SYS_ADMIN",
                      () -> {
                        sys.unshare(unshareFlags);
                        return null;
                      });
                }
                if (setup != null) {
                  setup.run();
                }
                InitProcess[] p = new InitProcess[1];
                log.run(
                    "spawn",
                    "helper",
                    Call.posixSpawn(cmd.argv().get(0), cmd.argv(), cmd.envp()),
                    "the helper could not start the init stage's JVM",
                    () -> {
                      p[0] = InitProcess.spawn(sys, cmd.argv(), cmd.env(), cmd.cwd());
                      return p[0].pid();
                    });
                result.complete(p[0]);
              } catch (Throwable e) {
                result.completeExceptionally(e);
              }
            },
            "glasshouse-spawn");
    t.start();
    try {
      // Reaped from here: the spawning thread may not create threads after unshare(CLONE_NEWPID).
      return result.get().startReaper();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while spawning the init stage", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StepException se) {
        throw se;
      }
      throw new IllegalStateException(
          "spawning the init stage failed: " + e.getCause().getMessage(), e.getCause());
    }
  }
}

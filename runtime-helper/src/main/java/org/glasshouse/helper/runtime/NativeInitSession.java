package org.glasshouse.helper.runtime;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.glasshouse.helper.linux.Call;
import org.glasshouse.helper.plan.InitPlan;
import org.glasshouse.helper.plan.StepLog;
import org.glasshouse.helper.plan.StepLog.StepException;
import org.glasshouse.helper.runtime.InitSession.InitFailed;
import org.glasshouse.helper.runtime.init.InitOp;
import org.glasshouse.protocol.StepEntry;

/**
 * The helper's conversation with the native init ({@code glasshouse-init}, issue 16): the same
 * points as {@link InitSession}'s with an init JVM — connect with the token, roots, ready, cgroups,
 * go, the channel's end at execve — but the init gets the op list {@link
 * org.glasshouse.helper.runtime.init.OpRecorder} made of the plan, and answers one line per op,
 * which this class turns into the step entries the JVM init would have sent. An exec's init into a
 * PID namespace spawns the command instead of becoming it: it answers "spawned" with the command's
 * pid and closes the channel, as the JVM init does.
 */
final class NativeInitSession {

  private NativeInitSession() {}

  /**
   * Runs the conversation until the command has been exec'd, or spawned.
   *
   * @return the spawned command's pid (an exec into a PID namespace: the init spawns the command
   *     and stays its parent), or 0 when the init became the command by execve
   * @throws InitFailed when an op failed, the list was refused, or the init died
   */
  static long run(
      CompletableFuture<InitServer.Connection> connecting,
      InitProcess init,
      InitPlan plan,
      List<InitOp> ops,
      StepLog log,
      InitTimeout timeout,
      InitSession.OnReady enterRoots,
      InitSession.OnReady onReady)
      throws InitFailed, StepException {
    InitServer.Connection conn = InitSession.await(connecting, init, timeout);
    CompletableFuture<Boolean> deadline = new CompletableFuture<>();
    deadline
        .completeOnTimeout(true, timeout.value().toMillis(), TimeUnit.MILLISECONDS)
        .thenRun(conn::close);
    StepEntry lastFailed = null;
    String failure = null;
    StepEntry pendingExec = null;
    long execAt = 0;
    long spawned = 0;
    int next = 0;
    try (conn) {
      conn.sendText(InitOp.list(ops));
      StepException rootsFailed = null;
      if (InitSession.awaitsRoots(plan)) {
        // As with the JVM init: while the init makes the root, and an init that refused a step
        // meanwhile (ESRCH here, EPIPE on the channel) has its own failure in the channel.
        try {
          enterRoots.run();
          conn.sendText("roots\n");
        } catch (IOException hungUp) {
          // Read below.
        } catch (StepException e) {
          if (!InitSession.exitsSoon(init)) {
            throw e;
          }
          rootsFailed = e;
        }
      }
      for (String line = conn.receiveLine(); line != null; line = conn.receiveLine()) {
        if (line.startsWith("bad ")) {
          throw new InitFailed("the native init refused its op list: " + line.substring(4), null);
        }
        String[] w = line.split(" ", 5);
        int i = index(w[0], next, ops.size(), line);
        next = i + 1;
        InitOp op = ops.get(i);
        if (!fits(w.length > 1 ? w[1] : "", op)) {
          throw new InitFailed("the native init answered: " + line, lastFailed);
        }
        switch (w.length > 1 ? w[1] : "") {
          case "ok" -> {
            // The sync points (roots, go) answer too, but make no entry.
            if (op.logged()) {
              log.append(op.ok(number(w, 3, line)));
            }
          }
          case "tol" -> log.append(op.tolerated(number(w, 2, line)));
          case "skip" -> {}
          case "err" -> {
            String message = w.length > 4 ? unstr(w[4], line) : "";
            StepEntry failed = op.failed((int) number(w, 2, line), message, number(w, 3, line));
            if (pendingExec != null) {
              // execve failed: its entry names the path the executor found, as the JVM init's.
              failed = failed.toBuilder().args(pendingExec.args()).build();
            }
            lastFailed = log.append(failed);
            failure =
                lastFailed.call()
                    + "("
                    + lastFailed.args()
                    + ") = -1 "
                    + lastFailed.errno()
                    + " ("
                    + message
                    + ")";
          }
          case "refused" -> {
            lastFailed = log.append(op.refused());
            failure = lastFailed.message();
          }
          case "ready" -> {
            onReady.run();
            conn.sendText("go\n");
          }
          case "exec" -> {
            Call call = op.commandAt(unstr(w.length > 2 ? w[2] : "", line));
            pendingExec =
                StepEntry.builder()
                    .step(op.step())
                    .stage("init")
                    .call(call.name())
                    .args(call.args())
                    .ok(true)
                    .result("0")
                    .build();
            execAt = System.nanoTime();
            // A failed execve (or spawn) answers again, with its errno; a spawn also when it
            // worked.
            next = i;
          }
          case "spawned" -> {
            long pid = number(w, 2, line);
            if (pendingExec == null || !op.spawns() || pid <= 0) {
              throw new InitFailed("the native init answered: " + line, lastFailed);
            }
            // The posix_spawn step, with the command's pid as the host sees it, as the JVM init's.
            log.append(
                pendingExec.toBuilder()
                    .result(Long.toString(pid))
                    .durationNanos(number(w, 3, line))
                    .build());
            pendingExec = null;
            spawned = pid;
          }
          case "abort" ->
              // Not a refused list: the ops before this one ran, then a sync point got another
              // word from the channel than the one it waits for.
              throw new InitFailed(
                  "the native init stopped mid-run at op "
                      + i
                      + " ("
                      + op.name()
                      + "): "
                      + (w.length > 2 ? line.substring(w[0].length() + w[1].length() + 2) : ""),
                  lastFailed);
          default -> throw new InitFailed("the native init answered: " + line, lastFailed);
        }
      }
      if (failure == null && rootsFailed != null) {
        throw rootsFailed;
      }
    } catch (IOException e) {
      if (pendingExec == null && failure == null && spawned == 0) {
        if (deadline.getNow(false)) {
          throw new InitFailed(InitSession.notFinished(timeout), lastFailed);
        }
        throw new InitFailed(InitSession.describeDeath(init, e), lastFailed);
      }
    } finally {
      deadline.complete(false);
    }
    if (failure != null) {
      throw new InitFailed(failure, lastFailed);
    }
    if (spawned != 0) {
      return spawned;
    }
    if (pendingExec == null || ops.get(next).spawns()) {
      throw new InitFailed(
          deadline.getNow(false)
              ? InitSession.notFinished(timeout)
              : InitSession.describeDeath(init, null),
          lastFailed);
    }
    // The channel was close-on-exec: its end is the kernel telling us execve succeeded. (A failed
    // execve answers "err" after "exec", which the failure above reports.)
    log.append(pendingExec.toBuilder().durationNanos(System.nanoTime() - execAt).build());
    return 0;
  }

  /**
   * Whether an answer can be about {@code op}: an errno or a tolerated one only for a call (the
   * sync points make none), "ready", "exec" (execve or spawn) and "refused" only for their own op.
   * Anything else would run the helper's steps at the wrong point or fail inside this class.
   */
  private static boolean fits(String answer, InitOp op) {
    return switch (answer) {
      case "ok" -> !op.name().equals("refuse");
      case "tol", "err" -> op.logged() && !op.name().equals("refuse");
      case "ready" -> op.name().equals("ready");
      case "exec" -> op.name().equals("execve") || op.spawns();
      case "refused" -> op.name().equals("refuse");
      default -> true;
    };
  }

  /** The op an answer is about: the next one, or one after skipped ones, never an earlier one. */
  private static int index(String word, int next, int count, String line) throws InitFailed {
    try {
      int i = Integer.parseInt(word);
      if (i >= next && i < count) {
        return i;
      }
    } catch (NumberFormatException e) {
      // Said below.
    }
    throw new InitFailed("the native init answered out of order: " + line, null);
  }

  private static long number(String[] w, int at, String line) throws InitFailed {
    try {
      return Long.parseLong(w[at]);
    } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
      throw new InitFailed("the native init answered: " + line, null);
    }
  }

  private static String unstr(String token, String line) throws InitFailed {
    try {
      return InitOp.unstring(token);
    } catch (IllegalArgumentException e) {
      throw new InitFailed("the native init answered: " + line, null);
    }
  }
}

package org.glasshouse.helper.runtime.init;

import java.io.IOException;
import org.glasshouse.helper.linux.Call;
import org.glasshouse.helper.linux.SyscallException;
import org.glasshouse.helper.plan.StepLog;
import org.glasshouse.helper.plan.StepLog.StepException;

/**
 * Runs init-stage steps into a {@link StepLog}, stage {@code init}. Every step is one syscall
 * described by its {@link Call}: the text {@code JnaSyscalls} would put in the error of the same
 * call, so a step that succeeds and one that fails read the same.
 *
 * <p>The native init ({@link OpRecorder}) runs the same steps at plan time against a recording
 * {@code Syscalls}, with an {@link Observer} that learns each step's text before its call is
 * recorded, and which errno a step takes as an answer. Where the steps branch on such an answer
 * ({@link #ifFound}, {@link #otherwise}), the recorder records both branches and the executor picks
 * one by the answer it gets from the kernel.
 */
final class StepRunner {

  /** A step body without a value. */
  @FunctionalInterface
  interface VoidCall {
    void run() throws SyscallException, IOException;
  }

  /** Steps that run only on one answer of the last tolerating step. */
  @FunctionalInterface
  interface Branch<T> {
    T run() throws StepException;
  }

  /** What the op recorder learns of the steps; the JVM init has none. */
  interface Observer {
    /** A step is about to make its one call. */
    void begin(String step, Call call, String explanation);

    /**
     * The step just begun takes {@code errno} as an answer; its entry then reads {@code result}.
     */
    void tolerates(int errno, String result);

    /** The step just begun is refused before the kernel is asked ({@code message}). */
    void refused(String message);

    /** The number of ops recorded so far. */
    int mark();

    /**
     * The ops recorded since {@code mark} run only when the last tolerating step before them found
     * its errno ({@code whenTolerated}) or only when it did not.
     */
    void branch(int mark, boolean whenTolerated);

    /** The next op that opens an fd puts it where the last tolerating step would have. */
    void sameSlotAsTolerating();
  }

  private final StepLog log;
  private final Observer observer;

  StepRunner(StepLog log) {
    this(log, null);
  }

  StepRunner(StepLog log, Observer observer) {
    this.log = log;
    this.observer = observer;
  }

  /** One step: records the call with its arguments and its result. */
  void step(String step, Call call, String explanation, VoidCall body) throws StepException {
    begin(step, call, explanation);
    log.run(
        step,
        "init",
        call,
        explanation,
        () -> {
          body.run();
          return null;
        });
  }

  /** One step with a value (an fd). */
  <T> T value(String step, Call call, String explanation, StepLog.Action<T> body)
      throws StepException {
    begin(step, call, explanation);
    return log.run(step, "init", call, explanation, body);
  }

  /**
   * One step for which the errno {@code tolerated} is an answer, not a failure: its value is then
   * {@code absent}, which its entry shows as the result.
   */
  <T> T tolerating(
      String step, Call call, String explanation, int tolerated, T absent, StepLog.Action<T> body)
      throws StepException {
    begin(step, call, explanation);
    if (observer != null) {
      observer.tolerates(tolerated, String.valueOf(absent));
    }
    return log.run(
        step,
        "init",
        call,
        explanation,
        () -> {
          try {
            return body.run();
          } catch (SyscallException e) {
            if (e.errno() == tolerated) {
              return absent;
            }
            throw e;
          }
        });
  }

  /** Runs {@code steps} only when the last tolerating step's call succeeded ({@code found}). */
  void ifFound(boolean found, Branch<?> steps) throws StepException {
    if (observer == null) {
      if (found) {
        steps.run();
      }
      return;
    }
    int mark = observer.mark();
    steps.run();
    observer.branch(mark, false);
  }

  /**
   * {@code made} when the last tolerating step's call succeeded, else the value of {@code
   * fallback}, whose fd takes the same slot in the native init.
   */
  <T> T otherwise(boolean absent, T made, Branch<T> fallback) throws StepException {
    if (observer == null) {
      return absent ? fallback.run() : made;
    }
    int mark = observer.mark();
    observer.sameSlotAsTolerating();
    fallback.run();
    observer.branch(mark, true);
    return made;
  }

  /** A step refused before the kernel is asked, because asking would harm the host. */
  void refuse(String step, Call call, String explanation) throws StepException {
    begin(step, call, explanation);
    String message = "refused: " + explanation;
    if (observer != null) {
      observer.refused(message);
    }
    log.run(
        step,
        "init",
        call,
        explanation,
        () -> {
          throw new IOException(message);
        });
  }

  private void begin(String step, Call call, String explanation) {
    if (observer != null) {
      observer.begin(step, call, explanation);
    }
  }
}

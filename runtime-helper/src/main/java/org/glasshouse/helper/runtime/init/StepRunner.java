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
 */
final class StepRunner {

  /** A step body without a value. */
  @FunctionalInterface
  interface VoidCall {
    void run() throws SyscallException, IOException;
  }

  private final StepLog log;

  StepRunner(StepLog log) {
    this.log = log;
  }

  /** One step: records the call with its arguments and its result. */
  void step(String step, Call call, String explanation, VoidCall body) throws StepException {
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
    return log.run(step, "init", call, explanation, body);
  }

  /** A step refused before the kernel is asked, because asking would harm the host. */
  void refuse(String step, Call call, String explanation) throws StepException {
    log.run(
        step,
        "init",
        call,
        explanation,
        () -> {
          throw new IOException("refused: " + explanation);
        });
  }
}

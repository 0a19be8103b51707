package org.glasshouse.helper.runtime.init;

import java.io.IOException;
import org.glasshouse.helper.linux.SyscallException;
import org.glasshouse.helper.plan.StepLog;
import org.glasshouse.helper.plan.StepLog.StepException;

/** Runs init-stage steps into a {@link StepLog}, stage {@code init}. */
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
  void step(String step, String call, String args, String explanation, VoidCall body)
      throws StepException {
    log.run(
        step,
        "init",
        call,
        args,
        explanation,
        () -> {
          body.run();
          return null;
        });
  }

  /** One step with a value (an fd). */
  <T> T value(String step, String call, String args, String explanation, StepLog.Action<T> body)
      throws StepException {
    return log.run(step, "init", call, args, explanation, body);
  }

  /** A step refused before the kernel is asked, because asking would harm the host. */
  void refuse(String step, String call, String args, String explanation) throws StepException {
    log.run(
        step,
        "init",
        call,
        args,
        explanation,
        () -> {
          throw new IOException("refused: " + explanation);
        });
  }
}

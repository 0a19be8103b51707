package org.glasshouse.helper.runtime;

import java.util.List;
import org.glasshouse.protocol.StepEntry;

/** A container could not be started; carries the failing step and the log up to it. */
public class StartFailedException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient StepEntry failedStep;
  private final transient List<StepEntry> steps;

  /**
   * @param message one sentence for the user, with context
   * @param failedStep the step that failed, or null when the failure was not a step's
   * @param steps every step recorded up to and including the failing one
   */
  public StartFailedException(
      String message, StepEntry failedStep, List<StepEntry> steps, Throwable cause) {
    super(message, cause);
    this.failedStep = failedStep;
    this.steps = List.copyOf(steps);
  }

  /** The failing step, or null. */
  public StepEntry failedStep() {
    return failedStep;
  }

  /** Every step recorded up to the failure. */
  public List<StepEntry> steps() {
    return steps;
  }
}

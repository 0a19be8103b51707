package org.glasshouse.client;

import org.glasshouse.protocol.ErrorCode;
import org.glasshouse.protocol.StepEntry;

/**
 * The helper answered {@code ok:false}, could not be reached, or went away. The message is one
 * sentence fit for a user; {@link #step()} is the failing step of a {@code step_failed}.
 */
public class HelperException extends Exception {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final transient StepEntry step;

  /**
   * @param code the helper's error code; {@code internal} for connection failures
   * @param message one sentence for the user
   * @param step the failing step, or null
   */
  public HelperException(ErrorCode code, String message, StepEntry step) {
    super(message);
    this.code = code;
    this.step = step;
  }

  /** The error code. */
  public ErrorCode code() {
    return code;
  }

  /** The failing step of a {@code step_failed}, else null. */
  public StepEntry step() {
    return step;
  }
}

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
  private final String container;

  /**
   * @param code the helper's error code; {@code internal} for connection failures
   * @param message one sentence for the user
   * @param step the failing step, or null
   */
  public HelperException(ErrorCode code, String message, StepEntry step) {
    this(code, message, step, null);
  }

  /**
   * As above, for a failed start: {@code container} is the id of the container the helper made for
   * it and undid, as its {@code step} events named it (null when none was made).
   */
  public HelperException(ErrorCode code, String message, StepEntry step, String container) {
    super(message);
    this.code = code;
    this.step = step;
    this.container = container;
  }

  /** The error code. */
  public ErrorCode code() {
    return code;
  }

  /** The failing step of a {@code step_failed}, else null. */
  public StepEntry step() {
    return step;
  }

  /**
   * The container a failed {@code run} or {@code exec} made and undid — the id its {@code step}
   * events carried — else null: a client that follows every container tells its own failed start
   * from another client's by this id.
   */
  public String container() {
    return container;
  }
}

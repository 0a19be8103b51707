package org.glasshouse.app.core;

import org.glasshouse.protocol.StepEntry;

/**
 * A request the helper refused or could not do: the protocol's error code, its one-sentence
 * message, and for {@code step_failed} the failing step.
 */
public class LabException extends RuntimeException {
  /**
   * The code of a request whose connection closed after it was sent and before the helper answered:
   * the helper may have done it. (Not sent at all — not connected — is {@code unavailable}.)
   */
  public static final String UNANSWERED = "unanswered";

  private final String code;
  private final transient StepEntry step;

  public LabException(String code, String message, StepEntry step) {
    super(message);
    this.code = code;
    this.step = step;
  }

  public LabException(String code, String message) {
    this(code, message, null);
  }

  /**
   * The protocol error code ({@code step_failed}, {@code not_found}, …), or the app's own {@code
   * unavailable} (not connected) or {@link #UNANSWERED}.
   */
  public String code() {
    return code;
  }

  /** The failing step, or null. */
  public StepEntry step() {
    return step;
  }

  /**
   * A short message for a person: the step and errno with its explanation when there is one, else
   * the helper's message. Unwraps completion wrappers.
   */
  public static String describe(Throwable t) {
    Throwable c = t;
    while ((c instanceof java.util.concurrent.CompletionException
            || c instanceof java.util.concurrent.ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    if (c instanceof LabException le) {
      StepEntry s = le.step();
      if (s != null && s.errno() != null) {
        String text = s.call() + "(" + nz(s.args()) + ") failed: " + s.errno();
        if (s.message() != null) {
          text += " (" + s.message() + ")";
        }
        if (s.explanation() != null) {
          text += " — " + s.explanation();
        }
        return text;
      }
      return le.getMessage();
    }
    String m = c.getMessage();
    return c.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}

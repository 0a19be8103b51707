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
  private final String container;

  public LabException(String code, String message, StepEntry step) {
    this(code, message, step, null);
  }

  /**
   * A failed start: {@code container} is the id the helper gave the container it made and undid
   * (the id its step events carried), or null.
   */
  public LabException(String code, String message, StepEntry step, String container) {
    super(message);
    this.code = code;
    this.step = step;
    this.container = container;
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
   * The container a failed run made and undid, as the helper's reply names it, or null: the run's
   * own item, whatever other client's containers started meanwhile.
   */
  public String container() {
    return container;
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

package org.glasshouse.helper.inspect;

/**
 * The process being read exited (its {@code /proc/PID} vanished) part-way through. Readers throw
 * it; the {@link Inspector} turns it into a clean {@code gone} result so it never reaches a client
 * as an error.
 */
public final class ProcessGoneException extends Exception {
  private static final long serialVersionUID = 1L;

  private final long pid;

  /**
   * @param pid the process that is gone
   */
  public ProcessGoneException(long pid) {
    this(pid, null);
  }

  /**
   * @param pid the process that is gone
   * @param cause the read that failed, kept for the log
   */
  public ProcessGoneException(long pid, Throwable cause) {
    super("process " + pid + " is gone", cause, false, false);
    this.pid = pid;
  }

  /** The process that is gone. */
  public long pid() {
    return pid;
  }
}

package org.glasshouse.cli;

/** A user mistake on the command line: printed as one line on stderr, exit status 2. */
public class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * @param message the one line the user sees
   */
  public UsageException(String message) {
    super(message);
  }
}

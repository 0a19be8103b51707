package org.glasshouse.cli;

import org.glasshouse.client.HelperException;

/**
 * The exit statuses of every command, docker's: 0 done, 1 the request failed (no such container, a
 * running one not removed, …), 2 a usage mistake, 125 the helper could not be reached or a
 * container could not be started; {@code run} and {@code exec} otherwise exit with their command's
 * status (128+N for signal N).
 */
final class Exit {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;
  static final int HELPER = 125;

  private Exit() {}

  /**
   * The status of a failure: a helper that was not there, failed inside, refused our protocol or
   * could not start the container is 125; a request the helper understood and said no to is 1.
   */
  static int of(Throwable e) {
    if (e instanceof UsageException) {
      return USAGE;
    }
    if (e instanceof HelperException h) {
      return switch (h.code()) {
        case INTERNAL,
            STEP_FAILED,
            UNSUPPORTED_VERSION,
            MALFORMED_JSON,
            LINE_TOO_LONG,
            UNKNOWN_OP ->
            HELPER;
        default -> FAILED;
      };
    }
    return FAILED;
  }
}

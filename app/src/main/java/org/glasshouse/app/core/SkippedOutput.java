package org.glasshouse.app.core;

import java.nio.charset.StandardCharsets;

/**
 * The one sentence a terminal shows where the app dropped a container's output to keep up (the run
 * pane's buffer and a hidden terminal keep only the tail): how much was skipped, in the app's one
 * byte format ({@link Units#bytes}) — "7 B", "534.0 KiB", never "0 KiB".
 */
public final class SkippedOutput {
  private SkippedOutput() {}

  /** The note for {@code skipped} bytes, on a line of its own, as terminal bytes (UTF-8). */
  public static byte[] note(long skipped) {
    return ("\r\n[glasshouse: " + Units.bytes(skipped) + " of output skipped to keep up]\r\n")
        .getBytes(StandardCharsets.UTF_8);
  }
}

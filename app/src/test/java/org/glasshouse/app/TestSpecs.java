package org.glasshouse.app;

import java.util.List;
import org.glasshouse.protocol.RunSpec;

/** Run specs the app's tests share: what the run panel sends for a level-05 command in a pty. */
public final class TestSpecs {

  private TestSpecs() {}

  /** {@code argv} in busybox at level 05, with an 80×24 pty, no limits. */
  public static RunSpec level5Tty(String... argv) {
    return new RunSpec(
        "busybox",
        List.of(argv),
        null,
        null,
        true,
        80,
        24,
        5,
        null,
        null,
        null,
        null,
        null,
        false,
        null,
        null);
  }
}

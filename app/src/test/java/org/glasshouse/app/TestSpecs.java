package org.glasshouse.app;

import java.util.List;
import org.glasshouse.protocol.RunSpec;

/** Run specs the app's tests share: what the run panel sends for a level-05 command in a pty. */
public final class TestSpecs {

  private TestSpecs() {}

  /** {@code argv} in busybox at level 05, with an 80×24 pty, no limits. */
  public static RunSpec level5Tty(String... argv) {
    return RunSpec.builder()
        .image("busybox")
        .argv(List.of(argv))
        .tty(true)
        .cols(80)
        .rows(24)
        .level(5)
        .build();
  }
}

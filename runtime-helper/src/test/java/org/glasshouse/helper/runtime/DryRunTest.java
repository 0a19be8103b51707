package org.glasshouse.helper.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import org.glasshouse.helper.linux.RecordingSyscalls;
import org.glasshouse.protocol.Feature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DryRunTest {
  @TempDir Path tmp;

  @Test
  void plansEveryLevelAndTouchesNothing() throws Exception {
    Path state = tmp.resolve("state");
    RecordingSyscalls sys = new RecordingSyscalls();
    for (String init : new String[] {"jvm", "native"}) {
      RuntimeConfig config;
      try {
        config = RuntimeConfig.of(state, tmp.resolve("images"), init);
      } catch (IllegalArgumentException noNativeInit) {
        continue; // glasshouse-init not built here: the jvm case still ran
      }
      assertEquals(Feature.MAX_LEVEL + 1, DryRun.plans(config, sys));
    }
    assertFalse(Files.exists(state), "no directory made");
    assertEquals(java.util.List.of(), sys.calls(), "no syscall made");
  }
}

package org.glasshouse.app.cgroups;

import java.util.Map;
import org.glasshouse.protocol.Limits;
import org.glasshouse.protocol.RunSpec;

/**
 * The charts' workloads, for the tests that run them on a real helper: level 09's awk memory hog
 * and level 12's awk fork flood (the recorded fixtures of the same workloads are {@code
 * core/FixtureRecorder}'s {@code recordCharts}).
 */
final class ChartWorkloads {

  /**
   * The level-09 hog, an awk program: keeps one more MiB string every 0.2 s, 64 times (so without a
   * limit it ends at 64 MiB instead of eating the machine). Its usage climbs in even steps to the
   * limit; a shell variable that grows ({@code y="$y$x"}) copies itself each time, so its usage
   * saws between the string's size and twice that, and the limit is hit by a copy the 10 Hz samples
   * rarely catch.
   */
  static final String MEMORY_HOG =
      "BEGIN { s = sprintf(\"%1048576s\", \"\"); for (i = 0; i < 64; i++) { a[i] = s i;"
          + " system(\"usleep 200000\") } }";

  /**
   * The level-12 flood: awk forks "sleep 30 &" for ever; a refused fork is a -1 from system(), not
   * the end (a shell that cannot fork gives up, and its container ends at once).
   */
  static final String FORK_FLOOD = "BEGIN { while (1) system(\"sleep 30 &\") }";

  private ChartWorkloads() {}

  static RunSpec spec(int level, Limits limits, String script) {
    return RunSpec.builder()
        .image("busybox")
        .argv("sh", "-c", script)
        .env(Map.of("PATH", "/bin:/sbin:/usr/bin:/usr/sbin"))
        .level(level)
        .limits(limits)
        .build();
  }
}

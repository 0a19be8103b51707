package org.glasshouse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.glasshouse.cli.PlacedHelper.Placement;
import org.glasshouse.helper.cgroups.CgroupLayout;
import org.glasshouse.helper.runtime.TestSupport;
import org.glasshouse.protocol.Json;
import org.glasshouse.testsupport.Transcript;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Records the cgroup charts' v2 fixtures (the app's {@code fixtures/v2-*.jsonl}) from a real helper
 * on a pure cgroup v2 kernel: the QEMU guest of {@code ./glasshouse test-v2}, the one such kernel
 * the project has. Each scenario is the hybrid recording's of the same name (the app's {@code
 * FixtureRecorder}), on a connection of its own, every line sent and received written in order, the
 * received ones exactly as they came — the app's fixture format ({@code fixtures/README.md}).
 *
 * <p>Not part of any run (its name is not a test's, so neither surefire nor the guest's class-path
 * scan picks it): run on purpose, its files land in the guest's out share —
 *
 * <pre>
 * GLASSHOUSE_V2_TESTS="--select-class org.glasshouse.cli.V2ChartsRecorder" ./glasshouse test-v2
 * cp build/vm/run/out/fixtures/v2-*.jsonl app/src/test/resources/org/glasshouse/app/fixtures/
 * </pre>
 *
 * The guest is emulated (TCG): a start takes seconds, the sampler may fall behind its 100 ms, and
 * the figures are what that kernel measured, no more regular than that.
 */
@Tag("v2-guest")
class V2ChartsRecorder {
  private static final Map<String, String> ENV = Map.of("PATH", "/bin:/sbin:/usr/bin:/usr/sbin");

  /** The guest's writable share ({@code build/vm/run/out} on the host). */
  private static final Path OUT = Path.of("/run/out");

  /** How long any one wait may take in an emulated guest. */
  private static final Duration PATIENCE = Duration.ofMinutes(5);

  /** The hybrid recording's memory hog: a shell variable growing 1 MiB every 0.2 s. */
  private static final String HOG =
      "x=$(head -c 1m /dev/zero | tr '\\0' x); y=$x; while :; do y=\"$y$x\"; sleep 0.2; done";

  /** The hybrid recording's fork flood: an inner shell's sleeps hold pids at the limit. */
  private static final String FLOOD =
      "sh -c 'for i in $(seq 1 40); do sleep 8 & done; wait'; echo the flood hit the limit;"
          + " exec sleep 10";

  /** A busy loop for 3 minutes (removed long before). */
  private static final String LOOP =
      "end=$(($(date +%s)+180)); while [ $(date +%s) -lt $end ]; do i=0;"
          + " while [ $i -lt 20000 ]; do i=$((i+1)); done; done";

  @Test
  void recordCharts() throws Exception {
    CgroupLayout layout = CgroupLayout.detect(Path.of("/"));
    TestSupport.require(
        layout.mode() == CgroupLayout.Mode.V2
            && List.of("cpu", "memory", "pids").stream().noneMatch(layout::isV1),
        "the v2 recordings need a pure cgroup v2 host (./glasshouse test-v2 boots one); this one"
            + " is "
            + layout.mode().wireName());
    TestSupport.require(
        Files.isDirectory(OUT), OUT + " is missing: the recorder writes into the guest's share");
    Path dir = OUT.resolve("fixtures");
    Files.createDirectories(dir);
    try (PlacedHelper helper = PlacedHelper.start(Placement.ROOT)) {
      try (Transcript t =
          new Transcript(
              dir,
              helper.socket(),
              "v2-level-08-contention",
              "level 08 on cgroup v2: two busy loops pinned to CPU 0, cpu.shares 512 and 1024"
                  + " (cpu.weight 20 and 39), 20 s",
              PATIENCE)) {
        assertEquals("v2", t.cgroupMode(), "the helper's cgroups");
        t.subscribeInspection(100);
        List<String> ids = new ArrayList<>();
        for (int shares : new int[] {512, 1024}) {
          ObjectNode spec = spec(8, "taskset", "-c", "0", "sh", "-c", LOOP);
          spec.set("limits", Json.tree(Map.of("cpuShares", shares)));
          ids.add(t.run(spec));
        }
        t.pause(20_000);
        t.inspect(ids.get(0), false);
        for (String id : ids) {
          t.stop(id);
        }
      }
      try (Transcript t =
          new Transcript(
              dir,
              helper.socket(),
              "v2-level-09-oom",
              "level 09 on cgroup v2: a memory hog under memory.max and memory.swap.max 32 MiB"
                  + " climbs to it and is OOM-killed (memory.events oom_kill)",
              PATIENCE)) {
        t.subscribeInspection(100);
        ObjectNode spec = spec(9, "sh", "-c", HOG);
        spec.set(
            "limits", Json.tree(Map.of("memoryBytes", 32L << 20, "memorySwapBytes", 32L << 20)));
        String id = t.run(spec);
        t.pause(300);
        t.inspect(id, false);
        t.finish(id);
      }
      try (Transcript t =
          new Transcript(
              dir,
              helper.socket(),
              "v2-level-12-forkflood",
              "level 12 on cgroup v2: a fork flood under pids.max 16: forks are refused"
                  + " (pids.events max), the container lives on",
              PATIENCE)) {
        t.subscribeInspection(100);
        ObjectNode spec = spec(12, "sh", "-c", FLOOD);
        spec.set("limits", Json.tree(Map.of("pidsMax", 16)));
        String id = t.run(spec);
        t.pause(1000);
        t.inspect(id, false);
        t.call("stats", Json.object());
        t.finish(id);
      }
    }
  }

  private static ObjectNode spec(int level, String... argv) {
    ObjectNode s = Json.object().put("image", "busybox").put("level", level);
    s.set("argv", Json.tree(List.of(argv)));
    s.set("env", Json.tree(ENV));
    return s;
  }
}

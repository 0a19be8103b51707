package org.glasshouse.app.cgroups;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.glasshouse.helper.inspect.CgroupV1Reader;
import org.glasshouse.helper.inspect.CgroupV2Reader;
import org.glasshouse.protocol.inspect.CgroupStats;
import org.glasshouse.protocol.inspect.TelemetrySample;

/**
 * Builds the v1 and v2 telemetry fixtures of the view-model tests from the cgroupfs trees the
 * helper's tests captured on real machines ({@code runtime-helper/src/test/resources/.../inspect/
 * fixtures/v1} and {@code v2}): copies a tree per container, advances its counters tick by tick the
 * way the kernel would under a known load, reads it back with the helper's own {@link
 * CgroupV1Reader} / {@link CgroupV2Reader}, and writes the telemetry events the helper would have
 * sent (cpuPercent over the tick, as its sampler computes it). The hybrid fixtures are recordings
 * of a real helper instead (core/FixtureRecorder#recordCharts). Not a test; run from the repository
 * root ({@code /tmp/gh.cp} made as {@link ChartsBenchmark} says):
 *
 * <pre>
 * java -cp app/target/test-classes:app/target/classes:$(cat /tmp/gh.cp) \
 *   org.glasshouse.app.cgroups.FixtureBuilder app/src/test/resources/org/glasshouse/app/cgroups/fixtures
 * </pre>
 *
 * <p>The story, 20 s at 10 Hz, two containers "a" and "b": both busy on one CPU, a with the lighter
 * weight (v1 shares 512 against 1024, v2 weight 100 against 200) and a quota of half a core that
 * throttles it; a's memory climbs to its 64 MiB limit (limit hits from 12 s), one process of it is
 * OOM-killed at 16 s and its memory drops; a's tasks climb to pids.max 64 by 8 s and forks are
 * rejected from then on; on v2, a's CPU and memory pressure rise.
 */
public final class FixtureBuilder {
  static final Path TREES =
      Path.of("runtime-helper/src/test/resources/org/glasshouse/helper/inspect/fixtures");
  static final long START_MS = 1_796_000_000_000L;
  static final int TICKS = 200;
  static final long MIB = 1 << 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  private FixtureBuilder() {}

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args[0]);
    Files.createDirectories(out);
    Path tmp = Files.createTempDirectory("glasshouse-test-fixtures-");
    try {
      v1(tmp.resolve("v1"), out.resolve("v1.jsonl"));
      v2(tmp.resolve("v2"), out.resolve("v2.jsonl"));
    } finally {
      try (Stream<Path> s = Files.walk(tmp)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** CPU used per tick by a and b, in ns: a third and two thirds of one CPU. */
  static long usedNs(boolean a) {
    return a ? 33_000_000L : 67_000_000L;
  }

  /**
   * a's memory at tick i: 20 MiB plus 3 MiB a second up to the limit, then 1 MiB after the kill.
   */
  static long memory(int i) {
    if (i >= 160) {
      return MIB;
    }
    return Math.min(64 * MIB, 20 * MIB + i * 3 * MIB / 10);
  }

  /** a's tasks at tick i: 8 a second up to 64. */
  static long tasks(int i) {
    return Math.min(64, 1 + i * 8 / 10);
  }

  private static void v1(Path root, Path file) throws IOException {
    try (BufferedWriter w = writer(file, "v1")) {
      Path a = copy(TREES.resolve("v1"), root.resolve("a"));
      Path b = copy(TREES.resolve("v1"), root.resolve("b"));
      write(a.resolve("cpu/cpu.shares"), "512");
      write(b.resolve("cpu/cpu.cfs_quota_us"), "-1");
      long[] usage = {199_375_968L, 199_375_968L};
      long[] throttled = {101_208_957L, 0};
      long rejected = 0;
      long failcnt = 0;
      long peak = 0;
      Long[] before = {null, null};
      for (int i = 0; i < TICKS; i++) {
        for (int k = 0; k < 2; k++) {
          Path c = k == 0 ? a : b;
          usage[k] += usedNs(k == 0);
          write(c.resolve("cpuacct/cpuacct.usage"), usage[k]);
          if (k == 0) {
            throttled[0] += 45_000_000L;
            write(
                c.resolve("cpu/cpu.stat"),
                "nr_periods "
                    + (5 + i)
                    + "\nnr_throttled "
                    + (3 + i)
                    + "\nthrottled_time "
                    + throttled[0]
                    + "\n");
            long mem = memory(i);
            if (i >= 120 && i < 160) {
              failcnt += 3;
            }
            peak = Math.max(peak, mem);
            write(c.resolve("memory/memory.usage_in_bytes"), mem);
            write(c.resolve("memory/memory.max_usage_in_bytes"), peak);
            write(c.resolve("memory/memory.memsw.usage_in_bytes"), mem);
            write(c.resolve("memory/memory.failcnt"), failcnt);
            write(
                c.resolve("memory/memory.oom_control"),
                "oom_kill_disable 0\nunder_oom 0\noom_kill " + (i >= 160 ? 1 : 0) + "\n");
            write(c.resolve("pids/pids.current"), tasks(i));
            if (tasks(i) >= 64) {
              rejected += 5;
            }
            write(c.resolve("pids/pids.events"), "max " + rejected + "\n");
          }
          CgroupV1Reader r =
              new CgroupV1Reader(
                  c.resolve("cpu"), c.resolve("cpuacct"), c.resolve("memory"), c.resolve("pids"));
          CgroupStats stats = new CgroupStats("v1", r.cpu(), r.memory(), r.pids(), null);
          before[k] = event(w, k, i, stats, before[k]);
        }
      }
    }
  }

  private static void v2(Path root, Path file) throws IOException {
    try (BufferedWriter w = writer(file, "v2")) {
      Path a = copy(TREES.resolve("v2"), root.resolve("a"));
      Path b = copy(TREES.resolve("v2"), root.resolve("b"));
      write(b.resolve("cpu.weight"), "200");
      write(b.resolve("cpu.max"), "max 100000");
      long[] usageUs = {1_523_456L, 1_523_456L};
      long throttledUs = 0;
      long events = 7;
      long rejected = 2;
      long peak = 0;
      Long[] before = {null, null};
      for (int i = 0; i < TICKS; i++) {
        for (int k = 0; k < 2; k++) {
          Path c = k == 0 ? a : b;
          usageUs[k] += usedNs(k == 0) / 1000;
          if (k == 0) {
            throttledUs += 45_000;
          }
          write(
              c.resolve("cpu.stat"),
              "usage_usec "
                  + usageUs[k]
                  + "\nuser_usec "
                  + usageUs[k]
                  + "\nsystem_usec 0\n"
                  + "nr_periods "
                  + (120 + i)
                  + "\nnr_throttled "
                  + (k == 0 ? 17 + i : 0)
                  + "\nthrottled_usec "
                  + (k == 0 ? throttledUs : 0)
                  + "\n");
          if (k == 0) {
            long mem = memory(i);
            if (i >= 120 && i < 160) {
              events += 3;
            }
            peak = Math.max(peak, mem);
            write(c.resolve("memory.current"), mem);
            write(c.resolve("memory.peak"), peak);
            write(
                c.resolve("memory.events"),
                "low 0\nhigh 0\nmax "
                    + events
                    + "\noom "
                    + (i >= 160 ? 2 : 1)
                    + "\noom_kill "
                    + (i >= 160 ? 2 : 1)
                    + "\n");
            write(c.resolve("pids.current"), tasks(i));
            if (tasks(i) >= 64) {
              rejected += 5;
            }
            write(c.resolve("pids.events"), "max " + rejected + "\n");
            write(c.resolve("cpu.pressure"), psi(Math.min(60, i * 0.4), 0));
            write(
                c.resolve("memory.pressure"), psi(i >= 120 && i < 170 ? (i - 119) * 1.2 : 0.5, 0));
          } else {
            write(c.resolve("cpu.pressure"), psi(Math.min(30, i * 0.2), 0));
          }
          CgroupV2Reader r = new CgroupV2Reader(c);
          CgroupStats stats = new CgroupStats("v2", r.cpu(), r.memory(), r.pids(), r.pressure());
          before[k] = event(w, k, i, stats, before[k]);
        }
      }
    }
  }

  private static String psi(double some, double full) {
    return String.format(
        Locale.ROOT,
        "some avg10=%.2f avg60=%.2f avg300=%.2f total=%d%nfull avg10=%.2f avg60=0.00 avg300=0.00"
            + " total=0%n",
        some,
        some / 2,
        some / 6,
        (long) (some * 100_000),
        full);
  }

  /** Writes one telemetry event; returns this reading's CPU usage for the next one's CPU %. */
  private static Long event(BufferedWriter w, int k, int i, CgroupStats stats, Long usageBefore)
      throws IOException {
    Long usage = stats.cpu().usageNs();
    // As TelemetrySampler: % of one core over the interval (100 ms), two decimals.
    Double pct =
        usageBefore == null ? null : Math.round((usage - usageBefore) * 100.0 / 1e8 * 100) / 100.0;
    TelemetrySample s =
        new TelemetrySample(
            START_MS + i * 100L + k,
            4242L + k,
            false,
            usageBefore == null ? null : 100L,
            pct,
            stats);
    ObjectNode e = JSON.createObjectNode();
    e.put("event", "telemetry");
    e.put("container", container(k));
    e.set("sample", JSON.valueToTree(s));
    w.write(e.toString());
    w.newLine();
    return usage;
  }

  static String container(int k) {
    return k == 0 ? "a00000000001" : "b00000000002";
  }

  private static BufferedWriter writer(Path file, String version) throws IOException {
    BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    ObjectNode h = JSON.createObjectNode();
    h.put("fixture", file.getFileName().toString());
    h.put(
        "what",
        "built by FixtureBuilder from runtime-helper's captured "
            + version
            + " cgroupfs tree, read back by the helper's Cgroup"
            + version.toUpperCase(Locale.ROOT)
            + "Reader: a (lighter weight, quota 0.5) and b busy on one CPU; a's memory to its"
            + " 64 MiB limit, OOM kill at 16 s; a's tasks to pids.max 64 at 8 s, forks rejected");
    h.set("containers", JSON.valueToTree(List.of(container(0), container(1))));
    w.write(h.toString());
    w.newLine();
    return w;
  }

  private static Path copy(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
    return to;
  }

  private static void write(Path p, Object value) throws IOException {
    Files.writeString(p, value + "\n");
  }
}

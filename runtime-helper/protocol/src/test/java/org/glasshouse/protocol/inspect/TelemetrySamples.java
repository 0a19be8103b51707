package org.glasshouse.protocol.inspect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Telemetry samples a hand-made writer of the telemetry event must write as Jackson's data binding
 * does (TelemetryTree, TelemetryText): every field filled, parts absent, numbers that need care.
 */
public final class TelemetrySamples {
  private TelemetrySamples() {}

  public static List<TelemetrySample> examples() {
    List<TelemetrySample> all = new ArrayList<>();
    Map<String, CgroupStats.Pressure> psi = new LinkedHashMap<>();
    psi.put(
        "memory",
        new CgroupStats.Pressure(
            new CgroupStats.Line(0.5, 1.25, 0, 123456789012L), new CgroupStats.Line(0, 0, 0, 0)));
    psi.put("cpu", new CgroupStats.Pressure(new CgroupStats.Line(12.5, 3, 1, 7), null));
    psi.put("io", null);
    all.add(
        new TelemetrySample(
            1733280000123L,
            4242,
            false,
            100L,
            12.34,
            new CgroupStats(
                "hybrid",
                new CgroupStats.Cpu(
                    9_000_000_000_000L, 2L, 3L, 4L, 5L, 6L, 100000L, 100000L, 1024L, 100L),
                new CgroupStats.Memory(
                    1L << 40,
                    Long.MAX_VALUE,
                    3L,
                    4L,
                    5L,
                    6L,
                    7L,
                    8L,
                    9L,
                    60L,
                    true,
                    false,
                    true,
                    11L,
                    12L),
                new CgroupStats.Pids(1L, 64L, 0L),
                psi)));
    all.add(new TelemetrySample(1L, 2, true, null, null, null));
    all.add(
        new TelemetrySample(1L, 2, false, 0L, 0.0, new CgroupStats("v1", null, null, null, null)));
    all.add(
        new TelemetrySample(
            1L,
            2,
            false,
            99L,
            200.0,
            new CgroupStats(
                null,
                new CgroupStats.Cpu(1L, null, null, null, null, null, null, null, null, null),
                new CgroupStats.Memory(5L, null, null, null, null, null, null, null),
                new CgroupStats.Pids(3L, null, null),
                Map.of())));
    all.add(
        new TelemetrySample(
            1L,
            2,
            false,
            99L,
            null,
            new CgroupStats(
                "v2",
                new CgroupStats.Cpu(null, null, null, null, null, null, null, null, null, null),
                new CgroupStats.Memory(
                    null, null, null, null, null, null, null, null, null, null, null, null, null,
                    null, null),
                new CgroupStats.Pids(null, null, null),
                Map.of("cpu", new CgroupStats.Pressure(null, null)))));
    all.add(
        new TelemetrySample(
            0L,
            1,
            false,
            -1L,
            -0.0,
            new CgroupStats(
                "v2",
                new CgroupStats.Cpu(0L, -1L, 1L, 0L, 0L, 0L, 0L, 0L, 0L, 0L),
                null,
                new CgroupStats.Pids(Long.MIN_VALUE, Long.MAX_VALUE, 0L),
                null)));
    // Doubles JSON has no number for go through the tree, whatever it writes for them.
    all.add(new TelemetrySample(0L, 1, false, -1L, Double.NaN, null));
    all.add(new TelemetrySample(0L, 1, false, -1L, Double.POSITIVE_INFINITY, null));
    all.add(
        new TelemetrySample(
            0L,
            1,
            false,
            null,
            -0.0,
            new CgroupStats(
                "v2",
                null,
                null,
                null,
                Map.of(
                    "memory",
                    new CgroupStats.Pressure(
                        new CgroupStats.Line(Double.NaN, 0, 0, 0),
                        new CgroupStats.Line(1e-7, 1e21, Double.MIN_VALUE, Long.MIN_VALUE))))));
    return all;
  }

  /** A sample with any part absent or filled, numbers small, large or extreme. */
  public static TelemetrySample random(Random r) {
    CgroupStats stats = null;
    if (r.nextInt(5) > 0) {
      Map<String, CgroupStats.Pressure> psi = null;
      if (r.nextBoolean()) {
        psi = new LinkedHashMap<>();
        for (String k : new String[] {"cpu", "memory", "io"}) {
          if (r.nextBoolean()) {
            psi.put(
                k,
                r.nextInt(8) == 0 ? null : new CgroupStats.Pressure(randomLine(r), randomLine(r)));
          }
        }
      }
      stats =
          new CgroupStats(
              r.nextInt(4) == 0 ? null : new String[] {"v1", "v2", "hybrid"}[r.nextInt(3)],
              r.nextInt(4) == 0
                  ? null
                  : new CgroupStats.Cpu(l(r), l(r), l(r), l(r), l(r), l(r), l(r), l(r), l(r), l(r)),
              r.nextInt(4) == 0
                  ? null
                  : new CgroupStats.Memory(
                      l(r), l(r), l(r), l(r), l(r), l(r), l(r), l(r), l(r), l(r), bool(r), bool(r),
                      bool(r), l(r), l(r)),
              r.nextInt(4) == 0 ? null : new CgroupStats.Pids(l(r), l(r), l(r)),
              psi);
    }
    return new TelemetrySample(
        r.nextLong(),
        r.nextInt(1 << 22),
        r.nextInt(10) == 0,
        l(r),
        r.nextInt(3) == 0 ? null : Math.round(r.nextDouble() * 20000) / 100.0,
        stats);
  }

  private static CgroupStats.Line randomLine(Random r) {
    return r.nextInt(3) == 0
        ? null
        : new CgroupStats.Line(
            Math.round(r.nextDouble() * 10000) / 100.0,
            r.nextDouble() * 100,
            r.nextInt(100),
            r.nextLong());
  }

  private static Long l(Random r) {
    return switch (r.nextInt(4)) {
      case 0 -> null;
      case 1 -> (long) r.nextInt(1000);
      case 2 -> r.nextLong();
      default -> r.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE;
    };
  }

  private static Boolean bool(Random r) {
    return r.nextInt(3) == 0 ? null : r.nextBoolean();
  }
}

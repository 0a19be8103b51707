package org.glasshouse.protocol.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.glasshouse.protocol.Json;
import org.glasshouse.protocol.JsonText;
import org.junit.jupiter.api.Test;

/** {@link TelemetryTree} gives the tree and the text Jackson's data binding gives. */
class TelemetryTreeTest {

  private static void same(TelemetrySample s) {
    var mapper = Json.tree(s);
    var byHand = TelemetryTree.of(s);
    assertEquals(JsonText.write(mapper), JsonText.write(byHand));
    assertEquals(mapper, byHand);
    // And inside the event body the helper publishes.
    assertEquals(Json.tree(new TelemetryEvent(s)).get("sample"), byHand);
  }

  @Test
  void everyFieldFilled() {
    Map<String, CgroupStats.Pressure> psi = new LinkedHashMap<>();
    psi.put(
        "memory",
        new CgroupStats.Pressure(
            new CgroupStats.Line(0.5, 1.25, 0, 123456789012L), new CgroupStats.Line(0, 0, 0, 0)));
    psi.put("cpu", new CgroupStats.Pressure(new CgroupStats.Line(12.5, 3, 1, 7), null));
    same(
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
  }

  @Test
  void absentParts() {
    same(new TelemetrySample(1L, 2, true, null, null, null));
    same(new TelemetrySample(1L, 2, false, 0L, 0.0, new CgroupStats("v1", null, null, null, null)));
    same(
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
  }

  @Test
  void smallAndNegativeNumbers() {
    same(
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
  }
}

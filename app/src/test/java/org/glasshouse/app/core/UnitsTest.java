package org.glasshouse.app.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class UnitsTest {
  @Test
  void bytesUseBinaryPrefixes() {
    assertEquals("512 B", Units.bytes(512));
    assertEquals("1.5 KiB", Units.bytes(1536));
    assertEquals("64.0 MiB", Units.bytes(64L << 20));
    assertEquals("256.0 MiB", Units.bytes(256L << 20));
    assertEquals("2.0 GiB", Units.bytes(2L << 30));
  }

  /**
   * Through the protocol's one formatter: "1024.0 KiB" is never written, 1 MiB - 1 byte rounds up.
   */
  @Test
  void bytesAtTheUnitBoundaries() {
    assertEquals("0 B", Units.bytes(0));
    assertEquals("1023 B", Units.bytes(1023));
    assertEquals("1.0 KiB", Units.bytes(1024));
    assertEquals("1.0 MiB", Units.bytes((1L << 20) - 1));
    assertEquals("1.0 MiB", Units.bytes(1L << 20));
    assertEquals("1.0 GiB", Units.bytes(1L << 30));
    assertEquals("2.0 TiB", Units.bytes(2L << 40));
  }

  @Test
  void countsInWordsAreSingularOrPluralByTheNumber() {
    assertEquals("1 process", Units.counted(1, "process", "processes"));
    assertEquals("0 processes", Units.counted(0, "process", "processes"));
    assertEquals("3 forks", Units.counted(3, "fork", "forks"));
  }

  @Test
  void durationsPickTheirUnit() {
    assertEquals("850 µs", Units.duration(850_000));
    assertEquals("12.3 ms", Units.duration(12_300_000));
    assertEquals("1.25 s", Units.duration(1_250_000_000L));
  }

  @Test
  void percentAndRatioAlwaysUseAPoint() {
    assertEquals("49.9 %", Units.percent(49.87));
    assertEquals("0.50", Units.ratio(0.5));
  }

  @Test
  void chartFiguresReadWithTheirUnit() {
    assertEquals("0.52 cores", Units.cores(0.5249));
    assertEquals("1 task", Units.tasks(1));
    assertEquals("16 tasks", Units.tasks(16));
    assertEquals("450 ms/s", Units.msPerSecond(449.6));
    assertEquals("512", Units.count(512.0));
    assertEquals("27.3 MiB", Units.bytes(27.3 * (1 << 20)));
    assertEquals("124.0 KiB", Units.bytes(124.0 * 1024));
    assertEquals("2 min 5 s ago", Units.ago(125));
    assertEquals("now", Units.ago(0.2));
  }

  @Test
  void aMissingReadingIsADashNeverNaN() {
    assertEquals("—", Units.cores(Double.NaN));
    assertEquals("—", Units.bytes(Double.NaN));
    assertEquals("—", Units.ratio(Double.NaN));
    assertEquals("—", Units.percent(Double.NaN));
  }

  @Test
  void fixedRoundsLikeFormatWithoutItsCost() {
    for (double v : new double[] {0, 0.004, 0.005, 1.995, -0.26, 12345.678, 0.1, 49.87}) {
      for (int d = 0; d <= 2; d++) {
        assertEquals(
            // (format writes a negative zero as "-0"; a reading of -0 makes no sense to people)
            String.format(java.util.Locale.ROOT, "%." + d + "f", v)
                .replaceFirst("^-(0\\.?0*)$", "$1"),
            Units.fixed(v, d),
            v + " to " + d);
      }
    }
  }
}

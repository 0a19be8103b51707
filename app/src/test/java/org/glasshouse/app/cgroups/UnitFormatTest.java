package org.glasshouse.app.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class UnitFormatTest {

  @Test
  void numbersAreWrittenTheWayPeopleReadThem() {
    assertEquals("27.3 MiB", UnitFormat.format(Unit.BYTES, 27.3 * (1 << 20)));
    assertEquals("32.0 MiB", UnitFormat.format(Unit.BYTES, 32 << 20));
    assertEquals("124 KiB", UnitFormat.format(Unit.BYTES, 124 * 1024));
    assertEquals("2.50 GiB", UnitFormat.format(Unit.BYTES, 2.5 * (1 << 30)));
    assertEquals("0.52 cores", UnitFormat.format(Unit.CORES, 0.5249));
    assertEquals("1 task", UnitFormat.format(Unit.TASKS, 1));
    assertEquals("16", UnitFormat.plain(Unit.TASKS, 16));
    assertEquals("450 ms/s", UnitFormat.format(Unit.MS_PER_S, 449.6));
    assertEquals("3.5 %", UnitFormat.format(Unit.PERCENT, 3.45));
    assertEquals("—", UnitFormat.format(Unit.CORES, Double.NaN));
    assertEquals("0.05", UnitFormat.ratio(0.049));
  }

  @Test
  void fixedRoundsLikeFormatWithoutItsCost() {
    for (double v : new double[] {0, 0.004, 0.005, 1.995, -0.26, 12345.678, 0.1}) {
      for (int d = 0; d <= 2; d++) {
        assertEquals(
            // (format writes a negative zero as "-0"; a reading of -0 makes no sense to people)
            String.format(java.util.Locale.ROOT, "%." + d + "f", v)
                .replaceFirst("^-(0\\.?0*)$", "$1"),
            UnitFormat.fixed(v, d),
            v + " to " + d);
      }
    }
  }

  @Test
  void anAxisPicksAScaleItsTopReadsIn() {
    assertEquals("MiB", UnitFormat.scale(Unit.BYTES, 35.2 * (1 << 20)).label());
    assertEquals("KiB", UnitFormat.scale(Unit.BYTES, 1 << 20).label());
    assertEquals("GiB", UnitFormat.scale(Unit.BYTES, 3.0 * (1 << 30)).label());
  }
}

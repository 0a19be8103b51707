package org.glasshouse.app.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AxisScaleTest {
  @Test
  void anAxisPicksAScaleItsTopReadsIn() {
    assertEquals("MiB", AxisScale.of(Unit.BYTES, 35.2 * (1 << 20)).label());
    assertEquals("KiB", AxisScale.of(Unit.BYTES, 1 << 20).label());
    assertEquals("GiB", AxisScale.of(Unit.BYTES, 3.0 * (1 << 30)).label());
    assertEquals(1 << 20, AxisScale.of(Unit.BYTES, 35.2 * (1 << 20)).divisor());
  }

  @Test
  void valuesAreWrittenByTheAppsOneFormatter() {
    assertEquals("32.0 MiB", AxisScale.format(Unit.BYTES, 32 << 20));
    assertEquals("0.52 cores", AxisScale.format(Unit.CORES, 0.5249));
    assertEquals("1 task", AxisScale.format(Unit.TASKS, 1));
    assertEquals("16", AxisScale.plain(Unit.TASKS, 16));
    assertEquals("3.5 %", AxisScale.format(Unit.PERCENT, 3.45));
  }
}

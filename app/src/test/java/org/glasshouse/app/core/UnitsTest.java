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
}

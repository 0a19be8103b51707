package org.glasshouse.helper.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BytesTest {

  @Test
  void bytesBelowAKibibyteAreCountedAsThey() {
    assertEquals("0 B", Bytes.iec(0));
    assertEquals("1023 B", Bytes.iec(1023));
  }

  @Test
  void twoDecimalsBelowTenOneAbove() {
    assertEquals("1.00 KiB", Bytes.iec(1024));
    assertEquals("4.50 MiB", Bytes.iec((9L << 20) / 2));
    assertEquals("12.0 MiB", Bytes.iec(12L << 20));
    assertEquals("1023.0 MiB", Bytes.iec(1023L << 20));
    assertEquals("2.00 GiB", Bytes.iec(2L << 30));
  }

  @Test
  void theLargestUnitKeepsGrowing() {
    assertEquals("2048.0 TiB", Bytes.iec(2L << 50));
  }
}

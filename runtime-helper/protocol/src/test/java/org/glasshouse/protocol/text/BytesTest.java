package org.glasshouse.protocol.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BytesTest {

  @Test
  void bytesBelowAKibibyteAreCountedAsThey() {
    assertEquals("0 B", Bytes.iec(0));
    assertEquals("1 B", Bytes.iec(1));
    assertEquals("1023 B", Bytes.iec(1023));
    assertEquals("0 B", Bytes.iecTenths(0));
    assertEquals("1023 B", Bytes.iecTenths(1023));
  }

  @Test
  void threeDigitsGiveTwoDecimalsBelowTenOneAbove() {
    assertEquals("1.00 KiB", Bytes.iec(1024));
    assertEquals("4.50 MiB", Bytes.iec((9L << 20) / 2));
    assertEquals("12.0 MiB", Bytes.iec(12L << 20));
    assertEquals("1023.0 MiB", Bytes.iec(1023L << 20));
    assertEquals("1.00 MiB", Bytes.iec(1L << 20));
    assertEquals("2.00 GiB", Bytes.iec(2L << 30));
  }

  @Test
  void tenthsGiveOneDecimal() {
    assertEquals("1.0 KiB", Bytes.iecTenths(1024));
    assertEquals("1.5 KiB", Bytes.iecTenths(1536));
    assertEquals("64.0 MiB", Bytes.iecTenths(64L << 20));
    assertEquals("1.0 MiB", Bytes.iecTenths(1L << 20));
    assertEquals("2.0 GiB", Bytes.iecTenths(2L << 30));
  }

  /**
   * The bug both old copies had: a value just under a unit rounded up to "1024.0" of the one below.
   */
  @Test
  void roundingUpToTheNextUnitWritesThatUnit() {
    assertEquals("1.00 MiB", Bytes.iec((1L << 20) - 1));
    assertEquals("1.0 MiB", Bytes.iecTenths((1L << 20) - 1));
    assertEquals("1.00 GiB", Bytes.iec((1L << 30) - 1));
    assertEquals("1.0 GiB", Bytes.iecTenths((1L << 30) - 1));
    assertEquals("1023.9 KiB", Bytes.iecTenths((1L << 20) - 110));
  }

  /** The old helper copy's: 10 KiB - 1 byte was "10.00 KiB", four digits. */
  @Test
  void roundingUpToTenKeepsThreeDigits() {
    assertEquals("10.0 KiB", Bytes.iec(10 * 1024 - 1));
    assertEquals("9.99 KiB", Bytes.iec(10 * 1024 - 10));
  }

  @Test
  void everyLongHasAUnit() {
    assertEquals("2.00 TiB", Bytes.iec(2L << 40));
    assertEquals("2.0 TiB", Bytes.iecTenths(2L << 40));
    assertEquals("2.00 PiB", Bytes.iec(2L << 50));
    assertEquals("8.00 EiB", Bytes.iec(Long.MAX_VALUE));
    assertEquals("-8.00 EiB", Bytes.iec(Long.MIN_VALUE));
  }

  @Test
  void negativeValuesKeepTheirSignAndUnit() {
    assertEquals("-1023 B", Bytes.iec(-1023));
    assertEquals("-1.5 KiB", Bytes.iecTenths(-1536));
    assertEquals("-1.50 KiB", Bytes.iec(-1536));
  }

  /**
   * Each caller's output is what it was before this class replaced the copies (the old code below,
   * as it stood), for any value from 1 KiB up to 512 GiB, except where the old rounding reached the
   * next unit or, with three digits, four digits — the bugs above.
   */
  @Test
  void sameAsTheOldCopiesWhereTheyWereRight() {
    SplittableRandom random = new SplittableRandom(18);
    for (int i = 0; i < 200_000; i++) {
      long b = 1024 + random.nextLong(1L << random.nextInt(10, 40));
      String oldHelper = oldHelperIec(b);
      if (!oldHelper.startsWith("1024.0 ") && !oldHelper.startsWith("10.00 ")) {
        assertEquals(oldHelper, Bytes.iec(b), "iec(" + b + ")");
      }
      String oldApp = oldAppBytes(b);
      if (!oldApp.startsWith("1024.0 ")) {
        assertEquals(oldApp, Bytes.iecTenths(b), "iecTenths(" + b + ")");
      }
    }
  }

  /** runtime-helper's helper/text/Bytes.iec, as it was. */
  private static String oldHelperIec(long b) {
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = b;
    int i = -1;
    while (v >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return String.format(Locale.ROOT, v < 10 ? "%.2f %s" : "%.1f %s", v, units[i]);
  }

  /** The app's core/Units.bytes, as it was (its hand rounding is String.format's, UnitsTest). */
  private static String oldAppBytes(long bytes) {
    long a = Math.abs(bytes);
    if (a >= 1L << 30) {
      return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }
    if (a >= 1L << 20) {
      return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }
    return String.format(Locale.ROOT, "%.1f KiB", bytes / (double) (1L << 10));
  }
}

package org.glasshouse.helper.text;

import java.util.Locale;

/**
 * The helper side's one byte formatter (the app has its own in {@code core/Units}): binary units as
 * people read them, {@code 512 B}, {@code 2.00 KiB}, {@code 12.0 MiB} — two decimals below ten, one
 * above. The CLI's tables, its {@code images} list and the helper's messages all use it.
 */
public final class Bytes {
  private Bytes() {}

  private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB"};

  /** {@code b} bytes in the largest binary unit that keeps the number at least 1. */
  public static String iec(long b) {
    if (b < 1024) {
      return b + " B";
    }
    double v = b;
    int i = -1;
    while (v >= 1024 && i < UNITS.length - 1) {
      v /= 1024;
      i++;
    }
    return String.format(Locale.ROOT, v < 10 ? "%.2f %s" : "%.1f %s", v, UNITS[i]);
  }
}

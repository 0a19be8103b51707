package org.glasshouse.protocol.text;

/**
 * The one byte formatter of Glasshouse: binary units (KiB = 1024 bytes, as the kernel's cgroup
 * files count) in the largest unit that keeps the number, once rounded, at least 1 — {@code 512 B},
 * {@code 12.0 MiB}, never {@code 1024.0 KiB}. The app, the CLI and the helper's messages all format
 * bytes here. Two precisions: {@link #iec} (three significant digits: the CLI's tables, the
 * helper's messages) and {@link #iecTenths} (always one decimal: the app's panes and charts, where
 * figures of one column line up). A decimal point is always a point, whatever the locale.
 *
 * <p>Fast enough for live charts (their legends rewrite a few hundred numbers a second): rounds by
 * hand instead of going through {@link String#format}.
 */
public final class Bytes {
  private Bytes() {}

  private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

  /**
   * Three significant digits: {@code 512 B}, {@code 2.00 KiB}, {@code 12.0 MiB}, {@code 100.0 GiB}.
   */
  public static String iec(long bytes) {
    return format(bytes, true);
  }

  /** One decimal: {@code 512 B}, {@code 2.0 KiB}, {@code 12.0 MiB}, {@code 100.0 GiB}. */
  public static String iecTenths(long bytes) {
    return format(bytes, false);
  }

  private static String format(long bytes, boolean threeDigits) {
    if (bytes > -1024 && bytes < 1024) {
      return bytes + " B";
    }
    // As a double, the magnitude of Long.MIN_VALUE is exact too.
    double m = Math.abs((double) bytes);
    int unit = 0;
    while (m >= 1024 && unit < UNITS.length - 1) {
      m /= 1024;
      unit++;
    }
    int decimals = decimals(m, threeDigits);
    long scaled = Math.round(m * scale(decimals));
    // Rounding can carry into the next unit (1 MiB - 1 byte is 1023.999 KiB): write it in that one.
    if (scaled >= 1024 * scale(decimals) && unit < UNITS.length - 1) {
      m /= 1024;
      unit++;
      decimals = decimals(m, threeDigits);
      scaled = Math.round(m * scale(decimals));
    }
    // ... or past ten, where three digits keep one decimal (10 KiB - 1 byte is 10.0 KiB).
    if (decimals == 2 && scaled >= 1000) {
      decimals = 1;
      scaled = Math.round(m * 10);
    }
    long scale = scale(decimals);
    StringBuilder b = new StringBuilder(16);
    if (bytes < 0) {
      b.append('-');
    }
    b.append(scaled / scale).append('.');
    long fraction = scaled % scale;
    if (decimals == 2 && fraction < 10) {
      b.append('0');
    }
    return b.append(fraction).append(' ').append(UNITS[unit]).toString();
  }

  private static int decimals(double m, boolean threeDigits) {
    return threeDigits && m < 10 ? 2 : 1;
  }

  private static long scale(int decimals) {
    return decimals == 2 ? 100 : 10;
  }
}

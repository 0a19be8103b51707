package org.glasshouse.app.core;

import java.util.Locale;

/**
 * The app's one formatter of quantities for people: bytes, durations, percentages. Everything below
 * the views carries numbers in absolute units (bytes, nanoseconds) as the helper sends them; a
 * view, or the display rows a view-model builds for it, formats them here and nowhere else, so
 * "64.0 MiB" reads the same in every pane. Binary prefixes (KiB = 1024 bytes), as the kernel's
 * cgroup files count; {@link Locale#ROOT}, so a decimal point is always a point.
 */
public final class Units {
  private static final long KIB = 1L << 10;
  private static final long MIB = 1L << 20;
  private static final long GIB = 1L << 30;

  private Units() {}

  /** {@code 65536} → "64.0 KiB", {@code 67108864} → "64.0 MiB"; below 1 KiB "512 B". */
  public static String bytes(long bytes) {
    if (bytes >= GIB) {
      return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) GIB);
    }
    if (bytes >= MIB) {
      return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) MIB);
    }
    if (bytes >= KIB) {
      return String.format(Locale.ROOT, "%.1f KiB", bytes / (double) KIB);
    }
    return bytes + " B";
  }

  /** A duration in nanoseconds: "850 µs", "12.3 ms", "1.25 s". */
  public static String duration(long nanos) {
    if (nanos >= 1_000_000_000L) {
      return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }
    if (nanos >= 1_000_000L) {
      return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }
    return String.format(Locale.ROOT, "%d µs", nanos / 1000);
  }

  /** A percentage: {@code 49.87} → "49.9 %". */
  public static String percent(double percent) {
    return String.format(Locale.ROOT, "%.1f %%", percent);
  }

  /** A ratio with two decimals, as CPUs from a quota: {@code 0.5} → "0.50". */
  public static String ratio(double ratio) {
    return String.format(Locale.ROOT, "%.2f", ratio);
  }
}

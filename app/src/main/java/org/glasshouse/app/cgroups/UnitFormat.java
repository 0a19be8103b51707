package org.glasshouse.app.cgroups;

import java.util.Locale;

/**
 * Numbers into text, for the cgroup views only: the model keeps absolute units (bytes, cores,
 * tasks), the view picks a scale for an axis and writes values the way people read them.
 */
public final class UnitFormat {
  private static final double KIB = 1024;
  private static final double MIB = 1024 * KIB;
  private static final double GIB = 1024 * MIB;

  private UnitFormat() {}

  /** How an axis shows a unit: values are divided by {@code divisor} and labelled {@code label}. */
  public record Scale(double divisor, String label) {}

  /** The scale for an axis of {@code unit} whose top is {@code max}. */
  public static Scale scale(Unit unit, double max) {
    return switch (unit) {
      case BYTES ->
          max >= 2 * GIB
              ? new Scale(GIB, "GiB")
              : max >= 2 * MIB ? new Scale(MIB, "MiB") : new Scale(KIB, "KiB");
      case CORES -> new Scale(1, "cores");
      case MS_PER_S -> new Scale(1, "ms/s");
      case TASKS -> new Scale(1, "tasks");
      case PERCENT -> new Scale(1, "%");
      case WEIGHT, COUNT -> new Scale(1, "");
    };
  }

  /** A value with its unit: "27.3 MiB", "0.52 cores", "16 tasks", "12 ms/s", "512". */
  public static String format(Unit unit, double v) {
    if (Double.isNaN(v)) {
      return "—";
    }
    return switch (unit) {
      case BYTES -> bytes(v);
      case CORES -> fixed(v, 2) + " cores";
      case MS_PER_S -> fixed(v, 0) + " ms/s";
      case TASKS -> fixed(v, 0) + (v == 1 ? " task" : " tasks");
      case PERCENT -> fixed(v, 1) + " %";
      case WEIGHT, COUNT -> fixed(v, 0);
    };
  }

  /** As {@link #format}, but counts of tasks without the word (a label already says "tasks"). */
  public static String plain(Unit unit, double v) {
    return unit == Unit.TASKS ? fixed(v, 0) : format(unit, v);
  }

  /** A ratio such as 0.51. */
  public static String ratio(double r) {
    return Double.isNaN(r) ? "—" : fixed(r, 2);
  }

  /** Seconds before the window's end: "now", "12 s ago", "2 min 5 s ago". */
  public static String ago(double seconds) {
    long s = Math.round(seconds);
    if (s <= 0) {
      return "now";
    }
    return s < 60 ? s + " s ago" : (s / 60) + " min " + (s % 60) + " s ago";
  }

  private static String bytes(double b) {
    double a = Math.abs(b);
    if (a >= GIB) {
      return fixed(b / GIB, 2) + " GiB";
    }
    if (a >= MIB) {
      return fixed(b / MIB, 1) + " MiB";
    }
    if (a >= KIB) {
      return fixed(b / KIB, 0) + " KiB";
    }
    return fixed(b, 0) + " B";
  }

  /**
   * {@code v} rounded to {@code decimals} (0 to 2) places, as {@code String.format("%.Nf")} writes
   * it but without its cost: the legend rewrites a few hundred numbers a second.
   */
  static String fixed(double v, int decimals) {
    if (Double.isNaN(v) || Double.isInfinite(v) || Math.abs(v) >= 1e15) {
      return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
    long scale = decimals == 0 ? 1 : decimals == 1 ? 10 : 100;
    long r = Math.round(Math.abs(v) * scale);
    StringBuilder b = new StringBuilder(16);
    if (v < 0 && r != 0) {
      b.append('-');
    }
    b.append(r / scale);
    if (decimals > 0) {
      b.append('.');
      String frac = Long.toString(r % scale);
      for (int i = frac.length(); i < decimals; i++) {
        b.append('0');
      }
      b.append(frac);
    }
    return b.toString();
  }
}

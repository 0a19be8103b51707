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
      case CORES -> String.format(Locale.ROOT, "%.2f cores", v);
      case MS_PER_S -> String.format(Locale.ROOT, "%.0f ms/s", v);
      case TASKS -> String.format(Locale.ROOT, "%.0f %s", v, v == 1 ? "task" : "tasks");
      case PERCENT -> String.format(Locale.ROOT, "%.1f %%", v);
      case WEIGHT, COUNT -> String.format(Locale.ROOT, "%.0f", v);
    };
  }

  /** As {@link #format}, but counts of tasks without the word (a label already says "tasks"). */
  public static String plain(Unit unit, double v) {
    return unit == Unit.TASKS ? String.format(Locale.ROOT, "%.0f", v) : format(unit, v);
  }

  /** A ratio such as 0.51. */
  public static String ratio(double r) {
    return Double.isNaN(r) ? "—" : String.format(Locale.ROOT, "%.2f", r);
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
      return String.format(Locale.ROOT, "%.2f GiB", b / GIB);
    }
    if (a >= MIB) {
      return String.format(Locale.ROOT, "%.1f MiB", b / MIB);
    }
    if (a >= KIB) {
      return String.format(Locale.ROOT, "%.0f KiB", b / KIB);
    }
    return String.format(Locale.ROOT, "%.0f B", b);
  }
}

package org.glasshouse.app.cgroups;

import org.glasshouse.app.core.Units;

/**
 * How a chart's value axis shows a {@link Unit}: values divided by {@code divisor}, labelled {@code
 * label}. The charts' one addition to {@link Units}, which writes every value itself.
 *
 * @param divisor what an axis value is divided by (1 MiB for an axis in MiB)
 * @param label the axis' unit ("MiB", "cores"; empty for a bare count)
 */
record AxisScale(double divisor, String label) {
  static final AxisScale NONE = new AxisScale(1, "");

  /** The scale for an axis of {@code unit} whose top is {@code max}. */
  static AxisScale of(Unit unit, double max) {
    return switch (unit) {
      case BYTES ->
          max >= 2 * Units.GIB
              ? new AxisScale(Units.GIB, "GiB")
              : max >= 2 * Units.MIB
                  ? new AxisScale(Units.MIB, "MiB")
                  : new AxisScale(Units.KIB, "KiB");
      case CORES -> new AxisScale(1, "cores");
      case MS_PER_S -> new AxisScale(1, "ms/s");
      case TASKS -> new AxisScale(1, "tasks");
      case PERCENT -> new AxisScale(1, "%");
      case WEIGHT, COUNT -> NONE;
    };
  }

  /** A value of {@code unit} with its unit, through {@link Units}: "27.3 MiB", "0.52 cores". */
  static String format(Unit unit, double v) {
    return switch (unit) {
      case BYTES -> Units.bytes(v);
      case CORES -> Units.cores(v);
      case MS_PER_S -> Units.msPerSecond(v);
      case TASKS -> Units.tasks(v);
      case PERCENT -> Units.percent(v);
      case WEIGHT, COUNT -> Units.count(v);
    };
  }

  /** As {@link #format}, but tasks without the word (where a label already says "tasks"). */
  static String plain(Unit unit, double v) {
    return unit == Unit.TASKS ? Units.count(v) : format(unit, v);
  }
}

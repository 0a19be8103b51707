package org.glasshouse.app.cgroups;

import java.util.List;

/**
 * What each chart draws and how a line is made from a history: which metrics are lines, limits and
 * legend numbers per resource; CPU smoothed over a second; breaks where readings are far apart.
 */
public final class ChartLines {
  /** CPU lines are drawn as the mean over this many seconds before each point. */
  static final double SMOOTH_SECONDS = 1.0;

  /** Readings further apart than this are not joined by a line. */
  static final double GAP_SECONDS = 1.0;

  private ChartLines() {}

  /** The metrics drawn as lines in the chart of {@code r}; the first sets the left axis. */
  public static List<Metric> lineMetrics(Resource r) {
    return switch (r) {
      case CPU -> List.of(Metric.CPU_USED, Metric.CPU_FAIR_SHARE, Metric.CPU_THROTTLED);
      case MEMORY -> List.of(Metric.MEMORY_USED, Metric.MEMORY_SWAP);
      case PIDS -> List.of(Metric.PIDS_CURRENT);
      case PRESSURE -> List.of(Metric.PSI_CPU, Metric.PSI_MEMORY, Metric.PSI_IO);
    };
  }

  /** The limits drawn as reference lines in the chart of {@code r}. */
  public static List<Metric> referenceMetrics(Resource r) {
    return switch (r) {
      case CPU -> List.of(Metric.CPU_QUOTA);
      case MEMORY -> List.of(Metric.MEMORY_LIMIT, Metric.SWAP_LIMIT);
      case PIDS -> List.of(Metric.PIDS_MAX);
      case PRESSURE -> List.of();
    };
  }

  /** The numbers the legend prints for {@code r}, in order. */
  public static List<Metric> readoutMetrics(Resource r) {
    return switch (r) {
      case CPU ->
          List.of(
              Metric.CPU_USED,
              Metric.CPU_QUOTA,
              Metric.CPU_SHARES,
              Metric.CPU_WEIGHT,
              Metric.CPU_THROTTLED);
      case MEMORY ->
          List.of(
              Metric.MEMORY_USED,
              Metric.MEMORY_LIMIT,
              Metric.MEMORY_PEAK,
              Metric.MEMORY_SWAP,
              Metric.SWAP_LIMIT,
              Metric.MEMORY_FAILCNT,
              Metric.OOM_KILLS);
      case PIDS -> List.of(Metric.PIDS_CURRENT, Metric.PIDS_MAX, Metric.PIDS_REJECTED);
      case PRESSURE -> List.of(Metric.PSI_CPU, Metric.PSI_MEMORY, Metric.PSI_IO);
    };
  }

  static ChartFrame.Line line(
      ContainerHistory h, int style, Metric m, boolean hi, long from, long end) {
    if (!h.has(m)) {
      return new ChartFrame.Line(h.id(), style, m, hi, new double[0], new double[0], 0);
    }
    // Sized to the window (600 readings for 60 s), not the history: ten refreshes a second.
    double[] xs = new double[h.span(from, end)];
    double[] ys = new double[xs.length];
    int n = h.copy(m, from, end, end, xs, ys);
    if (m.resource() == Resource.CPU) {
      smooth(xs, ys, n, SMOOTH_SECONDS);
    }
    if (m == Metric.CPU_THROTTLED || m == Metric.MEMORY_SWAP) {
      // Areas: a gap would cut the filled polygon, not the line.
      return new ChartFrame.Line(h.id(), style, m, hi, xs, ys, n);
    }
    return gaps(h.id(), style, m, hi, xs, ys, n);
  }

  /**
   * The line with a NaN point wherever readings are more than {@value #GAP_SECONDS} s apart, which
   * the chart draws as a break: a share by weight exists only while two containers are busy, a
   * container may be sampled with pauses, and a straight line across such a gap would claim values
   * nobody read.
   */
  static ChartFrame.Line gaps(
      String id, int style, Metric m, boolean hi, double[] xs, double[] ys, int n) {
    int gaps = 0;
    for (int i = 1; i < n; i++) {
      if (xs[i] - xs[i - 1] > GAP_SECONDS) {
        gaps++;
      }
    }
    if (gaps == 0) {
      return new ChartFrame.Line(id, style, m, hi, xs, ys, n);
    }
    double[] gx = new double[n + gaps];
    double[] gy = new double[n + gaps];
    int k = 0;
    for (int i = 0; i < n; i++) {
      if (i > 0 && xs[i] - xs[i - 1] > GAP_SECONDS) {
        gx[k] = (xs[i - 1] + xs[i]) / 2;
        gy[k] = Double.NaN;
        k++;
      }
      gx[k] = xs[i];
      gy[k] = ys[i];
      k++;
    }
    return new ChartFrame.Line(id, style, m, hi, gx, gy, k);
  }

  /**
   * CPU over 100 ms jumps about (the scheduler hands out slices of a few milliseconds, and a loaded
   * machine more so): each point becomes the mean of the readings of the second before it, so two
   * containers' shares read as two lines, not two clouds.
   */
  static void smooth(double[] xs, double[] ys, int n, double seconds) {
    double sum = 0;
    int first = 0;
    double[] raw = java.util.Arrays.copyOf(ys, n);
    for (int i = 0; i < n; i++) {
      sum += raw[i];
      while (xs[i] - xs[first] >= seconds) {
        sum -= raw[first];
        first++;
      }
      ys[i] = sum / (i - first + 1);
    }
  }

  /** The least top of a y axis, so a near-idle line does not fill the chart with noise. */
  static double floor(Unit u) {
    return switch (u) {
      case CORES -> 0.25;
      case BYTES -> 1 << 20;
      case TASKS -> 4;
      case PERCENT -> 1;
      default -> 1;
    };
  }
}

package org.glasshouse.app.cgroups;

import java.util.List;

/**
 * What one chart draws at one moment, in absolute units: x in seconds relative to the window's end
 * (0 = now while live, negative = the past), y in the unit of the chart's metrics. The view only
 * maps these to the screen and formats numbers.
 *
 * @param resource the chart
 * @param from the window's start (negative seconds)
 * @param endMs the window's end as the helper's time (epoch ms)
 * @param yMax the top of the y axis: the largest value or limit shown, with headroom
 * @param unit the unit of the left axis
 * @param lines the lines, drawn in this order (the highlighted container last)
 * @param references limits and weights as horizontal lines
 * @param markers counter increases on the time axis (OOM kills, limit hits, rejected forks)
 * @param empty why there is nothing to draw, or null
 */
public record ChartFrame(
    Resource resource,
    double from,
    long endMs,
    double yMax,
    Unit unit,
    List<Line> lines,
    List<Reference> references,
    List<Marker> markers,
    String empty) {

  /**
   * One metric of one container over the window. A NaN y is a gap: readings too far apart to be
   * joined.
   */
  public record Line(
      String container,
      int style,
      Metric metric,
      boolean highlighted,
      double[] xs,
      double[] ys,
      int n) {

    /** The newest value, NaN without points. */
    public double last() {
      return n == 0 ? Double.NaN : ys[n - 1];
    }

    /** The largest value, NaN without points. */
    public double max() {
      double m = Double.NaN;
      for (int i = 0; i < n; i++) {
        if (!Double.isNaN(ys[i]) && !(ys[i] <= m)) {
          m = ys[i];
        }
      }
      return m;
    }
  }

  /**
   * A limit (or weight), drawn as a horizontal line with a label: {@code container}'s, and the same
   * in {@code others} more shown containers (one line for all of them, not one label each piled on
   * the same height). It starts where the first of those containers did, {@code from} seconds (as
   * {@link ChartFrame}'s x, not before the window's start), and runs to the window's end: drawn
   * across the whole window it read as if the limit had been there before its container started;
   * ended where a container died within a tenth of a second (level 09's 16 MiB Try it) it was a few
   * pixels under the kill's flag, and the ceiling the climb hits was gone. {@code label}: the
   * metric's words for {@code container}'s cgroup version ({@link Metric#label(String)}).
   */
  public record Reference(
      String container,
      int style,
      Metric metric,
      String label,
      double value,
      int others,
      double from) {}

  /** A counter increase at {@code x} seconds. */
  public record Marker(String container, int style, CgroupEvent event, double x) {}
}

package org.glasshouse.app.cgroups;

import io.fair_acc.chartfx.XYChart;
import io.fair_acc.chartfx.axes.spi.DefaultNumericAxis;
import io.fair_acc.chartfx.renderer.ErrorStyle;
import io.fair_acc.chartfx.renderer.LineStyle;
import io.fair_acc.chartfx.renderer.spi.ErrorDataSetRenderer;
import io.fair_acc.chartfx.ui.geometry.Side;
import io.fair_acc.dataset.DataSet;
import io.fair_acc.dataset.locks.DefaultDataSetLock;
import io.fair_acc.dataset.spi.DoubleDataSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;

/**
 * One resource's chart, drawn by ChartFX on a canvas (chosen by measurement, see the README's
 * design notes): time on x (seconds before the window's end), the resource's unit on y, one dataset
 * per container and metric, styled by CSS classes ({@code gh-c*} colour, {@code gh-d*} dash, {@code
 * gh-m-*} metric). {@link #show} copies a {@link ChartFrame} in; the overlay adds limits, markers
 * and the hover readout.
 */
final class ResourceChart {
  private final Resource resource;
  private final XYChart chart;
  private final DefaultNumericAxis xAxis = new DefaultNumericAxis();
  private final DefaultNumericAxis yAxis = new DefaultNumericAxis();
  private final DefaultNumericAxis throttledAxis;
  private final ErrorDataSetRenderer lines = renderer(LineStyle.NORMAL);

  {
    // A NaN in a line is a gap (see CgroupChartsViewModel.gaps): drawn as a break.
    lines.setAllowNaNs(true);
  }

  private final ErrorDataSetRenderer areas;
  private final Map<String, DoubleDataSet> sets = new HashMap<>();
  private final ChartOverlay overlay;
  private final Label empty = new Label();
  private final StackPane root;
  private ChartFrame frame;
  private AxisScale scale = AxisScale.NONE;

  ResourceChart(Resource resource, ChartOverlay overlay) {
    this.resource = resource;
    this.overlay = overlay;
    xAxis.setAutoRanging(false);
    xAxis.setAutoRangeRounding(false);
    xAxis.setAnimated(false);
    xAxis.setName("time");
    xAxis.setUnit("s");
    yAxis.setAutoRanging(false);
    yAxis.setAnimated(false);
    yAxis.setName(resource.title());
    chart = new XYChart(xAxis, yAxis);
    chart.setAnimated(false);
    chart.setLegendVisible(false);
    chart.setTitle(null);
    // ChartFX slides a tool bar in from the top when the mouse comes within this distance; ours are
    // outside the chart, and an empty bar would only cover the top of the lines. (Removing the bar
    // does not last: its CSS side property puts it back.)
    chart.getMenuPane().setTriggerDistance(-1);
    chart.getStyleClass().addAll("cgroup-chart", "chart-" + id());
    if (resource == Resource.PRESSURE) {
      lines.setDrawMarker(true);
    }
    if (resource == Resource.CPU) {
      // Throttled time has its own unit: a second axis on the right.
      throttledAxis = new DefaultNumericAxis("throttled", "ms/s");
      throttledAxis.setSide(Side.RIGHT);
      throttledAxis.setAnimated(false);
      throttledAxis.setAutoRanging(false);
      areas = renderer(LineStyle.AREA);
      areas.getAxes().add(throttledAxis);
    } else {
      throttledAxis = null;
      areas = resource == Resource.MEMORY ? renderer(LineStyle.AREA) : null;
    }
    if (areas != null) {
      chart.getRenderers().setAll(areas, lines);
    } else {
      chart.getRenderers().setAll(lines);
    }
    chart.getPlugins().add(overlay);
    empty.getStyleClass().add("chart-empty");
    empty.setWrapText(true);
    empty.setMouseTransparent(true);
    root = new StackPane(chart, empty);
    root.getStyleClass().add("resource-chart");
    root.setId("chart-" + id());
  }

  /** The CSS id suffix: "cpu", "memory", "pids", "pressure". */
  String id() {
    return resource.name().toLowerCase(Locale.ROOT);
  }

  Node node() {
    return root;
  }

  Resource resource() {
    return resource;
  }

  /** The frame shown now (tests read it). */
  ChartFrame frame() {
    return frame;
  }

  ChartOverlay overlay() {
    return overlay;
  }

  /**
   * Draws {@code f}: datasets in, stale ones out, axes set, the overlay told. Returns false, having
   * changed nothing, while ChartFX still holds its datasets' read locks: it takes them when it lays
   * a chart out and gives them back after the pulse's drawing, and a layout outside a pulse (a
   * window sizing itself to its scene) leaves them held until then. Writing meanwhile would wait on
   * the FX thread for the FX thread. The caller tries again on the next pulse.
   */
  boolean show(ChartFrame f) {
    for (DoubleDataSet ds : sets.values()) {
      if (ds.lock() instanceof DefaultDataSetLock<?> l && l.getReaderCount() > 0) {
        return false;
      }
    }
    ChartFrame before = frame;
    frame = f;
    scale = AxisScale.of(f.unit(), f.yMax());
    Set<String> seen = new HashSet<>();
    // Datasets join and leave in one change per renderer: each change makes ChartFX re-parent
    // (and re-style) every dataset node of that renderer.
    List<DataSet> newLines = new ArrayList<>();
    List<DataSet> newAreas = new ArrayList<>();
    double throttledMax = 0;
    for (ChartFrame.Line l : f.lines()) {
      String key = l.container() + " " + l.metric();
      seen.add(key);
      boolean throttled = l.metric() == Metric.CPU_THROTTLED;
      boolean area = throttled || l.metric() == Metric.MEMORY_SWAP;
      DoubleDataSet ds = sets.get(key);
      if (ds == null) {
        ds = new DoubleDataSet(l.container().substring(0, Math.min(8, l.container().length())));
        ds.addStyleClasses(
            "gh-series",
            CgroupChartsView.colourClass(l.style()),
            CgroupChartsView.dashClass(l.style()),
            "gh-m-" + l.metric().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        sets.put(key, ds);
        (area && areas != null ? newAreas : newLines).add(ds);
      }
      highlight(ds, l.highlighted());
      double divisor = throttled ? 1 : scale.divisor();
      double[] ys = new double[l.n()];
      for (int i = 0; i < l.n(); i++) {
        ys[i] = l.ys()[i] / divisor;
      }
      if (throttled) {
        throttledMax = Math.max(throttledMax, l.max());
      }
      ds.set(l.xs(), ys, l.n(), true);
    }
    List<DataSet> gone = new ArrayList<>();
    for (var it = sets.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      if (!seen.contains(e.getKey())) {
        gone.add(e.getValue());
        it.remove();
      }
    }
    update(lines, newLines, gone);
    if (areas != null) {
      update(areas, newAreas, gone);
    }
    xAxis.set(f.from(), 0);
    yAxis.set(0, f.yMax() / scale.divisor());
    yAxis.setName(axisName());
    yAxis.setUnit(scale.label().isEmpty() || f.unit() == Unit.TASKS ? null : scale.label());
    if (throttledAxis != null) {
      throttledAxis.set(0, Math.max(10, throttledMax * 1.1));
      throttledAxis.setVisible(throttledMax > 0 || hasThrottled(f));
    }
    overlay.show(f, scale.divisor());
    if (f.lines().isEmpty() && (overlaid(f) || (before != null && overlaid(before)))) {
      // No dataset changed, so ChartFX runs no post-layout pass, and the overlay (laid out in
      // that pass) kept drawing the last frame's: a kill before the first reading had the chart's
      // sentence ("only the kill's flag") and no flag. Only when the overlay has something to draw
      // or to take away: an empty chart is not redrawn ten times a second.
      chart.invalidate();
    }
    empty.setText(f.empty() == null ? "" : f.empty());
    empty.setVisible(f.empty() != null);
    return true;
  }

  private static void update(ErrorDataSetRenderer r, List<DataSet> added, List<DataSet> gone) {
    if (!gone.isEmpty() && r.getDatasets().stream().anyMatch(gone::contains)) {
      List<DataSet> keep = new ArrayList<>(r.getDatasets());
      keep.removeAll(gone);
      keep.addAll(added);
      r.getDatasets().setAll(keep);
    } else if (!added.isEmpty()) {
      r.getDatasets().addAll(added);
    }
  }

  /** Whether the overlay draws anything for {@code f}: a limit line or a counter's mark. */
  private static boolean overlaid(ChartFrame f) {
    return !f.references().isEmpty() || !f.markers().isEmpty();
  }

  private static boolean hasThrottled(ChartFrame f) {
    return f.lines().stream().anyMatch(l -> l.metric() == Metric.CPU_THROTTLED);
  }

  /**
   * The y axis's name, drawn along it: shorter when the chart is short (presenter mode at 1366×768
   * cut "CPU used, 1 s mean [cores]" to "used, 1 s me"); the legend and the hover say the rest.
   */
  private String axisName() {
    boolean roomy = chart.getHeight() <= 0 || chart.getHeight() >= ROOMY_HEIGHT;
    return switch (resource) {
      case CPU -> roomy ? "CPU used, 1 s mean" : "CPU";
      case MEMORY -> "memory";
      case PIDS -> "tasks";
      case PRESSURE -> roomy ? "stalled (some, avg10)" : "stalled";
    };
  }

  /** A chart at least this high (px) has room for the long axis names. */
  private static final double ROOMY_HEIGHT = 320;

  private static void highlight(DoubleDataSet ds, boolean on) {
    boolean has = ds.getStyleClasses().contains("gh-highlight");
    if (on && !has) {
      ds.addStyleClasses("gh-highlight");
    } else if (!on && has) {
      ds.removeStyleClasses("gh-highlight");
    }
  }

  private static ErrorDataSetRenderer renderer(LineStyle style) {
    ErrorDataSetRenderer r = new ErrorDataSetRenderer();
    r.setErrorStyle(ErrorStyle.NONE);
    r.setDrawMarker(false);
    r.setPointReduction(true);
    r.setPolyLineStyle(style);
    return r;
  }
}

package org.glasshouse.app.cgroups;

import io.fair_acc.chartfx.XYChart;
import io.fair_acc.chartfx.axes.Axis;
import io.fair_acc.chartfx.plugins.ChartPlugin;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javafx.geometry.BoundingBox;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseEvent;
import javafx.scene.shape.Circle;
import javafx.scene.shape.Line;
import javafx.scene.shape.LineTo;
import javafx.scene.shape.MoveTo;
import javafx.scene.shape.Path;
import javafx.util.Duration;

/**
 * What a chart draws on top of its lines, as nodes in the plot area: the limits as labelled
 * horizontal lines, counter increases (OOM kills, limit hits, rejected forks) as marks on the time
 * axis, and, under the mouse, the nearest value with the cgroup files it came from. Laid out after
 * the chart (ChartFX calls {@link #runPostLayout()} once the axes know their ranges).
 */
final class ChartOverlay extends ChartPlugin {
  private final Function<ChartFrame.Line, String> hoverText;
  private final Function<ChartFrame.Reference, String> referenceText;
  private final Function<ChartFrame.Reference, String> referenceFiles;
  private final Function<ChartFrame.Marker, String> markerFiles;
  private final Label hover = new Label();
  private final Circle hoverDot = new Circle(4);
  private final Map<String, Node> nodes = new HashMap<>();
  private ChartFrame frame;
  private double scale = 1;
  private double[] cursor;

  /**
   * @param hoverText the words for a line's point under the mouse (value, time, files)
   * @param referenceText the label of a limit line
   * @param referenceFiles the tooltip of a limit line (its cgroup files)
   * @param markerFiles the tooltip of a marker
   */
  ChartOverlay(
      Function<ChartFrame.Line, String> hoverText,
      Function<ChartFrame.Reference, String> referenceText,
      Function<ChartFrame.Reference, String> referenceFiles,
      Function<ChartFrame.Marker, String> markerFiles) {
    this.hoverText = hoverText;
    this.referenceText = referenceText;
    this.referenceFiles = referenceFiles;
    this.markerFiles = markerFiles;
    hover.getStyleClass().add("chart-hover");
    hover.setManaged(false);
    hover.setMouseTransparent(true);
    hoverDot.getStyleClass().add("chart-hover-dot");
    hoverDot.setManaged(false);
    hoverDot.setMouseTransparent(true);
    registerInputEventHandler(MouseEvent.MOUSE_MOVED, this::moved);
    registerInputEventHandler(MouseEvent.MOUSE_EXITED, e -> hide());
  }

  /** The frame to annotate; {@code scale} divides y values as the chart's axis does. */
  void show(ChartFrame frame, double scale) {
    this.frame = frame;
    this.scale = scale;
  }

  /** The text the hover label shows now, or null when hidden (tests read it). */
  String hoverShown() {
    return hover.isVisible() && getChartChildren().contains(hover) ? hover.getText() : null;
  }

  @Override
  public void runPostLayout() {
    if (getChart() == null || frame == null) {
      return;
    }
    XYChart chart = (XYChart) getChart();
    Axis x = chart.getXAxis();
    Axis y = chart.getYAxis();
    double w = chart.getCanvas().getWidth();
    double h = chart.getCanvas().getHeight();
    Map<String, Node> shown = new LinkedHashMap<>();
    List<Bounds> placed = new ArrayList<>();
    for (ChartFrame.Reference r : frame.references()) {
      double py = y.getDisplayPosition(r.value() / scale);
      if (py < 0 || py > h) {
        continue;
      }
      String key = "limit " + r.container() + " " + r.metric();
      // From where its first container started; its label may reach further left.
      Point2D a = toLocal(Math.max(0, x.getDisplayPosition(r.from())), py);
      Point2D b = toLocal(w, py);
      Point2D plotLeft = toLocal(0, py);
      Line line = node(key + " line", () -> styled(new Line(), "limit-line", r.style()));
      line.setStartX(a.getX());
      line.setStartY(a.getY());
      line.setEndX(b.getX());
      line.setEndY(b.getY());
      Label label = node(key + " label", () -> label("limit-label", r.style()));
      String full = referenceText.apply(r);
      tip(line, referenceFiles.apply(r));
      // Above the line, or under it when the line is at the top of the plot; left of any label
      // already there (a memory limit and a mem+swap limit of the same size share a height). A
      // label wider than the room left (three charts in a row at presenter size, "memory limit
      // 64.0 MiB · f341efdb and 3 more") loses its names, then its words, down to the value: a
      // line whose label would start left of the plot was drawn with no name at all.
      double left = plotLeft.getX() + 2;
      double lx = 0;
      double ly = 0;
      // Measured off the label (MEASURE), so a label keeps its text from pulse to pulse: set to
      // the whole text and back on each pass, it asked for a layout, hence another pass, for ever.
      List<String> texts = shorter(full, r.label());
      MEASURE.setFont(label.getFont());
      MEASURE.setText(full);
      double lh =
          Math.ceil(MEASURE.getLayoutBounds().getHeight())
              + label.snappedTopInset()
              + label.snappedBottomInset();
      double insets = label.snappedLeftInset() + label.snappedRightInset();
      String chosen = texts.get(texts.size() - 1);

      for (String t : texts) {
        MEASURE.setText(t);
        double width = Math.ceil(MEASURE.getLayoutBounds().getWidth()) + insets;
        double above = a.getY() - lh - 1;
        ly = above < toLocal(0, 0).getY() ? a.getY() + 2 : above;
        lx = b.getX() - width - 4;
        for (boolean moved = true; moved; ) {
          moved = false;
          for (Bounds o : placed) {
            if (o.intersects(lx, ly, width, lh)) {
              lx = o.getMinX() - width - 6;
              moved = true;
            }
          }
        }
        if (lx >= left) {
          chosen = t;
          break;
        }
      }
      if (!chosen.equals(label.getText())) {
        label.setText(chosen);
      }
      label.autosize();
      // Laid out now, in this pass: an unmanaged label whose text or size changed here waited for
      // a later pass to draw it, and with nothing else changing none came — the chart kept the old
      // text, or (a new label, first sized before its skin) just its left bar with no text.
      label.layout();
      lx = Math.max(lx, left);
      tip(
          label,
          label.getText().equals(full)
              ? referenceFiles.apply(r)
              : full + "\n" + referenceFiles.apply(r));
      label.relocate(lx, ly);
      placed.add(new BoundingBox(lx, ly, label.getWidth(), label.getHeight()));
      shown.put(key + " line", line);
      shown.put(key + " label", label);
    }
    points(shown, x, y, w, h);
    markers(shown, x, w, h);
    if (cursor != null && place(cursor[0], cursor[1])) {
      shown.put("hover dot", hoverDot);
      shown.put("hover", hover);
    }
    nodes.keySet().retainAll(shown.keySet());
    if (!getChartChildren().equals(List.copyOf(shown.values()))) {
      getChartChildren().setAll(shown.values());
    }
  }

  /**
   * A limit line's label and its shorter forms, longest first: "and 3 more" as "+3", then without
   * the containers it names ("memory limit 64.0 MiB"), then the value alone ("64.0 MiB").
   */
  /** Measures a label's candidate texts without setting them. */
  private static final javafx.scene.text.Text MEASURE = new javafx.scene.text.Text();

  private static final java.util.regex.Pattern MORE =
      java.util.regex.Pattern.compile(" and (\\d+) more$");

  static List<String> shorter(String full, String metricLabel) {
    List<String> out = new ArrayList<>(List.of(full));
    java.util.regex.Matcher more = MORE.matcher(full);
    if (more.find()) {
      out.add(more.replaceFirst(" +$1"));
    }
    int names = full.indexOf(" · ");
    String named = names < 0 ? full : full.substring(0, names);
    if (!named.equals(full)) {
      out.add(named);
    }
    if (named.startsWith(metricLabel + " ")) {
      out.add(named.substring(metricLabel.length() + 1));
    }
    return out;
  }

  /**
   * The node for {@code key}: the one from the last frame, or a new one made by {@code make} and
   * styled at once (a node added after the CSS pass would show unstyled for a frame, and a label
   * without its skin has no size to place it by).
   */
  @SuppressWarnings("unchecked")
  private <T extends Node> T node(String key, java.util.function.Supplier<T> make) {
    Node n = nodes.get(key);
    if (n == null) {
      n = make.get();
      nodes.put(key, n);
      getChartChildren().add(n);
      n.applyCss();
    }
    return (T) n;
  }

  private static <T extends javafx.scene.shape.Shape> T styled(T shape, String style, int colour) {
    shape.getStyleClass().addAll(style, CgroupChartsView.colourClass(colour));
    return shape;
  }

  private static Label label(String style, int colour) {
    Label l = new Label();
    l.getStyleClass().addAll(style, CgroupChartsView.colourClass(colour));
    l.setManaged(false);
    return l;
  }

  private static void tip(Node n, String text) {
    Object old = n.getProperties().get(Tooltip.class);
    if (old instanceof Tooltip t && t.getText().equals(text)) {
      return;
    }
    if (old instanceof Tooltip t) {
      Tooltip.uninstall(n, t);
    }
    Tooltip t = new Tooltip(text);
    t.setShowDelay(Duration.millis(150));
    Tooltip.install(n, t);
    n.getProperties().put(Tooltip.class, t);
  }

  /** The radius of a lone reading's dot, in pixels. */
  private static final double POINT_RADIUS = 4.5;

  /**
   * A reading with no neighbour to join (a container's only reading, or one between two gaps) as a
   * dot: a line of one point draws nothing. Level 09's 16 MiB Try it, killed within its first tenth
   * of a second, left a legend saying "memory used 7.7 MiB · OOM kills 1" over a chart with the
   * kill's flag and no sign of the reading.
   */
  private void points(Map<String, Node> shown, Axis x, Axis y, double w, double h) {
    for (ChartFrame.Line l : frame.lines()) {
      if (l.metric() == Metric.CPU_THROTTLED || l.metric() == Metric.MEMORY_SWAP) {
        // Areas under the lines (throttling on an axis of its own): a lone swap reading of 0
        // would be a dot on the time axis under every killed container.
        continue;
      }
      double[] ys = l.ys();
      int k = 0;
      for (int i = 0; i < l.n(); i++) {
        boolean alone =
            !Double.isNaN(ys[i])
                && (i == 0 || Double.isNaN(ys[i - 1]))
                && (i == l.n() - 1 || Double.isNaN(ys[i + 1]));
        if (!alone) {
          continue;
        }
        double px = x.getDisplayPosition(l.xs()[i]);
        double py = y.getDisplayPosition(ys[i] / scale);
        if (px < 0 || px > w || py < 0 || py > h) {
          continue;
        }
        Point2D p = toLocal(px, py);
        String key = "point " + l.container() + " " + l.metric() + " " + k++;
        Circle dot = node(key, () -> styled(new Circle(POINT_RADIUS), "chart-point", l.style()));
        dot.setCenterX(p.getX());
        dot.setCenterY(p.getY());
        shown.put(key, dot);
      }
    }
  }

  /**
   * OOM kills as labelled flags on a dashed line; limit hits and rejected forks as ticks on the
   * time axis, one path per container and kind (a fork flood rejects forks every tenth of a second:
   * thousands of ticks, one node).
   */
  private void markers(Map<String, Node> shown, Axis x, double w, double h) {
    Map<String, Path> ticks = new LinkedHashMap<>();
    double lastFlagEnd = Double.NEGATIVE_INFINITY;
    for (ChartFrame.Marker m : frame.markers()) {
      double px = x.getDisplayPosition(m.x());
      if (px < 0 || px > w) {
        continue;
      }
      Point2D bottom = toLocal(px, h);
      if (m.event().counter() == Metric.OOM_KILLS) {
        String key = "oom " + m.container() + " " + m.event().timeMs();
        Point2D top = toLocal(px, 0);
        Line line = node(key + " line", () -> styled(new Line(), "oom-line", m.style()));
        line.setStartX(top.getX());
        line.setStartY(top.getY());
        line.setEndX(bottom.getX());
        line.setEndY(bottom.getY());
        shown.put(key + " line", line);
        tip(line, markerFiles.apply(m));
        Label flag = node(key + " flag", () -> label("oom-marker", m.style()));
        if (!"OOM kill".equals(flag.getText())) {
          flag.setText("OOM kill");
        }
        tip(flag, markerFiles.apply(m));
        flag.autosize();
        flag.layout();
        double fx = Math.min(bottom.getX() + 3, toLocal(w, 0).getX() - flag.getWidth());
        if (fx < lastFlagEnd) {
          // Kills close together share one flag; each keeps its line.
          continue;
        }
        lastFlagEnd = fx + flag.getWidth() + 4;
        flag.relocate(fx, bottom.getY() - flag.getHeight() - 2);
        shown.put(key + " flag", flag);
      } else {
        String key = "ticks " + m.container() + " " + m.event().counter();
        Path p = ticks.get(key);
        if (p == null) {
          p =
              node(
                  key,
                  () -> {
                    Path path = new Path();
                    path.getStyleClass().add("event-ticks");
                    return styled(
                        path,
                        m.event().counter() == Metric.PIDS_REJECTED ? "fork-rejected" : "limit-hit",
                        m.style());
                  });
          p.getElements().clear();
          tip(p, markerFiles.apply(m));
          ticks.put(key, p);
          shown.put(key, p);
        }
        p.getElements()
            .addAll(
                new MoveTo(bottom.getX(), bottom.getY()),
                new LineTo(bottom.getX(), bottom.getY() - 10));
      }
    }
  }

  private void moved(MouseEvent e) {
    if (getChart() == null || frame == null) {
      return;
    }
    Point2D c = getChart().getCanvas().sceneToLocal(e.getSceneX(), e.getSceneY());
    if (!getChart().getCanvas().getBoundsInLocal().contains(c)) {
      hide();
      return;
    }
    cursor = new double[] {c.getX(), c.getY()};
    if (!place(c.getX(), c.getY())) {
      hide();
      return;
    }
    if (!getChartChildren().contains(hover)) {
      getChartChildren().addAll(hoverDot, hover);
    }
  }

  /** Puts the hover label on the point nearest to (cx, cy) in canvas pixels; false if none near. */
  private boolean place(double cx, double cy) {
    XYChart chart = (XYChart) getChart();
    Axis x = chart.getXAxis();
    Axis y = chart.getYAxis();
    double t = x.getValueForDisplay(cx);
    ChartFrame.Line best = null;
    int bestIndex = -1;
    double bestDistance = 30;
    for (ChartFrame.Line l : frame.lines()) {
      if (l.metric() == Metric.CPU_THROTTLED) {
        continue;
      }
      int i = nearest(l, t);
      if (i < 0 || Double.isNaN(l.ys()[i])) {
        continue;
      }
      double d =
          Math.hypot(
              x.getDisplayPosition(l.xs()[i]) - cx, y.getDisplayPosition(l.ys()[i] / scale) - cy);
      if (d < bestDistance) {
        bestDistance = d;
        best = l;
        bestIndex = i;
      }
    }
    if (best == null) {
      return false;
    }
    ChartFrame.Line at =
        new ChartFrame.Line(
            best.container(),
            best.style(),
            best.metric(),
            best.highlighted(),
            new double[] {best.xs()[bestIndex]},
            new double[] {best.ys()[bestIndex]},
            1);
    hover.setText(hoverText.apply(at));
    hover.setVisible(true);
    hoverDot.setVisible(true);
    hoverDot.getStyleClass().setAll("chart-hover-dot", CgroupChartsView.colourClass(best.style()));
    Point2D p = toLocal(x.getDisplayPosition(at.xs()[0]), y.getDisplayPosition(at.ys()[0] / scale));
    hoverDot.setCenterX(p.getX());
    hoverDot.setCenterY(p.getY());
    hover.autosize();
    hover.layout();
    double lw = hover.prefWidth(-1);
    double lh = hover.prefHeight(-1);
    Point2D right = toLocal(chart.getCanvas().getWidth(), 0);
    double lx = p.getX() + 10 + lw > right.getX() ? p.getX() - 10 - lw : p.getX() + 10;
    double ly = Math.max(right.getY(), p.getY() - lh - 6);
    hover.relocate(lx, ly);
    return true;
  }

  private void hide() {
    cursor = null;
    hover.setVisible(false);
    hoverDot.setVisible(false);
  }

  private static int nearest(ChartFrame.Line l, double t) {
    if (l.n() == 0) {
      return -1;
    }
    int lo = 0;
    int hi = l.n() - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (l.xs()[mid] < t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    if (lo > 0 && Math.abs(l.xs()[lo - 1] - t) < Math.abs(l.xs()[lo] - t)) {
      lo--;
    }
    return lo;
  }

  private Point2D toLocal(double canvasX, double canvasY) {
    return getChart()
        .getPlotForeground()
        .sceneToLocal(getChart().getCanvas().localToScene(canvasX, canvasY));
  }
}
